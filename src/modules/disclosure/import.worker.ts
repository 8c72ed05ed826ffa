/** A worker thread of ./import-pool.ts: prepares imported items (./import-prepare.ts) and sends them back. */
import { parentPort } from 'node:worker_threads';
import type { IndexEngine } from '../../search/prepare.js';
import { prepareImport, type ImportText } from './import-prepare.js';

type Task = { id: number; engine: IndexEngine; items: ImportText[] } | { id: number; exit: true };

parentPort!.on('message', (m: Task) => {
  // What a worker that dies looks like to the pool (its tests): the thread ends without an answer.
  if ('exit' in m) process.exit(70);
  try {
    parentPort!.postMessage({ id: m.id, out: m.items.map((t) => prepareImport(m.engine, t)) });
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) });
  }
});
