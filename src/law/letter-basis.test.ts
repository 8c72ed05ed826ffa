/**
 * Each letter cites exactly its own provision: the expected citation of every outcome and notice is written
 * out by hand below (from ../shared/spec/regulations.md §2.4 and §2.6, and fees.md §3.2), and the words each
 * entry quotes are looked up in the text of that very article, paragraph (款) and item (项) of
 * regulations.md — so a citation of the wrong item fails.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FEE_MEASURES_TITLE, NOTICE_BASIS, REGULATION_TITLE, citation, replyBasis } from './letter-basis.js';
import type { NoticeKind, Provision } from './letter-basis.js';
import { OUTCOME_KEYS } from './outcomes.js';
import type { OutcomeKey } from './report-model.js';

const spec = join(import.meta.dirname, '..', '..', '..', 'shared', 'spec');
const specSkip = existsSync(join(spec, 'regulations.md')) ? undefined : `../shared/spec/regulations.md not found`;

/** By hand, outcome by outcome (regulations.md §2.6, one item each where §2.6 lists two — see letter-basis.ts). */
const EXPECTED: Record<OutcomeKey, string[]> = {
  disclosed: ['第三十六条第（二）项'], // 可以公开的，向申请人提供 (§2.6 lists (一)(二): (一) only when already published)
  partially_disclosed: ['第三十七条'], // 区分处理
  'withheld.state_secret': ['第十四条'],
  'withheld.prohibited_by_law': ['第十四条'],
  'withheld.security_stability': ['第十四条'],
  'withheld.third_party_rights': ['第十五条'], // 第32条 is the consultation procedure, not the ground
  'withheld.internal_affairs': ['第十六条第一款'],
  'withheld.process_information': ['第十六条第二款'],
  'withheld.enforcement_file': ['第十六条第二款'],
  'withheld.administrative_inquiry': ['第三十六条第（七）项'],
  'unavailable.not_held': ['第三十六条第（四）项'], // 经检索没有 → 不存在; not (五) as well
  'unavailable.needs_creation': ['第三十八条'],
  'unavailable.still_unclear': ['第三十条'],
  'not_processed.petition_complaint': ['第三十九条第一款'],
  'not_processed.duplicate': ['第三十六条第（六）项'],
  'not_processed.publication': ['第三十九条第二款'],
  'not_processed.excessive': ['第三十五条'],
  'not_processed.confirm_or_reissue': [], // §2.6: no explicit article (practice category)
  'other.correction_overdue': ['第三十条'], // 逾期不补正的，视为放弃申请
  'other.fee_overdue': ['第四十二条第一款', ''], // and the 办法 (国办函〔2020〕109号), no article verified
  'other.other': [],
};

const NOTICES: Record<NoticeKind, string[]> = {
  receipt: ['第三十三条第二款'], // 20个工作日内予以答复
  correction: ['第三十条'],
  consultation: ['第三十二条'],
  extension: ['第三十三条第二款'],
  fee_per_request: ['第四十二条第一款', '第四条'], // 办法第四条 按件计收
  fee_per_page: ['第四十二条第一款', '第五条'], // 办法第五条 按量计收
};

/** The articles of a spec file: 第X条 → its paragraphs (each 款 with its items (一)…). */
function articles(file: string): Map<string, { paragraphs: string[]; items: Map<string, string> }> {
  const text = readFileSync(join(spec, file), 'utf8');
  const out = new Map<string, { paragraphs: string[]; items: Map<string, string> }>();
  let current: { paragraphs: string[]; items: Map<string, string> } | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^>\s?/, '').trim();
    if (!raw.startsWith('>') || !line) continue;
    const art = /^(第[一二三四五六七八九十]+条)\s*(.*)$/.exec(line);
    if (art) {
      current = { paragraphs: [art[2]!], items: new Map() };
      out.set(art[1]!, current);
      continue;
    }
    if (!current) continue;
    const item = /^[(（]([一二三四五六七八九十]+)[)）](.*)$/.exec(line);
    if (item) current.items.set(item[1]!, item[2]!);
    else current.paragraphs.push(line);
  }
  return out;
}

function assertQuoted(p: Provision, arts: ReturnType<typeof articles>) {
  const m = /^(第[一二三四五六七八九十]+条)(?:第([一二三四五六七八九十]+)款)?(?:第（([一二三四五六七八九十]+)）项)?$/.exec(p.cite);
  assert.ok(m, `cite ${p.cite}`);
  const art = arts.get(m[1]!);
  assert.ok(art, `${m[1]} is quoted in the spec`);
  const norm = (s: string) => s.replace(/,/g, '，').replace(/\s/g, '');
  let where: string;
  if (m[3]) where = art.items.get(m[3]) ?? '';
  else if (m[2]) where = art.paragraphs['一二三四五六七八九十'.indexOf(m[2]) ] ?? '';
  else where = art.paragraphs.join('') + [...art.items.values()].join('');
  assert.ok(norm(where).includes(norm(p.words)), `${p.cite} says “${p.words}”: found “${where}”`);
}

describe('letter-basis: the provision of each outcome and notice', () => {
  for (const key of OUTCOME_KEYS) {
    it(`${key} cites ${EXPECTED[key].filter(Boolean).join('、') || 'no article'}`, { skip: specSkip }, () => {
      const provisions = replyBasis(key);
      assert.deepEqual(provisions.map((p) => p.cite), EXPECTED[key]);
      const reg = articles('regulations.md');
      for (const p of provisions) if (p.instrument === 'regulation') assertQuoted(p, reg);
    });
  }

  for (const kind of Object.keys(NOTICES) as NoticeKind[]) {
    it(`notice ${kind} cites ${NOTICES[kind].join('、')}`, { skip: specSkip }, () => {
      const provisions = NOTICE_BASIS[kind];
      assert.deepEqual(provisions.map((p) => p.cite), NOTICES[kind]);
      const reg = articles('regulations.md');
      const fees = readFileSync(join(spec, 'fees.md'), 'utf8');
      for (const p of provisions) {
        if (p.instrument === 'regulation') assertQuoted(p, reg);
        else assert.ok(fees.includes(`${p.cite} ${p.words}`), `办法${p.cite}: ${p.words}`);
      }
    });
  }

  it('第三十六条: 予以公开 cites (一) when already published; 不掌握 cites (五) when another agency is responsible', () => {
    assert.deepEqual(replyBasis('disclosed', { alreadyPublic: true }).map((p) => p.cite), ['第三十六条第（一）项']);
    assert.deepEqual(replyBasis('unavailable.not_held', { otherAgency: true }).map((p) => p.cite), ['第三十六条第（五）项']);
  });

  it('prints the citation with the instrument once', () => {
    assert.equal(citation(replyBasis('unavailable.not_held')), `${REGULATION_TITLE}第三十六条第（四）项`);
    assert.equal(citation(NOTICE_BASIS.fee_per_page), `${REGULATION_TITLE}第四十二条第一款和${FEE_MEASURES_TITLE}第五条`);
    assert.equal(citation(replyBasis('other.fee_overdue')), `${REGULATION_TITLE}第四十二条第一款和${FEE_MEASURES_TITLE}`);
    assert.equal(citation(replyBasis('other.other')), '');
  });
});
