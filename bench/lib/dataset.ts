/**
 * The generated data a benchmark measures, kept between runs when asked (`--reuse`). Generating a province
 * (2 420 agencies, ≈ 4.2 M items, ≈ 230 000 requests) takes longer than the measurements made on it, and
 * the page and latency figures want an idle machine: with `--reuse` the generation can run once (`--only
 * generate`), and the platform and scale benchmarks measure the same data later. The generator's summary
 * (what it made and how long the import took) is saved beside the data, so the import figure of a reused
 * dataset is the one measured when it was made.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { DatabaseConfig } from '../../src/config.js';
import type { Store } from '../../src/db/database.js';
import { openStore } from '../../src/db/open.js';
import { createToken, createUser } from '../../src/modules/accounts/accounts.service.js';
import type { Ctx } from '../../src/modules/context.js';
import { generate, type GenResult } from '../generate.js';
import type { BenchOptions } from '../run.js';
import { log } from './progress.js';

export interface Dataset {
  store: Store;
  ctx: Ctx;
  config: DatabaseConfig;
  /** What a `gongkai serve` process needs to open the same data. */
  env: Record<string, string>;
  gen: GenResult;
  /** True when the data was made by an earlier run (its import figure is that run's). */
  reused: boolean;
  /** When the saved summary was written (the generation's end). */
  madeAt: string;
}

export function datasetName(o: BenchOptions): string {
  return `${o.size}${o.itemsPerAgencyYear ? `_i${o.itemsPerAgencyYear}` : ''}${o.requestShare ? `_r${String(o.requestShare).replace('.', '')}` : ''}`;
}

/** Opens the benchmark's data: generated afresh, or (with `o.reuse` and a complete earlier generation) reused. */
export async function openDataset(o: BenchOptions, poolSize = 10): Promise<Dataset> {
  const name = datasetName(o);
  const summary = join(o.workDir, `dataset-${o.engine}-${name}.json`);
  const reuse = Boolean(o.reuse) && existsSync(summary);
  let config: DatabaseConfig;
  let env: Record<string, string>;
  if (o.engine === 'sqlite') {
    const file = join(o.workDir, `bench-${name}.db`);
    if (!reuse) for (const ext of ['', '-wal', '-shm']) rmSync(`${file}${ext}`, { force: true });
    config = { engine: 'sqlite', file };
    env = { GONGKAI_DB: file, GONGKAI_DATA_DIR: o.workDir };
  } else {
    const schema = `bench_${name}`;
    if (!reuse) {
      const c = new pg.Client({ connectionString: o.pgUrl });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.query(`drop schema if exists ${schema}_jobs cascade`);
      await c.query(`create schema ${schema}`);
      await c.end();
    }
    config = { engine: 'postgres', url: o.pgUrl, schema, poolSize };
    env = { DATABASE_URL: `${o.pgUrl}${o.pgUrl.includes('?') ? '&' : '?'}schema=${schema}`, GONGKAI_DATA_DIR: o.workDir };
  }
  const store = await openStore(config);
  const ctx: Ctx = { db: store.db, engine: store.engine, now: () => new Date() };
  if (reuse) {
    const saved = JSON.parse(readFileSync(summary, 'utf8')) as { gen: GenResult; madeAt: string };
    log(`沿用已生成的数据（${name}，${saved.gen.items} 条信息，${saved.gen.requests} 件申请，生成于 ${saved.madeAt}）`);
    return { store, ctx, config, env, gen: saved.gen, reused: true, madeAt: saved.madeAt };
  }
  rmSync(summary, { force: true });
  log(`生成数据（${name}）……`);
  const gen = await generate(ctx, o.size, { itemsPerAgencyYear: o.itemsPerAgencyYear, requestShare: o.requestShare });
  const madeAt = new Date().toISOString();
  writeFileSync(summary, JSON.stringify({ gen, madeAt }, null, 1));
  return { store, ctx, config, env, gen, reused: false, madeAt };
}

/** An API token for a handler of the agency; the account is made once per dataset. */
export async function benchToken(ctx: Ctx, agencyCode: string): Promise<string> {
  const username = 'bench-handler';
  const exists = await ctx.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
  if (!exists) await createUser(ctx, { system: 'bench' }, { agencyCode, username, role: 'handler' });
  return createToken(ctx, { system: 'bench' }, username);
}
