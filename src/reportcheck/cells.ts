/**
 * Reading the cells of one table row from the text between its label and the next label, and splitting
 * digits that were run together ("640020470" for seven cells) into every split that fits.
 */
import type { Cell } from '../law/report-model.js';

export type Token = { kind: 'num'; text: string; value: number } | { kind: 'na' } | { kind: 'blank' };

/** Years and page counters that page furniture leaves inside a table area. */
const AREA_NOISE = /\d{4}[ \t]*年|第[ \t]*\d+[ \t]*页|共[ \t]*\d+[ \t]*页/g;

/**
 * The cell tokens in the text of an area: numbers, "/" (not applicable) and, in pipe rows, empty cells.
 * Anything else (label fragments, wrapped header words, vertical group labels) separates tokens.
 */
export function tokenizeArea(area: string): Token[] {
  const cleaned = area
    .replace(AREA_NOISE, '\n')
    .replace(/增[\s|]*\/[\s|]*减/g, '\n')
    .replace(/(\d),(\d{3})(?!\d)/g, '$1$2')
    .replace(/[^0-9./—\-+|│\s]+/g, '\n')
    .replace(/│/g, '|');
  const out: Token[] = [];
  const pushWords = (s: string) => {
    for (const w of s.split(/\s+/)) {
      if (!w) continue;
      const t = parseToken(w);
      if (t) out.push(t);
    }
  };
  for (const line of cleaned.split('\n')) {
    if (!line.includes('|')) {
      pushWords(line);
      continue;
    }
    const pieces = line.split('|');
    pieces.forEach((piece, i) => {
      const trimmed = piece.trim();
      const edge = i === 0 || i === pieces.length - 1;
      if (trimmed) pushWords(trimmed);
      else if (!edge) out.push({ kind: 'blank' });
    });
  }
  return out;
}

function parseToken(w: string): Token | null {
  if (/^(\/+|—+|-{1,2})$/.test(w)) return { kind: 'na' };
  if (/^[+-]?\d+(\.\d+)?$/.test(w)) return { kind: 'num', text: w.replace(/^\+/, ''), value: Number(w) };
  // "12." is an item number left over from a label; anything else is not a cell.
  return null;
}

export function tokenCell(t: Token): Cell {
  return t.kind === 'num' ? t.value : t.kind === 'na' ? 'n/a' : null;
}

function digitsCount(tokens: Token[]): number {
  let n = 0;
  for (const t of tokens) n += t.kind === 'num' ? (splittable(t) ? t.text.length : 1) : 1;
  return n;
}

function splittable(t: Token): boolean {
  return t.kind === 'num' && /^\d{2,}$/.test(t.text);
}

const MAX_CELL_DIGITS = 7;

/** The ways to cut a digit string into k numbers (no leading zeros but "0", at most 7 digits each). */
function cuts(s: string, k: number, memo: Map<string, number[][]>): number[][] {
  const key = `${s}/${k}`;
  const hit = memo.get(key);
  if (hit) return hit;
  const out: number[][] = [];
  if (k === 1) {
    if (s.length <= MAX_CELL_DIGITS && (s.length === 1 || s[0] !== '0')) out.push([Number(s)]);
  } else {
    const maxFirst = Math.min(MAX_CELL_DIGITS, s.length - (k - 1));
    for (let len = 1; len <= maxFirst; len++) {
      const head = s.slice(0, len);
      if (len > 1 && head[0] === '0') break;
      for (const rest of cuts(s.slice(len), k - 1, memo)) out.push([Number(head), ...rest]);
    }
  }
  memo.set(key, out);
  return out;
}

export type RowStatus = 'ok' | 'empty' | 'ambiguous' | 'unsplittable' | 'short' | 'extra' | 'inconsistent';

export interface RowCandidates {
  status: RowStatus;
  tokens: Token[];
  /** Every reading that fits the row (and its own constraint, when given). */
  candidates: Cell[][];
  /** The readings before the row's constraint was applied (for messages). */
  unconstrained: number;
}

