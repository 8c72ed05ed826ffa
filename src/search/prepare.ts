/**
 * Everything the index needs of one document, computed from its text alone (no I/O): the folded fields that
 * search_docs stores and the index's own values, already encoded for the engine. Pure and cheap to send
 * between threads: an import prepares its documents on worker threads (src/modules/disclosure/import-pool.ts)
 * and the main thread only writes.
 */
import { runsOf } from './fold.js';
import { columnTokenText, tsVectorText, tsVectorOfRuns } from './query.js';

export type IndexEngine = 'sqlite' | 'postgres';

export interface PreparedSearchDoc {
  /** The title's and 文号's reference forms. */
  ftitle: string;
  fdoc: string;
  /** The reference text (PostgreSQL checks words against it; SQLite stores ''). */
  ftext: string;
  /** The index's values: SQLite FTS5 (title tokens, text tokens) joined by spaces; PostgreSQL the tsvector's text. */
  index: string[];
}

/** The index's values of one document from its two columns' tokens. */
export function encodeIndex(engine: IndexEngine, title: string[], body: string[]): string[] {
  return engine === 'sqlite' ? [title.join(' '), body.join(' ')] : [tsVectorText(title, body)];
}

/** encodeIndex from the columns' fields' runs (the same values, without a string per token: query.ts). */
export function encodeRuns(engine: IndexEngine, title: string[][], body: string[][]): string[] {
  return engine === 'sqlite' ? [columnTokenText(title), columnTokenText(body)] : [tsVectorOfRuns(title, body)];
}

/** The title column holds the title and its second field (文号, or a label); the text column the text fields (summary, body, attachments). */
export function prepareSearchDoc(engine: IndexEngine, title: string, second: string, text: string[]): PreparedSearchDoc {
  const runs = [title, second, ...text].map(runsOf); // each field folded once
  return {
    ftitle: runs[0]!.join(' '),
    fdoc: runs[1]!.join(' '),
    ftext: engine === 'postgres' ? runs.map((r) => r.join(' ')).join('\n') : '', // refText(fields), from the runs in hand
    index: encodeRuns(engine, runs.slice(0, 2), runs.slice(2)),
  };
}
