/**
 * Did-you-mean: a query that finds nothing and is one character away (one substituted, added or dropped) from a
 * frequent title term gets that term suggested (您是不是要找：营商环境). No I/O.
 */
import { titleTerms } from './words.js';

export interface Vocabulary {
  /** term → how many titles hold it */
  counts: Map<string, number>;
  /** a term with one character replaced by '\0', or one dropped → the most frequent such term */
  keys: Map<string, string>;
}

/** The vocabulary of titles: terms (titleTerms) in at least `minCount` titles. */
export function buildVocabulary(titles: Iterable<string>, minCount = 2): Vocabulary {
  const steps = vocabularySteps(titles, minCount);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * buildVocabulary in slices, `pause` awaited between them: 20 000 titles take about 0.4 s (jieba), which a
 * server must not spend in one go while other requests wait.
 */
export async function buildVocabularyInSlices(titles: Iterable<string>, pause: () => Promise<void>, minCount = 2): Promise<Vocabulary> {
  const steps = vocabularySteps(titles, minCount);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await pause();
  }
}

/** The work of buildVocabulary, yielding after every slice of it. */
function* vocabularySteps(titles: Iterable<string>, minCount: number): Generator<void, Vocabulary> {
  const SLICE = 500;
  const counts = new Map<string, number>();
  let n = 0;
  for (const t of titles) {
    for (const w of titleTerms(t)) counts.set(w, (counts.get(w) ?? 0) + 1);
    if (++n % SLICE === 0) yield;
  }
  for (const [w, c] of counts) if (c < minCount || [...w].length < 2) counts.delete(w);
  const keys = new Map<string, string>();
  const put = (k: string, w: string) => {
    const cur = keys.get(k);
    if (cur === undefined || counts.get(w)! > counts.get(cur)! || (counts.get(w) === counts.get(cur) && w < cur)) keys.set(k, w);
  };
  n = 0;
  for (const w of counts.keys()) {
    for (const k of variants(w)) put(k, w);
    if (++n % (4 * SLICE) === 0) yield;
  }
  return { counts, keys };
}

/** The keys of a term: each character replaced by '\0' (substitution), and each dropped (marked '\u0001'). */
function variants(w: string): string[] {
  const cps = [...w];
  const out: string[] = [];
  for (let i = 0; i < cps.length; i++) {
    out.push([...cps.slice(0, i), '\0', ...cps.slice(i + 1)].join(''));
    out.push('\u0001' + [...cps.slice(0, i), ...cps.slice(i + 1)].join(''));
  }
  return out;
}

/**
 * The term to suggest for a one-word query (reference form, one run) that found nothing, or null. A query
 * one character short of a term, one too many, or one wrong: the most frequent such term.
 */
export function suggest(vocab: Vocabulary, word: string): string | null {
  const cps = [...word];
  if (word.includes(' ') || cps.length < 2 || cps.length > 12 || vocab.counts.has(word)) return null;
  // First a term as long as the query or one longer (one character wrong, or one missing): it keeps all
  // that was typed; only then a term one shorter (one character too many).
  const found: string[] = [];
  const shorter: string[] = [];
  for (let i = 0; i < cps.length; i++) {
    const sub = vocab.keys.get([...cps.slice(0, i), '\0', ...cps.slice(i + 1)].join(''));
    if (sub) found.push(sub);
    const drop = [...cps.slice(0, i), ...cps.slice(i + 1)].join('');
    if (cps.length > 2 && vocab.counts.has(drop)) shorter.push(drop);
  }
  const longer = vocab.keys.get('\u0001' + word);
  if (longer) found.push(longer);
  const best = (l: string[]) => l.sort((a, b) => vocab.counts.get(b)! - vocab.counts.get(a)! || (a < b ? -1 : 1))[0] ?? null;
  return best(found) ?? best(shorter);
}
