/**
 * What search compares: text folded to one form, cut into runs of letters and digits. No I/O.
 *
 * Folding: NFKC (full-width → half-width, compatibility ideographs), lower case, and traditional → simplified
 * characters with OpenCC's data (opencc-js: TSCharacters, after the Taiwan and Hong Kong variant tables), one
 * character to one character, so that positions in the folded text are positions in the original (for
 * highlighting). Everything that is not a letter or a digit separates runs.
 *
 * The reference form of a text (what a brute-force substring scan compares, and what the index must agree
 * with): its fields, each as its runs joined by one space, the fields joined by a newline. A query word matches
 * a text when the word's reference form (its runs joined by one space) is a substring of the text's.
 */
import HKVariantsRev from 'opencc-js/dict/HKVariantsRev';
import TSCharacters from 'opencc-js/dict/TSCharacters';
import TWVariantsRev from 'opencc-js/dict/TWVariantsRev';

const WORD_CHAR = /[\p{L}\p{N}]/u;
const MARK = /\p{M}/u;

let T2S: Map<number, number> | null = null;
/** Traditional (and regional variant) characters → simplified, one code point to one code point. */
function t2s(): Map<number, number> {
  if (T2S) return T2S;
  const pairs = (s: string) => s.split('|').map((p) => p.split(' ') as [string, string]).filter(([a, b]) => a && b && [...a].length === 1 && [...b].length === 1);
  const ts = new Map<number, number>();
  for (const [a, b] of pairs(TSCharacters)) ts.set(a.codePointAt(0)!, b.codePointAt(0)!);
  const simplified = new Set(ts.values());
  const out = new Map(ts);
  for (const [a, b] of [...pairs(TWVariantsRev), ...pairs(HKVariantsRev)]) {
    const from = a.codePointAt(0)!;
    // A simplified character is never folded away (才, 台, 么 are variants' targets in those tables too).
    if (simplified.has(from) || out.has(from)) continue;
    const to = b.codePointAt(0)!;
    out.set(from, ts.get(to) ?? to);
  }
  return (T2S = out);
}

/** The folded form of a string: NFKC, lower case, traditional → simplified (character by character). */
export function fold(s: string): string {
  const map = t2s();
  let out = '';
  for (const ch of s.normalize('NFKC').toLowerCase()) {
    const cp = ch.codePointAt(0)!;
    const m = map.get(cp);
    out += m === undefined ? ch : String.fromCodePoint(m);
  }
  return out;
}

// Fast path: a table, per UTF-16 code unit, of its folded form when that is one letter or digit in the BMP
// (>= 0), -1 when it is a separator, -2 when the unit can take part in composition or context-dependent case
// (marks, Hangul, surrogates, Σ, forms that fold to several characters): texts holding one of those take the
// exact path (folding the whole text). Otherwise, unit by unit equals whole-text folding.
let TABLE: Int32Array | null = null;
export function foldTable(): Int32Array {
  if (TABLE) return TABLE;
  const t = new Int32Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    if ((c >= 0xd800 && c <= 0xdfff) || c === 0x3a3 || (c >= 0x1100 && c <= 0x11ff) || (c >= 0x3130 && c <= 0x318f) || (c >= 0xa960 && c <= 0xa97f) || (c >= 0xac00 && c <= 0xd7ff)) {
      t[c] = -2;
      continue;
    }
    const ch = String.fromCharCode(c);
    if (MARK.test(ch)) {
      t[c] = -2;
      continue;
    }
    const n = fold(ch);
    if (n.length === 1) t[c] = WORD_CHAR.test(n) ? n.charCodeAt(0) : -1;
    else if (n.length > 1 && ![...n].some((x) => WORD_CHAR.test(x) || MARK.test(x))) t[c] = -1;
    else t[c] = -2;
  }
  return (TABLE = t);
}

/** True when the unit-by-unit path is exact for this text. */
export function simpleText(s: string): boolean {
  const t = foldTable();
  for (let i = 0; i < s.length; i++) if (t[s.charCodeAt(i)] === -2) return false;
  return true;
}

/**
 * The folded text with every separator as one space (the same length in UTF-16 units as the original on the
 * fast path, so that positions carry over), or null when the text needs the exact path.
 */
export function foldedUnits(s: string): string | null {
  if (!simpleText(s)) return null;
  const t = TABLE!;
  const units = new Uint16Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const f = t[s.charCodeAt(i)]!;
    units[i] = f < 0 ? 0x20 : f;
  }
  let out = '';
  for (let i = 0; i < units.length; i += 8192) out += String.fromCharCode(...units.subarray(i, i + 8192));
  return out;
}

/** The runs of letters and digits of a text, folded. */
export function runsOf(s: string): string[] {
  const fast = foldedUnits(s);
  if (fast !== null) return fast.split(' ').filter(Boolean);
  const out: string[] = [];
  let cur = '';
  for (const ch of fold(s)) {
    if (WORD_CHAR.test(ch)) cur += ch;
    else if (cur) {
      out.push(cur);
      cur = '';
    }
  }
  if (cur) out.push(cur);
  return out;
}

/** The reference form of one field: its runs joined by one space. */
export const refOf = (s: string) => runsOf(s).join(' ');
/** The reference form of a text of several fields (title, 文号, summary, body): fields joined by a newline. */
export const refText = (fields: string[]) => fields.map(refOf).join('\n');
