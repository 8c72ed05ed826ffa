/**
 * Text normalisation and tolerant label matching for reading published reports.
 *
 * Published text comes with full-width and half-width punctuation mixed, labels wrapped over lines or cut
 * into cells ("商业 企业", "（三）\n不予公开"), pipes and spacer lines. We normalise with NFKC (so "（一）" and
 * "(一)" compare equal) and match labels with regular expressions that allow separators (whitespace and
 * pipes) between any two characters and make quotation marks optional.
 */

/** NFKC plus the few mappings NFKC leaves alone. Keeps string length stable enough for our use. */
export function normalizeText(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/\r\n?/g, '\n')
    .replace(/[\u200b-\u200d\ufeff\u00ad]/g, '')
    .replace(/\u3000/g, ' ')
    .replace(/[‐‑‒–]/g, '-')
    .replace(/[﹒．]/g, '.')
    .replace(/增[ \t]*\/[ \t]*减/g, '增减'); // the 2019 column "本年增/减": its "/" is not a cell
}

/** Separators allowed inside a label: whitespace, pipes, table-drawing characters. */
export const SEP = '[\\s|│┃]*';
const QUOTES = '[“”"\'‘’「」『』]?';

function escapeChar(c: string): string {
  return /[.*+?^${}()|[\]\\/-]/.test(c) ? `\\${c}` : c;
}

/** A regex source matching `label` with optional separators between characters and optional quotes. */
export function tolerantSource(label: string): string {
  const chars = [...normalizeText(label).replace(/\s+/g, '')];
  const parts: string[] = [];
  for (const c of chars) {
    if (/[“”"'‘’「」『』]/.test(c)) parts.push(QUOTES);
    else if (c === ',' || c === '、') parts.push('[,、]?');
    else if (c === ':') parts.push('[:]?');
    else parts.push(escapeChar(c));
  }
  return parts.join(SEP);
}

const cache = new Map<string, RegExp>();
export function tolerantRegex(label: string, flags = 'g'): RegExp {
  const key = `${flags}\u0000${label}`;
  let re = cache.get(key);
  if (!re) {
    re = new RegExp(tolerantSource(label), flags);
    cache.set(key, re);
  }
  re.lastIndex = 0;
  return re;
}

export interface Match {
  start: number;
  end: number;
}

/** The first match of a global regex at or after `from` (and before `to`, when given). */
export function findFrom(text: string, re: RegExp, from: number, to = text.length): Match | null {
  re.lastIndex = from;
  const m = re.exec(text);
  if (!m || m.index >= to) return null;
  return { start: m.index, end: m.index + m[0].length };
}

/** Page furniture that can sit inside tables: page numbers, running headers of page-flip copies. */
const FURNITURE: RegExp[] = [
  /^[ \t]*[-—─]{1,2}[ \t]*\d{1,3}[ \t]*[-—─]{1,2}[ \t]*$/gm, // - 5 -
  /^[ \t]*第[ \t]*\d{1,3}[ \t]*页([ \t]*[,/]?[ \t]*共[ \t]*\d{1,3}[ \t]*页)?[ \t]*$/gm, // 第5页 共10页
  /^[ \t]*Page[ \t]+\d+\b.*$/gim, // Page 8 - title
  /^[ \t]*P\.[ \t]*\d+[ \t]*$/gm, // P. 8
];

/** Blanks out page furniture lines (keeping line structure). */
export function stripFurniture(text: string): string {
  let t = text;
  // Blanked with spaces of the same length, so that offsets in the text stay those of the document.
  for (const re of FURNITURE) t = t.replace(re, (m) => ' '.repeat(m.length));
  return t;
}

/** True when a character is CJK (used to tell prose from numbers). */
export function isCjk(c: string): boolean {
  return /[\u3400-\u9fff]/.test(c);
}
