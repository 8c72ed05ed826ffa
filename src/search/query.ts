/**
 * Queries and index tokens. No I/O.
 *
 * Index tokens: each run of a field gives its character bigrams and, for its last character, that character
 * alone (a run "pm2" gives pm, m2, 2). Fields of one column are kept apart by a barrier token that no query
 * holds. So, position by position:
 * - a query word of one run, two characters or more, is the phrase of its bigrams (consecutive bigrams
 *   always lie in one run and overlap: the phrase is there exactly where the substring is);
 * - one character is every token that starts with it (a bigram, or the run's last character alone);
 * - a word of several runs ("PM2.5" → pm2, 5) is the phrase of its runs' tokens, every run but the last
 *   ending on its lone last character, the last run as above — there exactly where the text has those runs
 *   one after the other (with any separators between: the reference form joins runs with one space).
 * A query typed without spaces is one word (one phrase); words separated by spaces must all appear.
 */
import { refOf, runsOf } from './fold.js';

/** The longest query, in characters (after NFKC): beyond it, the query is refused with a message. */
export const MAX_QUERY_CHARS = 100;
/** At most this many words (space-separated) in a query. */
export const MAX_WORDS = 8;
/** A token that separates the fields of one index column (a private-use character: never in a query). */
export const BARRIER = '\uE000';

export interface ParsedQuery {
  /** The words, each in reference form (its runs joined by one space), without duplicates. */
  words: string[];
  /** Why the query cannot be searched (Chinese, for the user), when it cannot. */
  error?: string;
  errorKind?: 'empty' | 'too_long' | 'no_text' | 'too_many_words' | 'timeout';
}

/** Parse what a user typed: words at whitespace, each folded to its reference form. */
export function parseQuery(q: unknown): ParsedQuery {
  if (typeof q !== 'string' || !q.trim()) return { words: [], error: '请输入检索词。', errorKind: 'empty' };
  const norm = q.normalize('NFKC').trim();
  if ([...norm].length > MAX_QUERY_CHARS) return { words: [], error: `检索词过长：最多 ${MAX_QUERY_CHARS} 个字，请精简后再检索。`, errorKind: 'too_long' };
  const words: string[] = [];
  for (const part of norm.split(/\s+/u)) {
    const w = refOf(part);
    if (w && !words.includes(w)) words.push(w);
  }
  if (words.length === 0) return { words: [], error: '检索词中没有可检索的文字或数字，请换用汉字、字母或数字检索。', errorKind: 'no_text' };
  if (words.length > MAX_WORDS) return { words: [], error: `关键词过多：最多 ${MAX_WORDS} 个（以空格分隔）。`, errorKind: 'too_many_words' };
  // A word contained in another is implied by it.
  return { words: words.filter((w) => !words.some((o) => o !== w && o.includes(w))) };
}

const SURROGATE = /[\uD800-\uDFFF]/;
/** The tokens of one field's runs, in order. */
export function runTokens(runs: string[], into: string[] = []): string[] {
  for (const r of runs) {
    // Runs of the fast path are BMP-only; the exact path may hold astral characters: code points then.
    if (!SURROGATE.test(r)) {
      for (let i = 0; i + 1 < r.length; i++) into.push(r.slice(i, i + 2));
      into.push(r[r.length - 1]!);
      continue;
    }
    const cps = [...r];
    for (let i = 0; i + 1 < cps.length; i++) into.push(cps[i]! + cps[i + 1]!);
    into.push(cps[cps.length - 1]!);
  }
  return into;
}

/** The tokens of a column made of several fields (barrier between fields). */
export function columnTokens(fields: string[]): string[] {
  return columnTokensOfRuns(fields.map(runsOf));
}

/** The same from the fields' runs (runsOf), when the caller has them already. */
export function columnTokensOfRuns(fieldRuns: string[][]): string[] {
  const out: string[] = [];
  fieldRuns.forEach((runs, i) => {
    if (i > 0) out.push(BARRIER);
    runTokens(runs, out);
  });
  return out;
}

