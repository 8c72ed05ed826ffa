/**
 * Headings and row labels recognised through the variants and typos of published reports (the corpus in
 * fixtures/variants.tsv): each is put into generated reports in several layouts and both formats; the tables
 * read back exactly as with the format's wording, a typo is an `info` finding quoting it, a known variant is
 * read silently, and nothing else changes.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { auditText } from './audit.js';
import type { TextLayout } from './synthetic.js';
import { renderSyntheticText, syntheticReport } from './synthetic.js';

interface Variant {
  kind: 'heading' | 'label';
  canonical: string;
  printed: string;
  typo: boolean;
}

const corpus: Variant[] = readFileSync(new URL('./fixtures/variants.tsv', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('#'))
  .map((l) => {
    const [kind, canonical, printed, what] = l.split('\t');
    return { kind: kind as Variant['kind'], canonical, printed, typo: what.trim() === 'typo' };
  });

const LAYOUTS: TextLayout[] = ['pipes', 'spaces', 'lines', 'paragraphs', 'runtogether'];

describe('the corpus of heading and label variants', () => {
  it('has headings and labels, typos and variants', () => {
    assert.ok(corpus.filter((v) => v.kind === 'heading' && v.typo).length >= 5);
    assert.ok(corpus.filter((v) => v.kind === 'label' && v.typo).length >= 5);
    assert.ok(corpus.some((v) => !v.typo));
  });
  for (const v of corpus) {
    it(`${v.kind} “${v.printed}” (${v.typo ? 'typo' : 'variant'})`, () => {
      for (const [n, layout] of LAYOUTS.entries()) {
        for (const format of ['2021', '2019'] as const) {
          const report = syntheticReport(3001 + n * 17 + (format === '2019' ? 5 : 0), { format });
          const clean = renderSyntheticText(report, layout);
          if (!clean.includes(v.canonical)) continue; // a label the format does not have
          const text = clean.replace(v.canonical, v.printed);
          const base = auditText(clean, 'clean.txt');
          const got = auditText(text, 'variant.txt');
          const label = `${layout} ${format}`;
          assert.deepEqual(got.requests, base.requests, label);
          assert.deepEqual(got.reviews, base.reviews, label);
          assert.deepEqual(got.proactive, base.proactive, label);
          const typos = got.findings.filter((f) => f.rule === 'structure.heading-typo' || f.rule === 'table.label-typo');
          if (v.typo) {
            assert.equal(typos.length, 1, `${label}: ${JSON.stringify(got.findings)}`);
            assert.equal(typos[0].severity, 'info');
            assert.match(typos[0].message, /有误/);
            assert.ok(typos[0].message.includes(v.printed.replace(/^\d+\./, '').slice(0, 6)) || typos[0].message.includes(v.printed.slice(0, 6)), typos[0].message);
          } else assert.deepEqual(typos, [], label);
          const rest = got.findings.filter((f) => !typos.includes(f));
          const strip = ({ severity, rule, message, where }: (typeof rest)[number]) => ({ severity, rule, message, where });
          assert.deepEqual(rest.map(strip), base.findings.map(strip), label);
        }
      }
    });
  }
});

describe('the real case: 四、政府信息公开行政法复议、行政诉讼情况', () => {
  const text = [
    '某县某局2023年政府信息公开工作年度报告',
    '一、总体情况',
    '2023年，本局认真贯彻落实《条例》。',
    '二、主动公开政府信息情况',
    '第二十条第（一）项',
    '信息内容 本年制发件数 本年废止件数 现行有效件数',
    '规章 0 0 0',
    '行政规范性文件 0 0 0',
    '三、收到和处理政府信息公开申请情况',
    '（略）',
    '四、政府信息公开行政法复议、行政诉讼情况',
    '行政复议 行政诉讼',
    '未经复议直接起诉 复议后起诉',
    '结果 结果 其他 尚未 总',
    '维持 纠正 结果 审结 计 结果 结果 其他 尚未 总 结果 结果 其他 尚未 总',
    '维持 纠正 结果 审结 计 维持 纠正 结果 审结 计',
    '0 1 1 0 2 1 0 0 0 1 0 0 0 0 0',
    '五、存在的主要问题及改进情况',
    '信息公开的内容还不够丰富。',
    '六、其他需要报告的事项',
    '本年度未收取信息处理费。',
  ].join('\n');
  const r = auditText(text, 'typo.txt');
  it('yields table 四 = 0 1 1 0 2 1 0 0 0 1 0 0 0 0 0', () => {
    assert.deepEqual(r.reviews, {
      reconsideration: { upheld: 0, corrected: 1, other: 1, pending: 0, total: 2 },
      litigationDirect: { upheld: 1, corrected: 0, other: 0, pending: 0, total: 1 },
      litigationAfterReconsideration: { upheld: 0, corrected: 0, other: 0, pending: 0, total: 0 },
    });
  });
  it('reports the heading as info, not the section or the table as missing', () => {
    const f = r.findings.find((x) => x.rule === 'structure.heading-typo');
    assert.ok(f, JSON.stringify(r.findings));
    assert.equal(f.severity, 'info');
    assert.equal(f.where, 'sections.reviews');
    assert.match(f.message, /^标题有误：“四、政府信息公开行政法复议、行政诉讼情况”，应为“四、政府信息公开行政复议、行政诉讼情况”/);
    assert.ok(!r.findings.some((x) => x.where === 'reviews' || x.where === 'sections.reviews' && x.severity !== 'info'));
  });
});
