/**
 * The dialect seam: the few places where SQLite and PostgreSQL differ, each behind one function.
 * Migrations and repositories call these instead of branching on the engine themselves.
 */
import { sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely, type RawBuilder } from 'kysely';
import type { Engine } from './database.js';

/** An auto-increment integer primary key: `integer … autoincrement` on SQLite, identity on PostgreSQL. */
export function withId<T extends string>(engine: Engine, table: CreateTableBuilder<T, never>) {
  return engine === 'sqlite'
    ? table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity());
}

/** A column of arbitrary-length text. */
export const text = 'text' as const;

/** A 64-bit integer column type (counters, sizes, money in fen). */
export function bigintType(engine: Engine) {
  return engine === 'sqlite' ? ('integer' as const) : ('bigint' as const);
}

/** Detect the engine behind a Kysely instance (for code that receives only the handle). */
export function engineOf(db: Kysely<any>): Engine {
  const adapter = db.getExecutor().adapter;
  return adapter.constructor.name.toLowerCase().includes('postgres') ? 'postgres' : 'sqlite';
}

/** The year of a 'YYYY-MM-DD' text column, as an integer, for GROUP BY. */
export function yearOf(column: string): RawBuilder<number> {
  // substr works the same on both engines for our text dates.
  return sql<number>`cast(substr(${sql.ref(column)}, 1, 4) as integer)`;
}

export type { ColumnDefinitionBuilder };

/** The largest id an integer primary key holds on both engines (PostgreSQL `integer` is 32-bit). */
export const MAX_ROW_ID = 2_147_483_647;

/** True when `n` can be a row id: a positive integer within the engines' integer range. */
export function isRowId(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n > 0 && n <= MAX_ROW_ID;
}