/** What the index must find for one word: tokens in phrase order, the last one a prefix or not. */
export interface WordTokens {
  tokens: string[];
  /** The last token is a prefix (a one-character last run). */
  prefix: boolean;
  /** The token set alone is exact (one run of one or two characters); otherwise positions or a check decide. */
  exact: boolean;
}

export function wordTokens(word: string): WordTokens {
  const runs = word.split(' ');
  const tokens: string[] = [];
  runs.forEach((r, k) => {
    const cps = [...r];
    for (let i = 0; i + 1 < cps.length; i++) tokens.push(cps[i]! + cps[i + 1]!);
    if (k < runs.length - 1 || cps.length === 1) tokens.push(cps[cps.length - 1]!);
  });
  const lastRun = [...runs[runs.length - 1]!];
  return { tokens, prefix: lastRun.length === 1, exact: runs.length === 1 && lastRun.length <= 2 };
}

/** The FTS5 MATCH expression: each word a phrase (its last token a prefix where needed), all words required. */
export function fts5Match(words: string[]): string {
  return words
    .map((w) => {
      const t = wordTokens(w);
      return `"${t.tokens.join(' ')}"${t.prefix ? ' *' : ''}`;
    })
    .join(' AND ');
}

/** A PostgreSQL tsquery (text form) that every matching document satisfies: all tokens of all words. */
export function tsQueryText(words: string[]): string {
  const parts = new Set<string>();
  for (const w of words) {
    const t = wordTokens(w);
    t.tokens.forEach((tok, i) => parts.add(`'${tok}'${t.prefix && i === t.tokens.length - 1 ? ':*' : ''}`));
  }
  return [...parts].join(' & ');
}

/** True when every word is a substring of the reference text (the brute-force definition of a match). */
export const matchesAll = (ref: string, words: string[]) => words.every((w) => ref.includes(w));

const PG_MAX_POS = 16383;
/**
 * Positions kept per token: enough for ranking (a BM25-like score saturates after a few occurrences; PostgreSQL
 * itself keeps at most 256), and a tsvector a third the size of one with every position — less to build, send,
 * parse and read back for ts_rank.
 */
const PG_MAX_POSITIONS = 8;
/**
 * A PostgreSQL tsvector (text form) of two columns' tokens: positions (for ranking only; PostgreSQL clamps
 * them at 16383), title tokens weighted A.
 */
export function tsVectorText(title: string[], body: string[]): string {
  const pos = new Map<string, string>();
  const count = new Map<string, number>();
  let p = 0;
  for (const [tokens, weight] of [[title, 'A'], [body, '']] as const) {
    for (const tok of tokens) {
      p++;
      if (tok === BARRIER) continue;
      const n = count.get(tok) ?? 0;
      if (n >= PG_MAX_POSITIONS || (n > 0 && p > PG_MAX_POS)) continue;
      count.set(tok, n + 1);
      const at = `${p > PG_MAX_POS ? PG_MAX_POS : p}${weight}`;
      pos.set(tok, n === 0 ? at : `${pos.get(tok)!},${at}`);
    }
    p++;
  }
  const parts: string[] = [];
  for (const [tok, l] of pos) parts.push(`'${tok}':${l}`);
  return parts.join(' ');
}

/**
 * The index's encodings computed from the fields' runs directly, without a string per token (the import's
 * hot path: a statute of 6 000 characters is 6 000 tokens). Each equals its definition above:
 * - columnTokenText(runs) === columnTokensOfRuns(runs).join(' ') (SQLite's FTS5 column);
 * - tsVectorOfRuns(title, body) is tsVectorText(columnTokensOfRuns(title), columnTokensOfRuns(body)) with the
 *   lexemes in PostgreSQL's own order (bytewise), so that the server's input function finds them sorted.
 * Tested against the definitions (src/search/search.test.ts).
 */
