import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { fold, refOf, refText, runsOf } from './fold.js';
import { highlightHtml, matchRanges, snippetOf } from './highlight.js';
import { BARRIER, columnTokens, columnTokenText, columnTokensOfRuns, fts5Match, tsVectorOfRuns, tsVectorText, MAX_QUERY_CHARS, matchesAll, parseQuery, tsQueryText, wordTokens } from './query.js';

// Characters that exercise folding: CJK (simplified and traditional), full-width forms, Latin with and without
// combining marks, Hangul (composes), Greek sigma, ligatures and circled digits (several characters),
// punctuation, characters outside the BMP, a lone surrogate.
const CHARS = ['政', '府', '信', '息', '公', '开', '開', '個', '个', '２', '０', 'Ａ', 'ｂ', 'a', 'B', 'e', '\u0301', 'é', '가', '\u1100', '\u1161', 'Σ', 'σ', 'ﬁ', '①', '…', '，', '、', '〔', '〕', ' ', '\n', '𠀀', 'İ', '\u00ad', '㈱', 'K', 'Å', '\ud800'];
const text = fc.array(fc.constantFrom(...CHARS), { maxLength: 30 }).map((a) => a.join(''));

test('traditional characters, full-width forms and case fold to one form (OpenCC data)', () => {
  assert.equal(fold('營商環境'), '营商环境');
  assert.equal(fold('個人信息'), '个人信息');
  assert.equal(fold('行政許可'), '行政许可');
  assert.equal(fold('ＰＭ２．５'), 'pm2.5');
  assert.equal(fold('政府資訊公開'), '政府资讯公开');
  // simplified characters stay as they are (才, 台, 么 are targets of the variant tables too)
  assert.equal(fold('才能 台湾 什么'), '才能 台湾 什么');
});

test('the fast path (a table per code unit) equals folding the whole text', () => {
  fc.assert(
    fc.property(text, (s) => {
      const slow: string[] = [];
      let cur = '';
      for (const ch of fold(s)) {
        if (/[\p{L}\p{N}]/u.test(ch)) cur += ch;
        else if (cur) {
          slow.push(cur);
          cur = '';
        }
      }
      if (cur) slow.push(cur);
      assert.deepEqual(runsOf(s), slow);
    }),
    { numRuns: 3000 },
  );
});

test('a query without spaces is one phrase; spaces separate required words; punctuation joins runs', () => {
  assert.deepEqual(parseQuery('政府信息公开').words, ['政府信息公开']);
  assert.deepEqual(parseQuery('  政府信息公开　年度报告 ').words, ['政府信息公开', '年度报告']);
  assert.deepEqual(parseQuery('PM2.5').words, ['pm2 5']);
  assert.deepEqual(parseQuery('国办发〔2016〕8号').words, ['国办发 2016 8号']);
  assert.deepEqual(parseQuery('《中华人民共和国预算法》').words, ['中华人民共和国预算法']);
  assert.deepEqual(parseQuery('信息 政府信息公开').words, ['政府信息公开'], 'a word inside another is implied');
  assert.deepEqual(parseQuery('營商環境').words, ['营商环境']);
});

test('bad queries get a clear message, never an exception', () => {
  assert.equal(parseQuery('').errorKind, 'empty');
  assert.equal(parseQuery('   　 ').errorKind, 'empty');
  assert.equal(parseQuery('！？。，…、——').errorKind, 'no_text');
  assert.equal(parseQuery('\ud800\udfff\ud800').errorKind, 'no_text');
  assert.equal(parseQuery('政'.repeat(10_000)).errorKind, 'too_long');
  assert.equal(parseQuery('政'.repeat(MAX_QUERY_CHARS)).error, undefined);
  assert.equal(parseQuery('a b c d e f g h i').errorKind, 'too_many_words');
  assert.match(parseQuery('政'.repeat(10_000)).error!, /最多 100 个字/);
  assert.equal(parseQuery(undefined).errorKind, 'empty');
});

