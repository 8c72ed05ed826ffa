/**
 * A fresh database for each test, on the engine the run is for (GONGKAI_TEST_ENGINE=sqlite|postgres):
 * SQLite in a temporary file; PostgreSQL in a new schema of the test database, dropped afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseConfig } from '../../src/config.js';
import { openStore } from '../../src/db/open.js';
import type { Store } from '../../src/db/database.js';

export const ENGINE = (process.env.GONGKAI_TEST_ENGINE ?? 'sqlite') as 'sqlite' | 'postgres';
export const PG_URL = process.env.GONGKAI_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDb {
  config: DatabaseConfig;
  store: Store;
  /** Environment for running the CLI against the same database. */
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

export async function createTestDb(): Promise<TestDb> {
  if (ENGINE === 'postgres') {
    const schema = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    const url = `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}schema=${schema}`;
    const config: DatabaseConfig = { engine: 'postgres', url: PG_URL, schema, poolSize: 5 };
    const store = await openStore(config);
    return {
      config,
      store,
      env: { DATABASE_URL: url },
      async cleanup() {
        await store.close().catch(() => {});
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        await c.query(`drop schema if exists ${schema} cascade`);
        await c.query(`drop schema if exists ${schema}_jobs cascade`); // the job queue's (src/db/queue.ts), if a server made it
        await c.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'gongkai-test-'));
  const file = join(dir, 'test.db');
  const config: DatabaseConfig = { engine: 'sqlite', file };
  const store = await openStore(config);
  return {
    config,
    store,
    env: { GONGKAI_DB: file, GONGKAI_DATA_DIR: dir },
    async cleanup() {
      await store.close().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
