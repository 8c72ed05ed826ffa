import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { GramGroups } from './postings.js';
import { decodeBlock, encodeBlock, textGrams, textGramsTo } from './text.js';

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