test('index tokens: bigrams of each run and its last character; a barrier between fields', () => {
  assert.deepEqual(columnTokens(['政府信息', 'PM2.5']), ['政府', '府信', '信息', '息', BARRIER, 'pm', 'm2', '2', '5']);
  assert.deepEqual(wordTokens('政府信息'), { tokens: ['政府', '府信', '信息'], prefix: false, exact: false });
  assert.deepEqual(wordTokens('政'), { tokens: ['政'], prefix: true, exact: true });
  assert.deepEqual(wordTokens('政府'), { tokens: ['政府'], prefix: false, exact: true });
  assert.deepEqual(wordTokens('pm2 5'), { tokens: ['pm', 'm2', '2', '5'], prefix: true, exact: false });
  assert.equal(fts5Match(['政府信息', '5']), '"政府 府信 信息" AND "5" *');
  assert.equal(tsQueryText(['政府信息', 'pm2 5']), "'政府' & '府信' & '信息' & 'pm' & 'm2' & '2' & '5':*");
});

// A word's tokens appear consecutively (the last as a prefix) in a field's tokens exactly where the word's
// reference form is a substring of the field's: what FTS5 phrases and the PostgreSQL check rely on.
function phraseIn(fieldTokens: string[], w: string): boolean {
  const { tokens, prefix } = wordTokens(w);
  for (let i = 0; i + tokens.length <= fieldTokens.length; i++) {
    let ok = true;
    for (let k = 0; k < tokens.length && ok; k++) {
      const t = fieldTokens[i + k]!;
      ok = k === tokens.length - 1 && prefix ? t !== BARRIER && [...t][0] === tokens[k] : t === tokens[k];
    }
    if (ok) return true;
  }
  return false;
}

test('phrases of tokens find exactly the substrings of the reference form (random texts)', () => {
  const small = fc.array(fc.constantFrom('政', '府', '公', '开', '開', 'a', 'b', '2', '5', '.', ' ', '，'), { maxLength: 24 }).map((a) => a.join(''));
  fc.assert(
    fc.property(small, small, small, (t1, t2, q) => {
      const p = parseQuery(q);
      if (p.error) return;
      const tokens = columnTokens([t1, t2]);
      const ref = refText([t1, t2]);
      for (const w of p.words) assert.equal(phraseIn(tokens, w), ref.includes(w), `${JSON.stringify([t1, t2])} ∋ ${w}`);
    }),
    { numRuns: 5000 },
  );
});

/** A tsvector's text as lexeme → positions (the order of lexemes is the server's business). */
function tsvMap(t: string): Map<string, string> {
  return new Map(t ? t.split(' ').map((e) => { const i = e.lastIndexOf(':'); return [e.slice(0, i), e.slice(i + 1)] as [string, string]; }) : []);
}

test('the fast encoders equal their definitions, lexemes in PostgreSQL order (random texts, astral characters, long fields)', () => {
  const chars = fc.constantFrom('政', '府', '公', '开', '開', 'a', 'b', '2', '5', '.', ' ', '，', '𠀀', '𡈽', 'é', 'Ａ');
  const field = fc.array(chars, { maxLength: 30 }).map((a) => a.join(''));
  const fields = fc.array(field, { minLength: 1, maxLength: 4 });
  fc.assert(
    fc.property(fields, fields, (t, b) => {
      const tr = t.map(runsOf);
      const br = b.map(runsOf);
      assert.equal(columnTokenText(tr), columnTokensOfRuns(tr).join(' '));
      assert.equal(columnTokenText(br), columnTokensOfRuns(br).join(' '));
      const fast = tsVectorOfRuns(tr, br);
      assert.deepEqual(tsvMap(fast), tsvMap(tsVectorText(columnTokensOfRuns(tr), columnTokensOfRuns(br))));
      // BMP lexemes come sorted by their UTF-8 bytes (what PostgreSQL's tsvector input sorts by)
      const bmp = [...tsvMap(fast).keys()].map((k) => k.slice(1, -1)).filter((k) => !/[\uD800-\uDFFF]/.test(k));
      const bytes = bmp.map((k) => Buffer.from(k));
      for (let i = 1; i < bytes.length; i++) assert.ok(Buffer.compare(bytes[i - 1]!, bytes[i]!) < 0, `${bmp[i - 1]} < ${bmp[i]}`);
    }),
    { numRuns: 3000 },
  );
  // past PostgreSQL's last position (16 383) and the positions kept per token
  const long = ['政府公开'.repeat(6000)];
  const fast = tsVectorOfRuns([['标题']], long.map(runsOf));
  assert.deepEqual(tsvMap(fast), tsvMap(tsVectorText(columnTokensOfRuns([['标题']]), columnTokensOfRuns(long.map(runsOf)))));
  assert.match(fast, /^'公开':/);
});

