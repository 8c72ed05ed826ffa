/**
 * Positions of findings in the document's text: the audit works on a normalised copy (NFKC, line ends unified,
 * the example files' header lines split off, page furniture blanked); a position there is turned back into an
 * offset, a line and a column (from 1) in the text as read.
 */
import type { Finding, FindingPlace } from '../law/report-model.js';
import { normalizeText } from './text.js';

function lineStarts(text: string, crlf: boolean): number[] {
  const out = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (crlf && c === '\r') {
      if (text[i + 1] === '\n') i++;
      out.push(i + 1);
    } else if (c === '\n') out.push(i + 1);
  }
  return out;
}

function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Maps an offset in the normalised text (`normalized`, from which the body starts at `bodyBase`) to the raw text. */
export function positionMapper(raw: string, normalized: string, bodyBase: number): (bodyOffset: number) => Omit<FindingPlace, 'quote'> {
  const normStarts = lineStarts(normalized, false);
  const rawStarts = lineStarts(raw, true);
  return (bodyOffset) => {
    const n = Math.max(0, Math.min(normalized.length, bodyOffset + bodyBase));
    const line = lineOf(normStarts, n);
    const col = n - normStarts[line];
    const rawStart = rawStarts[Math.min(line, rawStarts.length - 1)];
    let acc = 0;
    let j = rawStart;
    while (acc < col && j < raw.length && raw[j] !== '\n' && raw[j] !== '\r') {
      const cp = raw.codePointAt(j) ?? 0;
      const ch = String.fromCodePoint(cp);
      acc += normalizeText(ch).length;
      j += ch.length;
    }
    return { offset: j, line: line + 1, column: j - rawStart + 1 };
  };
}

/** Turns the places of findings (offsets in the audited body) into positions in the document's text. */
export function resolvePlaces(findings: Finding[], map: (bodyOffset: number) => Omit<FindingPlace, 'quote'>): void {
  for (const f of findings) {
    if (!f.places) continue;
    f.places = f.places.map((p) => ({ quote: p.quote, ...map(p.offset) }));
  }
}
