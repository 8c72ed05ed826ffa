/**
 * Bulk inserts for the hot import path: multi-row `insert … values (…), …` of up to 500 rows per statement
 * (`?` on SQLite, `$n` on PostgreSQL). The SQL text is built once per shape and handed to Kysely already
 * compiled: no query-builder work per row. (On PostgreSQL, `insert … select * from unnest($1::text[], …)`
 * — one statement per batch — was measured slower for our rows: parsing multi-megabyte text arrays costs
 * more than the round trips it saves, and bytea travels as hex in arrays but binary as a parameter.)
 */
import { CompiledQuery, type Kysely } from 'kysely';
import { engineOf } from './dialect.js';

/** A column of a bulk insert: its name and its PostgreSQL type (documentation of the shape; values bind as given). */
export interface BulkColumn {
  name: string;
  pg: 'int4' | 'int8' | 'text' | 'bytea';
}

const MAX_PARAMS = 30_000;
const MAX_ROWS = 500;
const sqlCache = new Map<string, string>();

/**
 * Insert rows (each an array of values in the order of `columns`); with `returning`, the named columns of
 * the inserted rows, in the order of the rows.
 */
export async function bulkInsert(
  db: Kysely<any>,
  table: string,
  columns: readonly BulkColumn[],
  rows: readonly (readonly unknown[])[],
  returning?: readonly string[],
): Promise<Record<string, unknown>[]> {
  if (rows.length === 0) return [];
  const cols = columns.map((c) => `"${c.name}"`).join(', ');
  const ret = returning?.length ? ` returning ${returning.map((r) => `"${r}"`).join(', ')}` : '';
  const out: Record<string, unknown>[] = [];
  const pg = engineOf(db) === 'postgres';
  const per = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMS / columns.length)));

  for (let i = 0; i < rows.length; i += per) {
    const part = rows.slice(i, i + per);
    const key = `${pg}|${table}|${cols}|${ret}|${part.length}`;
    let text = sqlCache.get(key);
    if (!text) {
      const tuples = [];
      for (let r = 0; r < part.length; r++) tuples.push(`(${columns.map((_, k) => (pg ? `$${r * columns.length + k + 1}` : '?')).join(', ')})`);
      text = `insert into "${table}" (${cols}) values ${tuples.join(', ')}${ret}`;
      sqlCache.set(key, text);
    }
    const params: unknown[] = [];
    for (const r of part) for (let k = 0; k < columns.length; k++) params.push(r[k] ?? null);
    const res = await db.executeQuery(CompiledQuery.raw(text, params));
    for (const r of res.rows) out.push(r as Record<string, unknown>);
  }
  return out;
}

/** SQLite page cache (KiB) while a bulk import runs; the connection's setting is restored afterwards. */
const IMPORT_CACHE_KIB = 128 * 1024;

/**
 * Run a bulk import with a larger SQLite page cache (PostgreSQL: unchanged). With the default 2 MB, a batch's
 * dirty pages of the indexes spill to the WAL again and again before the commit, and every lookup re-reads
 * pages from the OS. Durability is untouched (journal_mode and synchronous stay as they are); the cache is
 * given back when the import ends.
 */
export async function withImportCache<T>(db: Kysely<any>, fn: () => Promise<T>): Promise<T> {
  if (engineOf(db) !== 'sqlite') return fn();
  const prev = (await db.executeQuery(CompiledQuery.raw('pragma cache_size'))).rows[0] as { cache_size: number } | undefined;
  if (prev && prev.cache_size < 0 && -prev.cache_size >= IMPORT_CACHE_KIB) return fn();
  await db.executeQuery(CompiledQuery.raw(`pragma cache_size = -${IMPORT_CACHE_KIB}`));
  try {
    return await fn();
  } finally {
    await db.executeQuery(CompiledQuery.raw(`pragma cache_size = ${prev?.cache_size ?? -2000}`));
  }
}