test('highlighting marks the places the reference form matches, in the original text', () => {
  assert.deepEqual(matchRanges('关于（政府）信息公开的ＡＢ通知', ['公开', 'ab']), [[8, 10], [11, 13]]);
  assert.equal(highlightHtml('PM２.５与ＰＭ2 5', ['pm2 5']), '<mark>PM２.５</mark>与<mark>ＰＭ2 5</mark>');
  assert.equal(highlightHtml('營商環境<b>', ['营商环境']), '<mark>營商環境</mark>&lt;b&gt;');
  fc.assert(
    fc.property(text, fc.constantFrom('政府', '公开', 'a', 'pm2 5', '个'), (s, w) => {
      const found = matchRanges(s, [w]).length > 0;
      assert.equal(found, matchesAll(refOf(s), [w]));
    }),
    { numRuns: 2000 },
  );
});

test('a snippet shows the first hit in context, even deep in a long text', () => {
  const body = '第一条 为了规范行政行为。\n'.repeat(2000) + '第九条 个人信息应当依法保护。';
  const s = snippetOf(body, ['个人信息']);
  assert.match(s, /个人信息/);
  assert.ok(s.startsWith('…'));
  assert.ok(s.length <= 122);
  assert.equal(snippetOf('短文', ['无']), '短文');
  assert.equal(snippetOf('', ['无']), '');
});

test('did-you-mean: one character away from a frequent title term', async () => {
  const { buildVocabulary, suggest } = await import('./suggest.js');
  const v = buildVocabulary(['优化营商环境条例', '某市优化营商环境实施方案', '营商环境评价办法', '政府信息公开条例', '政府信息公开指南', '一次出现的罕见标题']);
  assert.equal(suggest(v, '营商环竟'), '营商环境', 'one wrong');
  assert.equal(suggest(v, '营商环'), '营商环境', 'one short');
  assert.equal(suggest(v, '营商环境境'), '营商环境', 'one too many');
  assert.equal(suggest(v, '营商环境'), null, 'a term itself');
  assert.equal(suggest(v, '量子计算'), null, 'nothing near');
  assert.equal(suggest(v, '罕见标题'), null, 'terms in one title only are not suggested');
  assert.equal(suggest(v, '營商環竟'.normalize()), null, 'the service folds first: the word is in reference form');
});

test('did-you-mean: the vocabulary made in slices is the one made at once, and it pauses between slices', async () => {
  const { buildVocabulary, buildVocabularyInSlices } = await import('./suggest.js');
  const words = ['营商环境', '政府信息', '公开指南', '优化服务', '行政许可', '安全生产', '乡村振兴', '城市更新'];
  const titles = Array.from({ length: 3000 }, (_, i) => `某市${words[i % 8]}${words[(i * 7 + 3) % 8]}工作方案（第${i % 97}号）`);
  let pauses = 0;
  const sliced = await buildVocabularyInSlices(titles, async () => void pauses++);
  const whole = buildVocabulary(titles);
  assert.deepEqual([...sliced.counts].sort(), [...whole.counts].sort());
  assert.deepEqual([...sliced.keys].sort(), [...whole.keys].sort());
  assert.ok(whole.counts.size > 10);
  assert.ok(pauses >= 6, `3 000 titles in slices of 500: ${pauses} pauses`);
});
