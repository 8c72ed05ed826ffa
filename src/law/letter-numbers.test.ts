/** GB/T 9704-2012 7.2.4 发文字号: 机关代字 + 〔年份〕 + 顺序号 + 号, no 第, no leading zeros. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LETTER_KIND_CODES, LETTER_NUMBER_KINDS, abbrProblem, formatLetterNumber } from './letter-numbers.js';

describe('letter numbers', () => {
  it('formats 机关代字 + 类别字〔year〕serial号', () => {
    assert.equal(formatLetterNumber('哈文旅', 'reply', 2026, 7), '哈文旅依申复〔2026〕7号');
    assert.equal(formatLetterNumber('哈文旅', 'receipt', 2026, 1), '哈文旅依申登〔2026〕1号');
    assert.equal(formatLetterNumber(null, 'fee', 2025, 12), '依申费〔2025〕12号');
    assert.throws(() => formatLetterNumber('哈文旅', 'reply', 2026, 0));
  });

  it('each kind has its own 类别字', () => {
    const codes = LETTER_NUMBER_KINDS.map((k) => LETTER_KIND_CODES[k]);
    assert.equal(new Set(codes).size, codes.length);
  });

  it('accepts a 机关代字 of characters', () => {
    for (const ok of ['哈文旅', '哈政办', '国税哈', 'HRB12']) assert.equal(abbrProblem(ok), null, ok);
  });

  it('bad input: punctuation, symbols, spaces, too long, empty', () => {
    for (const bad of ['哈文旅〔', '哈，文旅', '哈-文旅', '哈文旅。', '哈 文旅', '“哈文旅”', '哈·文旅', '一二三四五六七八九十一', ''])
      assert.ok(abbrProblem(bad), bad);
    assert.match(abbrProblem('哈，文旅')!, /不能含标点/);
  });
});
