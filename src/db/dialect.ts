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

/**
 * Storage of large values, PostgreSQL only (SQLite stores them as given): `compressed` columns (long text)
 * use lz4 instead of pglz — pglz cost more CPU on an import than inserting the rows — and `incompressible`
 * columns (already-encoded binary) are stored out of line without trying to compress them. Applied only where
 * the server has the setting (PostgreSQL 14+ with TOAST compression methods, and lz4 built in for the first):
 * a PostgreSQL-compatible engine without them keeps its defaults, and nothing else depends on it.
 */
export async function tuneLargeValueStorage(
  db: Kysely<any>,
  engine: Engine,
  columns: { compressed: [table: string, column: string][]; incompressible: [table: string, column: string][] },
): Promise<void> {
  if (engine !== 'postgres') return;
  const setting = await sql<{ enumvals: string[] | null }>`select enumvals from pg_settings where name = 'default_toast_compression'`.execute(db);
  if (!setting.rows.length) return;
  const lz4 = (setting.rows[0]!.enumvals ?? []).includes('lz4');
  for (const [table, column] of lz4 ? columns.compressed : []) await sql`alter table ${sql.table(table)} alter column ${sql.ref(column)} set compression lz4`.execute(db);
  for (const [table, column] of columns.incompressible) await sql`alter table ${sql.table(table)} alter column ${sql.ref(column)} set storage external`.execute(db);
}

/** A column of bytes (uploaded files kept in the database): blob on SQLite, bytea on PostgreSQL. */
export function blobType(engine: Engine) {
  return engine === 'sqlite' ? ('blob' as const) : ('bytea' as const);
}
