/**
 * The real corpus of government text (../shared/corpus: statutes, regulations, judicial interpretations,
 * local regulations, 政府工作报告; 3,547 documents, 20.7 M characters), read for search tests and benchmarks.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

export interface CorpusDoc {
  /** The issuing body's file (npc, gwy, spc, bm, bj …). */
  source: string;
  title: string;
  body: string;
  category: string;
  publishedOn: string;
}

export const CORPUS_DIR = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));

/** Every document, in a fixed order (files by name, lines in order); `only` keeps those files. */
export function loadCorpus(only?: string[]): CorpusDoc[] {
  const out: CorpusDoc[] = [];
  for (const f of readdirSync(CORPUS_DIR).filter((n) => n.endsWith('.jsonl.gz')).sort()) {
    const source = f.replace('.jsonl.gz', '');
    if (only && !only.includes(source)) continue;
    for (const line of gunzipSync(readFileSync(join(CORPUS_DIR, f))).toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      const d = JSON.parse(line) as Omit<CorpusDoc, 'source'>;
      out.push({ source, title: d.title, body: d.body, category: d.category, publishedOn: d.publishedOn });
    }
  }
  return out;
}
