/**
 * Bulk inserts for the hot import path: multi-row `insert … values (…), …` of up to 500 rows per statement
 * (`?` on SQLite, `$n` on PostgreSQL). The SQL text is built once per shape and handed to Kysely already
 * compiled: no query-builder work per row. (On PostgreSQL, `insert … select * from unnest($1::text[], …)`
 * — one statement per batch — was measured slower for our rows: parsing multi-megabyte text arrays costs
 * more than the round trips it saves, and bytea travels as hex in arrays but binary as a parameter.)
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CompiledQuery, type Kysely } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pgClientByPid } from './database.js';
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

/** SQLite page cache (KiB) while bulk imports run; the connection's setting is restored afterwards. */
const IMPORT_CACHE_KIB = 128 * 1024;
/** How long the large cache outlives the last import: many small imports in a row keep it warm. */
const IMPORT_CACHE_LINGER_MS = 15_000;
const importCaches = new WeakMap<object, { prev: number; running: number; timer: NodeJS.Timeout | null }>();

/**
 * Run a bulk import with a larger SQLite page cache (PostgreSQL: unchanged). With the default 2 MB, a batch's
 * dirty pages of the indexes spill to the WAL again and again before the commit, and every lookup re-reads
 * pages from the OS. Durability is untouched (journal_mode and synchronous stay as they are). The cache is
 * given back 15 s after the last import ends, not at once: shrinking it drops the cached pages, and each of
 * many small imports in a row (100 items through the API or the CLI) would start cold.
 */
export async function withImportCache<T>(db: Kysely<any>, fn: () => Promise<T>): Promise<T> {
  if (engineOf(db) !== 'sqlite') return fn();
  const key = db.getExecutor().adapter; // one per store (a transaction shares it)
  let state = importCaches.get(key);
  if (state) {
    if (state.timer) clearTimeout(state.timer);
    state.timer = null;
  } else {
    const prev = (await db.executeQuery(CompiledQuery.raw('pragma cache_size'))).rows[0] as { cache_size: number } | undefined;
    if (prev && prev.cache_size < 0 && -prev.cache_size >= IMPORT_CACHE_KIB) return fn();
    await db.executeQuery(CompiledQuery.raw(`pragma cache_size = -${IMPORT_CACHE_KIB}`));
    importCaches.set(key, (state = { prev: prev?.cache_size ?? -2000, running: 0, timer: null }));
  }
  state.running++;
  try {
    return await fn();
  } finally {
    if (--state.running === 0) {
      const s = state;
      s.timer = setTimeout(() => {
        if (s.running > 0 || importCaches.get(key) !== s) return;
        importCaches.delete(key);
        db.executeQuery(CompiledQuery.raw(`pragma cache_size = ${s.prev}`)).catch(() => undefined); // the store may be closed by now
      }, IMPORT_CACHE_LINGER_MS);
      s.timer.unref();
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// COPY (PostgreSQL)

/** Below this many rows a multi-row insert is as fast as COPY (one round trip either way). */
const COPY_MIN_ROWS = 50;
/** `copy: false` sends everything as multi-row inserts (tests and benchmarks comparing the two paths). */
export const bulkOptions = { copy: true };
const connections = new WeakMap<object, pg.PoolClient | null>();

/**
 * The pool connection under a Kysely transaction (PostgreSQL), found by its server process id; null when the
 * handle is not one of this process's stores (then COPY is not used). Remembered per transaction object.
 */
async function connectionOf(tx: Kysely<any>): Promise<pg.PoolClient | null> {
  let c = connections.get(tx);
  if (c === undefined) {
    const r = await tx.executeQuery(CompiledQuery.raw('select pg_backend_pid() as pid'));
    c = pgClientByPid(Number((r.rows[0] as { pid: number }).pid)) ?? null;
    connections.set(tx, c);
  }
  return c;
}

const useCopy = (db: Kysely<any>, rows: number) => bulkOptions.copy && rows >= COPY_MIN_ROWS && db.isTransaction && engineOf(db) === 'postgres';

/** One value in COPY's text format: \N for null, backslash escapes for backslash, tab, newline, return. */
function copyValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (v instanceof Uint8Array) return `\\\\x${Buffer.from(v).toString('hex')}`;
  const s = String(v);
  return /[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : s;
}

function* copyChunks(rows: readonly (readonly unknown[])[], width: number): Generator<string> {
  let chunk = '';
  for (const r of rows) {
    let line = '';
    for (let k = 0; k < width; k++) line += (k ? '\t' : '') + copyValue(r[k]);
    chunk += `${line}\n`;
    if (chunk.length >= 1 << 20) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/**
 * Write rows into a table inside the caller's transaction: PostgreSQL `COPY … FROM STDIN` on the
 * transaction's own connection (one stream instead of statements of 500 rows, no parameter parsing), else
 * bulkInsert. A failure anywhere fails the statement and so the transaction: nothing of it stays.
 */
export async function bulkLoad(db: Kysely<any>, table: string, columns: readonly BulkColumn[], rows: readonly (readonly unknown[])[]): Promise<void> {
  if (rows.length === 0) return;
  const client = useCopy(db, rows.length) ? await connectionOf(db) : null;
  if (!client) {
    await bulkInsert(db, table, columns, rows);
    return;
  }
  const stream = client.query(copyFrom(`copy "${table}" (${columns.map((c) => `"${c.name}"`).join(', ')}) from stdin`));
  await pipeline(Readable.from(copyChunks(rows, columns.length)), stream);
}

/**
 * Insert rows whose table has an identity `id` and return the ids in the order of the rows: on PostgreSQL
 * (COPY) the ids are taken from the column's sequence first, in one statement; elsewhere `returning id`
 * and the unique column `key` that tells the rows apart.
 */
export async function bulkLoadWithIds(db: Kysely<any>, table: string, columns: readonly BulkColumn[], rows: readonly (readonly unknown[])[], key: string): Promise<number[]> {
  if (rows.length === 0) return [];
  if (useCopy(db, rows.length) && (await connectionOf(db))) {
    const r = await db.executeQuery(CompiledQuery.raw(`select nextval(pg_get_serial_sequence('"${table}"', 'id')) as id from generate_series(1, $1) order by 1`, [rows.length]));
    const ids = r.rows.map((x) => Number((x as { id: unknown }).id));
    await bulkLoad(db, table, [{ name: 'id', pg: 'int4' }, ...columns], rows.map((row, i) => [ids[i], ...row]));
    return ids;
  }
  // RETURNING's order is not promised: matched by a unique key column instead.
  const k = columns.findIndex((c) => c.name === key);
  const byKey = new Map((await bulkInsert(db, table, columns, rows, ['id', key])).map((r) => [r[key], Number(r.id)]));
  return rows.map((r) => byKey.get(r[k])!);
}
