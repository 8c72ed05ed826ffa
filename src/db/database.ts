/**
 * createDb: the one place that knows which engine is behind Kysely. Everything engine-specific lives in
 * this folder (the dialect seam: ./dialect.ts); queries elsewhere are the same on SQLite and PostgreSQL.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config.js';
import type { Database } from './schema.js';

export type Engine = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** A database handle or an open transaction: what repositories take as their first argument. */
export type Executor = Kysely<Database>;

export interface Store {
  db: Db;
  engine: Engine;
  close(): Promise<void>;
  /**
   * PostgreSQL: the server process ids of this store's open connections — a change announced by one of them
   * was made by this process (src/db/notify.ts).
   */
  backendPids?: ReadonlySet<number>;
}

// PostgreSQL returns int8 (count(*), sum of integers) as strings; parse them as numbers (safe below 2^53).
pg.types.setTypeParser(20, (v) => Number(v));
// numeric (sum over numeric columns): numbers too.
pg.types.setTypeParser(1700, (v) => Number(v));

/**
 * Kysely prepares every query anew; preparing costs as much as running a short one. Keep the prepared
 * statements of the most recent distinct SQL texts (a statement still being iterated is never handed out
 * twice: a fresh one is prepared instead).
 */
function cacheStatements(sqlite: SQLite.Database, max = 500): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, SQLite.Statement>();
  (sqlite as { prepare: (sql: string) => SQLite.Statement }).prepare = (sql: string) => {
    const hit = cache.get(sql);
    if (hit && !hit.busy) {
      cache.delete(sql);
      cache.set(sql, hit);
      return hit;
    }
    const stmt = prepare(sql);
    if (!hit) {
      cache.set(sql, stmt);
      if (cache.size > max) cache.delete(cache.keys().next().value!);
    }
    return stmt;
  };
}

/**
 * PostgreSQL: this process's open pool connections by server process id, so that code holding only a Kysely
 * transaction can reach its connection for what Kysely cannot send (COPY: src/db/bulk.ts).
 */
const pgClients = new Map<number, pg.PoolClient>();
export const pgClientByPid = (pid: number): pg.PoolClient | undefined => pgClients.get(pid);

export function createStore(config: DatabaseConfig): Store {
  if (config.engine === 'sqlite') {
    if (config.file !== ':memory:') mkdirSync(dirname(config.file), { recursive: true });
    const sqlite = new SQLite(config.file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('busy_timeout = 5000');
    cacheStatements(sqlite);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    return { db, engine: 'sqlite', close: () => db.destroy() };
  }
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolSize,
    ...(config.schema ? { options: `-c search_path=${config.schema}` } : {}),
  });
  const backendPids = new Set<number>();
  pool.on('connect', (c) => {
    const pid = (c as { processID?: number }).processID;
    if (pid) {
      backendPids.add(pid);
      pgClients.set(pid, c as pg.PoolClient);
    }
  });
  pool.on('remove', (c) => {
    const pid = (c as { processID?: number }).processID;
    if (pid) {
      backendPids.delete(pid);
      if (pgClients.get(pid) === c) pgClients.delete(pid);
    }
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, engine: 'postgres', close: () => db.destroy(), backendPids };
}
