/**
 * Tolerant matching of printed headings and row labels: edit distance (Levenshtein, one edit per inserted,
 * deleted or replaced character) between a known label and the printed text, with separators (whitespace,
 * pipes) ignored and positions kept so that a finding can quote and locate what was printed.
 */

/** Text with whitespace and table rules removed, and for each kept character its offset in the original. */
export interface Compact {
  text: string;
  at: number[];
}

export function compactWithMap(text: string, base = 0): Compact {
  let out = '';
  const at: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (/[\s|│┃]/.test(c)) continue;
    out += c;
    at.push(base + i);
  }
  return { text: out, at };
}

/**
 * The fewest edits that turn `pattern` into some prefix of `text`, and that prefix's length (the shortest
 * one among the best).
 */
export function prefixDistance(pattern: string, text: string): { distance: number; length: number } {
  const p = pattern;
  const t = text.slice(0, p.length * 2 + 4);
  // dp[j] = distance between pattern[0..i) and text[0..j)
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= p.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (p[i - 1] === t[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  let best = { distance: Infinity, length: 0 };
  for (let j = 0; j <= t.length; j++) if (prev[j] < best.distance) best = { distance: prev[j], length: j };
  return best;
}

/**
 * The fewest edits that turn `pattern` into some substring of `text` (the pattern must be matched whole, the
 * text is free at both ends), and where that substring is.
 */
export function substringDistance(pattern: string, text: string): { distance: number; start: number; end: number } {
  const p = pattern;
  const t = text;
  const m = p.length;
  // Column-wise DP over the text, keeping for each cell the start of the substring.
  let prev = Array.from({ length: m + 1 }, (_, i) => i);
  let prevStart = Array.from({ length: m + 1 }, () => 0);
  let best = { distance: m, start: 0, end: 0 };
  for (let j = 1; j <= t.length; j++) {
    const cur = [0];
    const curStart = [j];
    for (let i = 1; i <= m; i++) {
      const sub = prev[i - 1] + (p[i - 1] === t[j - 1] ? 0 : 1);
      const del = cur[i - 1] + 1; // pattern char not in text
      const ins = prev[i] + 1; // text char not in pattern
      if (sub <= del && sub <= ins) {
        cur[i] = sub;
        curStart[i] = prevStart[i - 1];
      } else if (del <= ins) {
        cur[i] = del;
        curStart[i] = curStart[i - 1];
      } else {
        cur[i] = ins;
        curStart[i] = prevStart[i];
      }
    }
    if (cur[m] < best.distance) best = { distance: cur[m], start: curStart[m], end: j };
    prev = cur;
    prevStart = curStart;
  }
  return best;
}

/** Edits allowed between a known label of `length` characters and a printed one: about one in four. */
export function allowedEdits(length: number): number {
  return length < 4 ? 0 : Math.max(1, Math.floor(length / 4));
}
