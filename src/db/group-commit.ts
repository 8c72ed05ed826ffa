/**
 * Group commit: writes that arrive while the previous batch is being committed share one transaction and one
 * durable commit (moved here from the requests module: it knows nothing of requests).
 */
import type { Db, Executor } from './database.js';

type Work<T> = (tx: Executor) => Promise<T>;
interface Job {
  work: Work<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}
const batches = new WeakMap<object, { jobs: Job[]; running: boolean }>();
/** Submissions committed together at most (one fsync for all of them). */
const MAX_BATCH = 200;

/**
 * Runs `work` in a transaction, committed together with the submissions that arrive while the previous
 * batch is being written: one transaction, one durable commit (one fsync) for all of them. On SQLite one
 * connection serialises all writes; on PostgreSQL every submission locks the audit chain head (and its
 * agency's serial) until it commits, so they are serialised as well — in both, per-commit cost is what
 * limits the rate, and sharing it is what raises it. Each caller is answered only after the commit, so
 * nothing is reported stored before it is durable. No savepoints: if any submission of a batch fails,
 * the batch is rolled back and its submissions run one by one (see drain).
 */
export function groupCommit<T>(db: Db, work: Work<T>): Promise<T> {
  let q = batches.get(db);
  if (!q) batches.set(db, (q = { jobs: [], running: false }));
  const queue = q;
  return new Promise<T>((resolve, reject) => {
    queue.jobs.push({ work, resolve: resolve as (v: unknown) => void, reject });
    if (!queue.running) void drain(db, queue);
  });
}

async function drain(db: Db, q: { jobs: Job[]; running: boolean }): Promise<void> {
  q.running = true;
  try {
    while (q.jobs.length) {
      // Let the requests already read from the network (and those that waited for the last commit) reach
      // the queue first: one turn of the event loop, no timer, so a lone submission is not delayed.
      await new Promise((resolve) => setImmediate(resolve));
      const jobs = q.jobs.splice(0, MAX_BATCH);
      if (jobs.length === 1) {
        const j = jobs[0]!;
        await db.transaction().execute(j.work).then(j.resolve, j.reject);
        continue;
      }
      // Optimistic: all in one transaction. If any submission fails, the whole batch is rolled back and each
      // runs alone in its own transaction (the work closures only touch their transaction, so re-running
      // them is safe), so one bad submission never takes the others with it.
      const values: unknown[] = [];
      try {
        await db.transaction().execute(async (tx) => {
          for (const j of jobs) values.push(await j.work(tx));
        });
      } catch {
        for (const j of jobs) await db.transaction().execute(j.work).then(j.resolve, j.reject);
        continue;
      }
      jobs.forEach((j, i) => j.resolve(values[i]));
    }
  } finally {
    q.running = false;
  }
}