export function columnTokenText(fieldRuns: string[][]): string {
  let size = 0;
  for (const runs of fieldRuns) for (const r of runs) size += 3 * r.length;
  const buf = new Uint16Array(size + fieldRuns.length * 2);
  let n = 0;
  const parts: string[] = [];
  const flush = () => {
    if (n > 0) parts.push(UTF16.decode(buf.subarray(0, n)));
    n = 0;
  };
  fieldRuns.forEach((runs, f) => {
    if (f > 0) {
      if (n > 0 || parts.length > 0) buf[n++] = 0x20;
      buf[n++] = BARRIER.charCodeAt(0);
    }
    for (const r of runs) {
      if (n > 0 || parts.length > 0) buf[n++] = 0x20;
      if (SURROGATE.test(r)) {
        flush();
        parts.push(runTokens([r]).join(' '));
        continue;
      }
      for (let i = 0; i + 1 < r.length; i++) {
        buf[n++] = r.charCodeAt(i);
        buf[n++] = r.charCodeAt(i + 1);
        buf[n++] = 0x20;
      }
      buf[n++] = r.charCodeAt(r.length - 1);
    }
  });
  flush();
  return parts.join('');
}
const UTF16 = new TextDecoder('utf-16le');

/** Entry numbers per document that the sort key can carry (beside a token key below 2^32, within 2^53). */
const MAX_SORTED_ENTRIES = 1 << 20;
/** The positions' decimal forms (1 … PostgreSQL's last position). */
const DIGITS = Array.from({ length: 16384 }, (_, i) => String(i));

