import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { GramGroups } from './postings.js';
import { containsAll, decodeBlock, encodeBlock, matchRanges, normalize, textGrams, textGramsTo } from './text.js';

const collect = (texts: string[], unigrams: boolean) => {
  const set = new Set<number>();
  textGramsTo(texts, unigrams, { add: (g) => void set.add(g) });
  return [...set].sort((a, b) => a - b);
};
const exact = (texts: string[], unigrams: boolean) => [...textGrams(texts.join('\n'), unigrams)].sort((a, b) => a - b);

// Characters that exercise normalisation: CJK, full-width forms, Latin with and without combining marks,
// Hangul (composes), Greek sigma (context-dependent case), ligatures and circled digits (several characters),
// punctuation, a character outside the BMP.
const CHARS = ['政', '府', '信', '息', '公', '开', '２', '０', 'Ａ', 'ｂ', 'a', 'B', 'e', '\u0301', 'é', '가', '\u1100', '\u1161', 'Σ', 'σ', 'ﬁ', '①', '…', '，', '、', '〔', '〕', ' ', '\n', '𠀀', 'İ', '\u00ad', '㈱', 'K', 'Å'];

test('the fast gram path equals whole-text normalisation', () => {
  fc.assert(
    fc.property(fc.array(fc.array(fc.constantFrom(...CHARS), { maxLength: 12 }).map((a) => a.join('')), { minLength: 1, maxLength: 4 }), fc.boolean(), (texts, uni) => {
      assert.deepEqual(collect(texts, uni), exact(texts, uni));
    }),
    { numRuns: 3000 },
  );
  assert.deepEqual(collect(['某市人民政府关于印发2025年政府信息公开工作要点的通知', '某政办发〔2025〕3号'], true), exact(['某市人民政府关于印发2025年政府信息公开工作要点的通知', '某政办发〔2025〕3号'], true));
});

test('a batch groups each gram with its documents’ keys, descending, without duplicates', () => {
  const g = new GramGroups();
  const docs = [['公开', '公开公开'], ['公开'], ['信息']];
  docs.forEach((texts, i) => {
    g.doc = i;
    textGramsTo(texts, false, g);
  });
  const groups = g.groups([30, 20, 10]);
  assert.deepEqual([...groups.get(exact(['公开'], false)[0]!)!], [30, 20]);
  assert.deepEqual([...groups.get(exact(['信息'], false)[0]!)!], [10]);
  assert.equal(groups.size, 3); // 公开, 开公, 信息
});

test('posting blocks round-trip', () => {
  fc.assert(
    fc.property(fc.uniqueArray(fc.integer({ min: -(2 ** 40), max: 2 ** 52 }), { minLength: 1, maxLength: 200 }), (xs) => {
      const keys = Float64Array.from(xs).sort().reverse();
      assert.deepEqual([...decodeBlock(encodeBlock(keys), keys.length)], [...keys]);
    }),
  );
});

// The reference: each character normalised on its own, positions mapped back (what matchRanges did for all texts).
function slowRanges(text: string, words: string[]): [number, number][] {
  let norm = '';
  const orig: number[] = [];
  let i = 0;
  for (const ch of text) {
    const n = normalize(ch);
    for (let k = 0; k < n.length; k++) orig.push(i);
    norm += n;
    i += ch.length;
  }
  orig.push(i);
  const ranges: [number, number][] = [];
  for (const w of words) {
    for (let at = norm.indexOf(w); at >= 0; at = norm.indexOf(w, at + w.length)) ranges.push([orig[at]!, orig[at + w.length] ?? text.length]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

test('highlighting and the phrase check find the same places on the fast path as character-by-character normalisation', () => {
  const word = fc.array(fc.constantFrom('政', '府', '公', '开', '２', '0', 'a', 'b', 'Ａ'), { minLength: 1, maxLength: 3 }).map((a) => normalize(a.join('')));
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...CHARS), { maxLength: 40 }).map((a) => a.join('')), fc.array(word, { minLength: 1, maxLength: 3 }), (text, words) => {
      assert.deepEqual(matchRanges(text, words), slowRanges(text, words));
      assert.equal(containsAll(text, words), words.every((w) => normalize(text).includes(w)));
    }),
    { numRuns: 3000 },
  );
  assert.deepEqual(matchRanges('关于（政府）信息公开的ＡＢ通知', ['公开', 'ab']), [[8, 10], [11, 13]]);
});
