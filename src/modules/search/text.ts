/**
 * The pure parts of Chinese full-text search: normalisation, character grams, query segmentation,
 * highlighting, the posting-block codec and sorted-list operations. No I/O.
 *
 * Why bigrams: a citizen types a word (公开) that sits inside a longer compound (信息公开) in the title.
 * A dictionary tokenizer indexes the compound as one token and misses it; character bigrams find every
 * title that contains the characters in that order, whatever the segmentation.
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

// ---------------------------------------------------------------------------------------------------------
// Normalisation and grams

/** NFKC (full-width → half-width) and lower case: the form that is indexed and compared. */
export function normalize(s: string): string {
  return s.normalize('NFKC').toLowerCase();
}

const WORD_CHAR = /[\p{L}\p{N}]/u;
const CODE_LIMIT = 0x110000;

/** A bigram as one integer (two code points), a unigram as a negative integer. */
export const bigram = (a: number, b: number) => a * CODE_LIMIT + b;
export const unigram = (a: number) => -a;
/** Pseudo-grams of the full-text field that carry the filters (agency, 主题分类). */
export const agencyGram = (agencyId: number) => -(2 ** 32 + agencyId);
export function categoryGram(category: string): number {
  let h = 2166136261;
  for (let i = 0; i < category.length; i++) h = Math.imul(h ^ category.charCodeAt(i), 16777619) >>> 0;
  return -(2 ** 33 + h);
}

/** Runs of letters and digits of a normalised text, as arrays of code points. */
function runs(norm: string): number[][] {
  const out: number[][] = [];
  let cur: number[] = [];
  for (const ch of norm) {
    if (WORD_CHAR.test(ch)) cur.push(ch.codePointAt(0)!);
    else if (cur.length) {
      out.push(cur);
      cur = [];
    }
  }
  if (cur.length) out.push(cur);
  return out;
}

/** The distinct grams of a text: bigrams within runs of letters/digits; with `unigrams`, each character too. */
export function textGrams(text: string, unigrams: boolean, into = new Set<number>()): Set<number> {
  for (const r of runs(normalize(text))) {
    for (let i = 0; i < r.length; i++) {
      if (unigrams) into.add(unigram(r[i]!));
      if (i + 1 < r.length) into.add(bigram(r[i]!, r[i + 1]!));
    }
  }
  return into;
}

// Fast path for indexing: a table, per UTF-16 code unit, of its normalised form (NFKC, lower case) when that
// is one letter or digit (>= 0), -1 when it is a separator (no letter or digit), -2 when the character can
// take part in composition or context-dependent case (combining marks, Hangul jamo and syllables, surrogates,
// Σ, forms that normalise to several characters or to nothing): texts holding one of those take the exact
// path above (normalising the whole text). Otherwise, character by character equals whole-text normalisation.
let FOLD: Int32Array | null = null;
function foldTable(): Int32Array {
  if (FOLD) return FOLD;
  const t = new Int32Array(0x10000);
  const mark = /\p{M}/u;
  for (let c = 0; c < 0x10000; c++) {
    if ((c >= 0xd800 && c <= 0xdfff) || c === 0x3a3 || (c >= 0x1100 && c <= 0x11ff) || (c >= 0x3130 && c <= 0x318f) || (c >= 0xa960 && c <= 0xa97f) || (c >= 0xac00 && c <= 0xd7ff)) {
      t[c] = -2;
      continue;
    }
    const ch = String.fromCharCode(c);
    if (mark.test(ch)) {
      t[c] = -2;
      continue;
    }
    const n = normalize(ch);
    if (n.length === 1) t[c] = WORD_CHAR.test(n) ? n.charCodeAt(0) : -1;
    else if (n.length > 1 && ![...n].some((x) => WORD_CHAR.test(x) || mark.test(x))) t[c] = -1;
    else t[c] = -2;
  }
  return (FOLD = t);
}

/** Receives the grams of one document (duplicates allowed). */
export interface GramSink {
  add(gram: number): void;
}

/** True when the fast, character-by-character path is exact for these texts. */
export function simpleText(...texts: string[]): boolean {
  const t = foldTable();
  for (const s of texts) for (let i = 0; i < s.length; i++) if (t[s.charCodeAt(i)] === -2) return false;
  return true;
}

/**
 * The grams of texts (each its own runs: texts never join), as textGrams(texts.join('\n'), unigrams) gives
 * them, into a sink. Duplicates are passed on (the sink dedupes).
 */