export function tsVectorOfRuns(title: string[][], body: string[][]): string {
  // BMP tokens by their 32-bit key (c1 << 16 | c2; one character: c << 16) in an open-addressing table of
  // int32 (a Map of such numbers hashes boxed doubles: several times slower); astral tokens by their text.
  let cap = 1024;
  let shift = 22; // 32 − log2(cap): the hash is the product's high bits (its low bits would be c2's alone)
  let slots = new Int32Array(cap); // key, 0 = empty (no token has key 0)
  let slotEntry = new Int32Array(cap);
  const byText = new Map<string, number>();
  let keys = new Int32Array(512); // entry → key; 0 for an astral token (its text in `texts`)
  const texts = new Map<number, string>();
  let entries = 0;
  let counts = new Uint8Array(512);
  let pos = new Int32Array(512 * PG_MAX_POSITIONS); // position × 2 + (title ? 1 : 0)
  let p = 0;
  const newEntry = (key: number): number => {
    const e = entries++;
    if (e >= counts.length) {
      const k = new Int32Array(keys.length * 2);
      k.set(keys);
      keys = k;
      const c = new Uint8Array(counts.length * 2);
      c.set(counts);
      counts = c;
      const q = new Int32Array(pos.length * 2);
      q.set(pos);
      pos = q;
    }
    keys[e] = key;
    return e;
  };
  const bmpEntry = (key: number): number => {
    let mask = cap - 1;
    let h = Math.imul(key, 0x9e3779b1) >>> shift;
    for (let k = slots[h]!; k !== 0; k = slots[h]!) {
      if (k === key) return slotEntry[h]!;
      h = (h + 1) & mask;
    }
    const e = newEntry(key);
    if (2 * entries > cap) {
      const old = slots;
      const oldEntry = slotEntry;
      cap *= 2;
      shift--;
      mask = cap - 1;
      slots = new Int32Array(cap);
      slotEntry = new Int32Array(cap);
      for (let i = 0; i < old.length; i++) {
        const k = old[i]!;
        if (k === 0) continue;
        let j = Math.imul(k, 0x9e3779b1) >>> shift;
        while (slots[j] !== 0) j = (j + 1) & mask;
        slots[j] = k;
        slotEntry[j] = oldEntry[i]!;
      }
      h = Math.imul(key, 0x9e3779b1) >>> shift;
      while (slots[h] !== 0) h = (h + 1) & mask;
    }
    slots[h] = key;
    slotEntry[h] = e;
    return e;
  };
  const add = (e: number, weightA: number) => {
    const n = counts[e]!;
    if (n >= PG_MAX_POSITIONS || (n > 0 && p > PG_MAX_POS)) return;
    counts[e] = n + 1;
    pos[e * PG_MAX_POSITIONS + n] = (p > PG_MAX_POS ? PG_MAX_POS : p) * 2 + weightA;
  };
  const cpEntry = (a: number, b?: number): number => {
    if (a < 0x10000 && (b === undefined || b < 0x10000)) return bmpEntry((a << 16) | (b ?? 0));
    const text = String.fromCodePoint(a) + (b === undefined ? '' : String.fromCodePoint(b));
    let e = byText.get(text);
    if (e === undefined) {
      byText.set(text, (e = newEntry(0)));
      texts.set(e, text);
    }
    return e;
  };
  for (const [fieldRuns, weightA] of [[title, 1], [body, 0]] as const) {
    fieldRuns.forEach((runs, f) => {
      if (f > 0) p++; // the barrier between fields
      for (const r of runs) {
        if (!SURROGATE.test(r)) {
          let c1 = r.charCodeAt(0);
          for (let i = 1; i < r.length; i++) {
            const c2 = r.charCodeAt(i);
            p++;
            add(bmpEntry((c1 << 16) | c2), weightA);
            c1 = c2;
          }
          p++;
          add(bmpEntry(c1 << 16), weightA);
          continue;
        }
        const cps = [...r].map((c) => c.codePointAt(0)!);
        for (let i = 0; i < cps.length; i++) {
          p++;
          add(i + 1 < cps.length ? cpEntry(cps[i]!, cps[i + 1]!) : cpEntry(cps[i]!), weightA);
        }
      }
    });
    p++;
  }
  // PostgreSQL's order: BMP keys as unsigned numbers (bytewise in UTF-8), then the rest (the server sorts what
  // is not sorted). Sorted as key × 2^20 + entry (below 2^52: exact in a double).
  const order: number[] = [];
  if (entries < MAX_SORTED_ENTRIES) {
    const sortable = new Float64Array(entries - byText.size);
    let k = 0;
    for (let e = 0; e < entries; e++) if (keys[e] !== 0) sortable[k++] = (keys[e]! >>> 0) * MAX_SORTED_ENTRIES + e;
    sortable.sort();
    for (const v of sortable) order.push(v % MAX_SORTED_ENTRIES);
    for (const e of byText.values()) order.push(e);
  } else for (let e = 0; e < entries; e++) order.push(e);
  // Written as UTF-16 units into one buffer: 6.5 M lexemes and 20 M positions on the real corpus.
  let size = 0;
  for (let e = 0; e < entries; e++) size += 8 + (keys[e] === 0 ? texts.get(e)!.length : 0) + 7 * counts[e]!;
  const buf = new Uint16Array(size);
  let n = 0;
  for (let i = 0; i < order.length; i++) {
    const e = order[i]!;
    const key = keys[e]!;
    if (i > 0) buf[n++] = 0x20;
    buf[n++] = 0x27; // '
    if (key === 0) {
      const t = texts.get(e)!;
      for (let k = 0; k < t.length; k++) buf[n++] = t.charCodeAt(k);
    } else {
      buf[n++] = key >>> 16;
      if (key & 0xffff) buf[n++] = key & 0xffff;
    }
    buf[n++] = 0x27;
    buf[n++] = 0x3a; // :
    for (let j = 0; j < counts[e]!; j++) {
      const v = pos[e * PG_MAX_POSITIONS + j]!;
      if (j) buf[n++] = 0x2c; // ,
      const d = DIGITS[v >> 1]!;
      for (let k = 0; k < d.length; k++) buf[n++] = d.charCodeAt(k);
      if (v & 1) buf[n++] = 0x41; // A
    }
  }
  return UTF16.decode(buf.subarray(0, n));
}
