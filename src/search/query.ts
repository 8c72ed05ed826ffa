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