export function textGramsTo(texts: string[], unigrams: boolean, sink: GramSink): void {
  if (!simpleText(...texts)) {
    for (const g of textGrams(texts.join('\n'), unigrams)) sink.add(g);
    return;
  }
  const t = FOLD!;
  for (const s of texts) {
    let prev = -1;
    for (let i = 0; i < s.length; i++) {
      const f = t[s.charCodeAt(i)]!;
      if (f < 0) {
        prev = -1;
        continue;
      }
      if (unigrams) sink.add(-f);
      if (prev >= 0) sink.add(prev * CODE_LIMIT + f);
      prev = f;
    }
  }
}

/** The grams a query word needs: its bigrams (a phrase), or its one character as a unigram. */
export function wordGrams(word: string): { bigrams: number[]; unigram: number | null } {
  const cps = [...word].map((c) => c.codePointAt(0)!);
  if (cps.length === 1) return { bigrams: [], unigram: unigram(cps[0]!) };
  const set = new Set<number>();
  for (let i = 0; i + 1 < cps.length; i++) set.add(bigram(cps[i]!, cps[i + 1]!));
  return { bigrams: [...set], unigram: null };
}

// ---------------------------------------------------------------------------------------------------------
// Sort keys: 发布日期 (days) then item id, so that descending key order is newest first.

const ID_SPACE = 2 ** 26;
export function sortKey(publishedOn: string, itemId: number): number {
  if (!Number.isInteger(itemId) || itemId < 1 || itemId >= ID_SPACE) throw new Error(`search: item id out of range: ${itemId}`);
  const days = Math.floor(Date.parse(`${publishedOn.slice(0, 10)}T00:00:00Z`) / 86_400_000);
  if (!Number.isFinite(days)) throw new Error(`search: bad publishedOn: ${publishedOn}`);
  return days * ID_SPACE + itemId;
}
export const itemIdOf = (skey: number) => ((skey % ID_SPACE) + ID_SPACE) % ID_SPACE;
/** [lo, hi): the sort keys of items published in a year. */
export function yearRange(year: number): [number, number] {
  return [sortKey(`${year}-01-01`, 1) - 1, sortKey(`${year + 1}-01-01`, 1) - 1];
}

// ---------------------------------------------------------------------------------------------------------
// Query segmentation

let jieba: Jieba | null = null;
function cutter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

/** One-character function words dropped from multi-word queries. */
const STOP = new Set(['的', '了', '和', '与', '及', '在', '是', '之', '或', '对', '于', '为', '等', '有', '把', '被']);
export const MAX_QUERY_CHARS = 100;
const MAX_WORDS = 12;

/**
 * The words of a query, each to be found as a phrase (all required). The query is normalised, split at
 * anything that is not a letter or digit, and Chinese runs are cut into words with jieba; consecutive
 * single characters are joined again (names, rare words), and a word contained in another is dropped
 * (it is implied).
 */
export function queryWords(q: string): string[] {
  const norm = normalize(q).slice(0, MAX_QUERY_CHARS);
  const words: string[] = [];
  for (const r of runs(norm)) {
    const run = String.fromCodePoint(...r);
    const tokens = /\p{Script=Han}/u.test(run) ? cutter().cut(run, true) : [run];
    let pending = '';
    const flush = () => {
      if (pending) words.push(pending);
      pending = '';
    };
    for (const t of tokens) {
      const tok = [...t].filter((c) => WORD_CHAR.test(c)).join('');
      if (!tok) continue;
      if ([...tok].length === 1 && /\p{Script=Han}/u.test(tok)) pending += tok;
      else {
        flush();
        words.push(tok);
      }
    }
    flush();
  }
  let uniq = [...new Set(words)];
  if (uniq.length > 1) {
    const content = uniq.filter((w) => !STOP.has(w));
    if (content.length) uniq = content;
  }
  uniq = uniq.filter((w) => !uniq.some((o) => o !== w && o.includes(w)));
  return uniq.slice(0, MAX_WORDS);
}

// ---------------------------------------------------------------------------------------------------------
// Highlighting

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESC[c]!);

/**
 * The normalised text with, for each normalised UTF-16 position, the original position (null: the same
 * position). Texts the fast path covers (simpleText) fold unit by unit through the table, each separator to
 * a space: words are runs of letters and digits, so they match exactly where they match the fully
 * normalised text; other texts are normalised character by character.
 */
function normWithMap(s: string): { norm: string; orig: number[] | null } {
  if (simpleText(s)) {
    const t = FOLD!;
    const units = new Uint16Array(s.length);
    for (let i = 0; i < s.length; i++) {
      const f = t[s.charCodeAt(i)]!;
      units[i] = f < 0 ? 0x20 : f;
    }
    let norm = '';
    for (let i = 0; i < units.length; i += 8192) norm += String.fromCharCode(...units.subarray(i, i + 8192));
    return { norm, orig: null };
  }
  let norm = '';
  const orig: number[] = [];
  let i = 0;
  for (const ch of s) {
    const n = normalize(ch);
    for (let k = 0; k < n.length; k++) orig.push(i);
    norm += n;
    i += ch.length;
  }
  orig.push(i);
  return { norm, orig };
}

