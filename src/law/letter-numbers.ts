/**
 * 发文字号 (GB/T 9704-2012 7.2.4): "由发文机关代字、年份、发文顺序号组成。年份、发文顺序号用阿拉伯数字标注；
 * 年份应标全称，用六角括号“〔〕”括入；发文顺序号不加“第”字，不编虚位（即1不编为01），在阿拉伯数字后加“号”。"
 *
 * Each agency has its 机关代字 (e.g. 哈文旅), and each kind of letter its own 类别字 and its own serial per year,
 * so the receipt and the reply of one request no longer share a number: 哈文旅依申复〔2026〕7号.
 */

export const LETTER_NUMBER_KINDS = ['receipt', 'correction', 'consultation', 'extension', 'fee', 'reply'] as const;
export type LetterNumberKind = (typeof LETTER_NUMBER_KINDS)[number];

/** The 类别字 after the 机关代字, one per kind of letter. */
export const LETTER_KIND_CODES: Readonly<Record<LetterNumberKind, string>> = Object.freeze({
  receipt: '依申登',
  correction: '依申补',
  consultation: '依申征',
  extension: '依申延',
  fee: '依申费',
  reply: '依申复',
});

export const ABBR_MAX_LENGTH = 10;

/**
 * Checks a 机关代字: Chinese characters (and Latin letters or digits, which some codes use), no punctuation,
 * no spaces, at most 10 characters. Returns the Chinese message for the office, or null when it is fine.
 */
export function abbrProblem(abbr: string): string | null {
  if (abbr.length === 0) return '机关代字不能为空';
  if ([...abbr].length > ABBR_MAX_LENGTH) return `机关代字不超过${ABBR_MAX_LENGTH}个字`;
  if (/\s/u.test(abbr)) return '机关代字不能含空格';
  if (/[\p{P}\p{S}]/u.test(abbr)) return `机关代字不能含标点或符号（如“〔”“〕”“，”“-”）：${abbr}`;
  if (!/^[\p{Script=Han}A-Za-z0-9]+$/u.test(abbr)) return `机关代字只能由汉字、字母或数字组成：${abbr}`;
  return null;
}

/** 哈文旅依申复〔2026〕7号. Without a 机关代字 the 类别字 stands alone (依申复〔2026〕7号). */
export function formatLetterNumber(abbr: string | null | undefined, kind: LetterNumberKind, year: number, serial: number): string {
  if (!Number.isInteger(serial) || serial < 1) throw new Error(`serial must be a positive integer: ${serial}`);
  return `${abbr ?? ''}${LETTER_KIND_CODES[kind]}〔${year}〕${serial}号`;
}
