/**
 * Planner statistics. PostgreSQL keeps them itself (autovacuum's ANALYZE); SQLite has none until asked, and
 * without them its planner may walk a whole index (e.g. every published item, to find the interpretations of
 * one) instead of the selective one. `PRAGMA optimize=0x10002` (SQLite's advice for long-lived connections:
 * at open and then periodically) analyses the tables whose statistics are missing or stale, on a bounded
 * sample, so it is cheap (≈ 0.2 s on 100 000 items).
 */
import { sql } from 'kysely';
import type { Db, Engine } from './database.js';

export async function refreshPlannerStatistics(db: Db, engine: Engine): Promise<void> {
  if (engine !== 'sqlite') return;
  await sql`pragma optimize=0x10002`.execute(db);
}
