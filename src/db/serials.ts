/**
 * Serials given out inside a transaction, per prefix. Once a transaction has taken one, no other transaction
 * can add to that prefix before this one ends (SQLite: one writer; PostgreSQL: the caller locks a row that
 * guards the prefix), so the next write of the same transaction (a group-commit batch) continues from it
 * instead of asking the database again.
 */
import type { Executor } from './database.js';

const serialsInTransaction = new WeakMap<Executor, Map<string, number>>();

/** The next serial for `prefix`: one more than the last this transaction gave, else than `lastStored()`. */
export async function nextSerial(tx: Executor, prefix: string, lastStored: () => Promise<number>): Promise<number> {
  let given = tx.isTransaction ? serialsInTransaction.get(tx) : undefined;
  const n = (given?.get(prefix) ?? (await lastStored())) + 1;
  if (tx.isTransaction) {
    if (!given) serialsInTransaction.set(tx, (given = new Map()));
    given.set(prefix, n);
  }
  return n;
}
