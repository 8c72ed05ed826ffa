/** Showing where a query matched: ranges in the original text, <mark>ed HTML, a snippet around the first hit. No I/O. */
import { fold, foldedUnits } from './fold.js';

const WORD_CHAR = /[\p{L}\p{N}]/u;
const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESC[c]!);

/**
 * The folded text, separators as spaces, with for each folded UTF-16 position the original position (null:
 * the same position — the fast path keeps lengths).
 */
function foldWithMap(s: string): { norm: string; orig: number[] | null } {
  const fast = foldedUnits(s);
  if (fast !== null) return { norm: fast, orig: null };
  let norm = '';
  const orig: number[] = [];
  // A character with the combining marks that follow it folds as one (NFKC composes them).
  for (const m of s.matchAll(/[^\p{M}][\p{M}]*|[\p{M}]+/gsu)) {
    const n = [...fold(m[0])].map((c) => (WORD_CHAR.test(c) ? c : ' ')).join('');
    for (let k = 0; k < n.length; k++) orig.push(m.index);
    norm += n;
  }
  const i = s.length;
  orig.push(i);
  return { norm, orig };
}

const reEscape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Ranges [start, end) in the original text where any of the words (reference forms) occurs. */
export function matchRanges(text: string, words: string[]): [number, number][] {
  const { norm, orig } = foldWithMap(text);
  const ranges: [number, number][] = [];
  for (const w of words) {
    if (!w) continue;
    const re = new RegExp(w.split(' ').map(reEscape).join(' +'), 'g');
    for (let m = re.exec(norm); m; m = re.exec(norm)) {
      const end = m.index + m[0].length;
      ranges.push(orig ? [orig[m.index]!, orig[end] ?? text.length] : [m.index, end]);
      if (m[0].length === 0) re.lastIndex++;
    }
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

/** Escaped HTML with each occurrence of the words wrapped in <mark>. */
export function highlightHtml(text: string, words: string[]): string {
  let out = '';
  let pos = 0;
  for (const [a, b] of matchRanges(text, words)) {
    out += escapeHtml(text.slice(pos, a)) + '<mark>' + escapeHtml(text.slice(a, b)) + '</mark>';
    pos = b;
  }
  return out + escapeHtml(text.slice(pos));
}

/** How far into a text a snippet looks for a hit written in another form than the query (繁体, full width, case). */
const SNIPPET_SCAN = 20_000;

/**
 * A short passage of the text around the first occurrence of a word (or its start). A word found as it is
 * typed (folded) is found with indexOf; otherwise the text is folded a window at a time, up to SNIPPET_SCAN
 * characters (a 100,000-character statute that holds the word only in its title is not folded whole for
 * each result).
 */
export function snippetOf(text: string, words: string[], length = 120): string {
  let first = -1;
  for (const w of words) {
    const at = text.indexOf(w.split(' ')[0]!);
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
  const WINDOW = 4000;
  const OVERLAP = 400; // longer than any query (100 characters) with separators between runs
  const limit = Math.min(text.length, first >= 0 ? first : SNIPPET_SCAN);
  let folded = -1;
  for (let s = 0; s < limit && folded < 0; s += WINDOW) {
    const r = matchRanges(text.slice(s, Math.min(s + WINDOW + OVERLAP, limit + OVERLAP)), words)[0];
    if (r) folded = s + r[0];
  }
  if (folded >= 0 && (first < 0 || folded < first)) first = folded;
  const from = first > 0 ? Math.max(0, first - Math.floor(length / 4)) : 0;
  const start = from > 0 && /[\uDC00-\uDFFF]/.test(text[from]!) ? from - 1 : from; // never cut a surrogate pair
  const passage = text.slice(start, start + length * 3).replace(/\s+/g, ' ').trim();
  let end = Math.min(passage.length, length);
  if (end < passage.length && /[\uDC00-\uDFFF]/.test(passage[end]!)) end++;
  const more = end < passage.length || start + length * 3 < text.length;
  return (start > 0 ? '…' : '') + passage.slice(0, end) + (more ? '…' : '');
}
