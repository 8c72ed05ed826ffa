/**
 * Worker threads for large imports: the per-item text work (sanitising, folding, tokens, the index's
 * encoding: ./import-prepare.ts) runs on the other cores while the main thread writes the previous batch.
 * One pool per process, as many threads as cores but one (at least one); threads start on the first large
 * import, are unreferenced while idle (they never keep a process alive) and end after a minute unused.
 *
 * A thread that dies or fails fails the batch it was preparing with a clear Chinese error, before anything of
 * that batch is written; the next batch gets a new thread.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../errors.js';
import type { IndexEngine } from '../../search/prepare.js';
import type { ImportText, PreparedImport } from './import-prepare.js';

/** Items per message to a thread. */
const CHUNK = 250;
let IDLE_MS = 60_000;
const SIZE = Math.max(1, Math.min(4, availableParallelism() - 1));
// Compiled to .js next to this file (what `gongkai` runs), or from source under tsx (tests, benchmarks): a
// thread does not inherit tsx's loader, so it registers it first.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const SCRIPT = new URL(`./import.worker${FROM_SOURCE ? '.ts' : '.js'}`, import.meta.url);
function newWorker(): Worker {
  if (!FROM_SOURCE) return new Worker(SCRIPT);
  const api = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(SCRIPT.href)}); });`, { eval: true });
}

interface Task {
  resolve: (out: PreparedImport[]) => void;
  reject: (e: Error) => void;
}
interface Thread {
  worker: Worker;
  tasks: Map<number, Task>;
  dead: boolean;
}

const threads: Thread[] = [];
let nextId = 1;
let idleTimer: NodeJS.Timeout | null = null;

const failure = (why: string) =>
  new AppError('internal', `导入失败：处理正文和检索索引的工作线程${why}，本批条目均未写入，请重新导入。`, { reason: 'import.worker_failed' });

function start(): Thread {
  const t: Thread = { worker: newWorker(), tasks: new Map(), dead: false };
  const fail = (e: Error) => {
    if (t.dead) return;
    t.dead = true;
    threads.splice(threads.indexOf(t), 1);
    for (const task of t.tasks.values()) task.reject(e);
    t.tasks.clear();
  };
  t.worker.on('message', (m: { id: number; out?: PreparedImport[]; error?: string }) => {
    const task = t.tasks.get(m.id);
    if (!task) return;
    t.tasks.delete(m.id);
    if (t.tasks.size === 0) t.worker.unref();
    if (m.error !== undefined) task.reject(failure(`出错（${m.error}）`));
    else task.resolve(m.out!);
  });
  t.worker.on('error', (e) => fail(failure(`出错（${e.message}）`)));
  t.worker.on('exit', (code) => fail(failure(`意外退出（退出码 ${code}）`)));
  t.worker.unref();
  threads.push(t);
  return t;
}

function pick(): Thread {
  if (threads.length < SIZE) return start();
  return threads.reduce((a, b) => (b.tasks.size < a.tasks.size ? b : a));
}

function send(t: Thread, msg: Record<string, unknown>): Promise<PreparedImport[]> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    t.tasks.set(id, { resolve, reject });
    t.worker.ref(); // a thread with work keeps the process alive until it answers
    t.worker.postMessage({ ...msg, id });
  });
}

/** Batches being prepared now (an import prepares the next batch while it writes one: two at a time). */
let active = 0;

/** Prepare items on the pool's threads; the result is in the order of the items. */
export async function prepareOnWorkers(engine: IndexEngine, items: ImportText[]): Promise<PreparedImport[]> {
  active++;
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  try {
    const parts: Promise<PreparedImport[]>[] = [];
    for (let i = 0; i < items.length; i += CHUNK) {
      const crash = crashNext;
      crashNext = false;
      parts.push(send(pick(), crash ? { exit: true } : { engine, items: items.slice(i, i + CHUNK) }));
    }
    // Every part settles before the batch fails, so that no answer arrives for a batch already given up.
    const settled = await Promise.allSettled(parts);
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    return settled.flatMap((s) => (s as PromiseFulfilledResult<PreparedImport[]>).value);
  } finally {
    // The idle clock starts when the last batch in hand is done: one timer at a time. (Each overlapping batch
    // used to start a timer of its own and only the last was ever cleared: an orphan ended the threads under
    // a later batch, whose answers then never came — the import waited for ever, and a process with nothing
    // else to do exited without a word, as the benchmark's generation did at 730 000 and 777 000 items.)
    if (--active === 0) {
      if (idleTimer) clearTimeout(idleTimer);
      idleTimer = setTimeout(() => void stopWorkers(), IDLE_MS);
      idleTimer.unref();
    }
  }
}

/**
 * End the pool's threads (they start again when needed). Work they still hold fails with the pool's error
 * (nothing waits for an answer that cannot come).
 */
export async function stopWorkers(): Promise<void> {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  const all = threads.splice(0);
  for (const t of all) {
    t.dead = true;
    for (const task of t.tasks.values()) task.reject(failure('已停止'));
    t.tasks.clear();
  }
  await Promise.all(all.map((t) => t.worker.terminate()));
}

/** Tests: how long the threads stay unused before they end (ms). */
export function setIdleMsForTest(ms: number): void {
  IDLE_MS = ms;
}

let crashNext = false;
/** Tests: the thread given the next batch's first part dies instead of answering (as a crashed thread would). */
export function crashNextBatchForTest(): void {
  crashNext = true;
}