/**
 * The candidate readings of a row of `n` cells from its tokens. `fits` is the row's own constraint (e.g.
 * 总计 = the sum of the six applicant columns); `totals` are the positions that a row printing only its
 * totals fills.
 */
export function rowCandidates(
  tokens0: Token[],
  n: number,
  fits?: (cells: Cell[]) => boolean,
  totals: number[] = [n - 1],
  limit = 50000,
): RowCandidates {
  const tokens = tokens0.slice();
  while (tokens.length > n && tokens[0].kind === 'blank') tokens.shift();
  while (tokens.length > n && tokens[tokens.length - 1].kind === 'blank') tokens.pop();
  if (tokens.length === 0) return { status: 'empty', tokens, candidates: [Array(n).fill(null)], unconstrained: 1 };
  if (tokens.length > n) {
    return { status: 'extra', tokens, candidates: [tokens.slice(0, n).map(tokenCell)], unconstrained: 1 };
  }
  if (tokens.length === n) {
    const cells = tokens.map(tokenCell);
    const ok = !fits || fits(cells);
    return { status: ok ? 'ok' : 'inconsistent', tokens, candidates: [cells], unconstrained: 1 };
  }
  // Fewer tokens than cells: some numbers were run together, or only totals were printed.
  if (digitsCount(tokens) < n) {
    if (tokens.length === totals.length) {
      const cells: Cell[] = Array(n).fill(null);
      totals.forEach((p, i) => (cells[p] = tokenCell(tokens[i])));
      return { status: 'ok', tokens, candidates: [cells], unconstrained: 1 };
    }
    return { status: 'short', tokens, candidates: [], unconstrained: 0 };
  }
  const memo = new Map<string, number[][]>();
  const all: Cell[][] = [];
  let overflow = false;
  const walk = (i: number, remaining: number, acc: Cell[]) => {
    if (overflow) return;
    if (i === tokens.length) {
      if (remaining === 0) {
        all.push(acc.slice());
        if (all.length > limit) overflow = true;
      }
      return;
    }
    const t = tokens[i];
    const restTokens = tokens.length - i - 1;
    if (!splittable(t)) {
      if (remaining - 1 < restTokens) return;
      acc.push(tokenCell(t));
      walk(i + 1, remaining - 1, acc);
      acc.pop();
      return;
    }
    const text = (t as { text: string }).text;
    const maxK = Math.min(text.length, remaining - restTokens);
    for (let k = 1; k <= maxK; k++) {
      for (const parts of cuts(text, k, memo)) {
        acc.push(...parts);
        walk(i + 1, remaining - k, acc);
        acc.length -= k;
      }
    }
  };
  walk(0, n, []);
  if (overflow) return { status: 'ambiguous', tokens, candidates: [], unconstrained: all.length };
  if (all.length === 0) return { status: 'unsplittable', tokens, candidates: [], unconstrained: 0 };
  const fitting = fits ? all.filter(fits) : all;
  if (fitting.length === 1) return { status: 'ok', tokens, candidates: fitting, unconstrained: all.length };
  if (fitting.length === 0) return { status: 'unsplittable', tokens, candidates: [], unconstrained: all.length };
  return { status: 'ambiguous', tokens, candidates: fitting, unconstrained: all.length };
}

/** The row as printed (for messages): numbers and "/" separated by spaces, blanks as "空". */
export function tokensText(tokens: Token[]): string {
  return tokens.map((t) => (t.kind === 'num' ? t.text : t.kind === 'na' ? '/' : '空')).join(' ');
}

export function cellsText(cells: Cell[]): string {
  return cells.map((c) => (c === null ? '空' : c === 'n/a' ? '/' : String(c))).join(',');
}

/** A sum constraint: cells[total] = the sum of cells[parts], checked only when every cell is a number or "/". */
export function sumFits(parts: number[], total: number): (cells: Cell[]) => boolean {
  return (cells) => {
    const t = cells[total];
    if (typeof t !== 'number') return true;
    let s = 0;
    for (const p of parts) {
      const c = cells[p];
      if (c === null) return true;
      if (typeof c === 'number') s += c;
    }
    return Math.abs(s - t) < 1e-6;
  };
}