/** Ranges [start, end) in the original text where any of the words occurs (normalised comparison). */
export function matchRanges(text: string, words: string[]): [number, number][] {
  const { norm, orig } = normWithMap(text);
  const ranges: [number, number][] = [];
  for (const w of words) {
    if (!w) continue;
    let at = norm.indexOf(w);
    while (at >= 0) {
      const end = at + w.length;
      ranges.push(orig ? [orig[at]!, orig[end] ?? text.length] : [at, end]);
      at = norm.indexOf(w, end);
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

/** A short passage of the text around the first occurrence of a word (or its start). */
export function snippetOf(text: string, words: string[], length = 120): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (!clean) return '';
  const first = matchRanges(clean, words)[0];
  let start = first ? Math.max(0, first[0] - Math.floor(length / 4)) : 0;
  if (start > 0 && start + length > clean.length) start = Math.max(0, clean.length - length);
  const end = Math.min(clean.length, start + length);
  return (start > 0 ? '…' : '') + clean.slice(start, end) + (end < clean.length ? '…' : '');
}

/** True when every word occurs in the normalised text. */
export function containsAll(text: string, words: string[]): boolean {
  // Words are normalised, so each of their characters folds to itself: on the fast path a word found in the
  // text as it stands is found in its normalised form too.
  const simple = simpleText(text);
  if (simple && words.every((w) => text.includes(w))) return true;
  const n = simple ? normWithMap(text).norm : normalize(text);
  return words.every((w) => n.includes(w));
}

// ---------------------------------------------------------------------------------------------------------
// Posting blocks: sort keys in descending order; the first as a zig-zag varint, then positive deltas.

export function encodeBlock(keys: ArrayLike<number>): Buffer {
  if (keys.length === 0) return Buffer.alloc(0);
  const out = new Uint8Array(keys.length * 8 + 8);
  let p = 0;
  for (let i = 0; i < keys.length; i++) {
    let v = i === 0 ? (keys[0]! >= 0 ? keys[0]! * 2 : -keys[0]! * 2 - 1) : keys[i - 1]! - keys[i]!;
    while (v >= 128) {
      out[p++] = (v % 128) + 128;
      v = Math.floor(v / 128);
    }
    out[p++] = v;
  }
  const b = Buffer.allocUnsafe(p); // a Buffer: what both drivers bind as a blob / bytea
  b.set(out.subarray(0, p));
  return b;
}

export function decodeBlock(data: Uint8Array, n: number, into: Float64Array = new Float64Array(n), at = 0): Float64Array {
  let p = 0;
  let prev = 0;
  for (let i = 0; i < n; i++) {
    let v = 0;
    let mul = 1;
    for (;;) {
      const b = data[p++]!;
      v += (b & 127) * mul;
      if (b < 128) break;
      mul *= 128;
    }
    if (i === 0) prev = v % 2 === 0 ? v / 2 : -(v + 1) / 2;
    else prev -= v;
    into[at + i] = prev;
  }
  return into;
}

// ---------------------------------------------------------------------------------------------------------
// Sorted (descending) lists of sort keys

/** Merge two descending lists without duplicates. */
export function mergeDesc(a: Float64Array, b: Float64Array): Float64Array {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length || j < b.length) {
    const x = i < a.length ? a[i]! : -Infinity;
    const y = j < b.length ? b[j]! : -Infinity;
    if (x === y) {
      out[n++] = x;
      i++;
      j++;
    } else if (x > y) {
      out[n++] = x;
      i++;
    } else {
      out[n++] = y;
      j++;
    }
  }
  return out.subarray(0, n);
}

/**
 * The distinct words of a text for comparing two texts (not for the index): normalised, Chinese runs cut by jieba
 * in search mode (a compound and its parts: 城市道路 → 城市, 道路, 城市道路), other runs kept whole; single
 * characters and the function words of STOP dropped.
 */
export function textWords(text: string): string[] {
  const out = new Set<string>();
  for (const r of runs(normalize(text))) {
    const run = String.fromCodePoint(...r);
    const tokens = /\p{Script=Han}/u.test(run) ? cutter().cutForSearch(run, true) : [run];
    for (const t of tokens) {
      const tok = [...t].filter((c) => WORD_CHAR.test(c)).join('');
      if ([...tok].length >= 2 && !STOP.has(tok)) out.add(tok);
    }
  }
  return [...out];
}
