/**
 * Import and search at a chosen size, for iterating on the search index (issue 7). Not part of `npm run bench`.
 *
 *   node --import tsx bench/search-import.ts --engine sqlite --n 100000            # fresh database, import, search
 *   node --import tsx bench/search-import.ts --engine sqlite --n 1000000 --keep    # reuse the database (no import)
 *
 * Items are generated as bench/generate.ts does (lib/corpus.ts) and land through importItems (batched, indexed,
 * audited), spread over 20 agencies; the import rate is compared with a bare prepared insert in the same run.
 * Then the platform benchmark's one-, two- and three-word queries and some hard ones (common words rarely
 * together, filters, deep pages) are timed: p50/p95 per kind, and the process's RSS.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../src/config.js';
import { openStore } from '../src/db/open.js';
import { createAgency } from '../src/modules/agencies/agencies.service.js';
import type { Ctx } from '../src/modules/context.js';
import { importItems, type SourceRow } from '../src/modules/disclosure/import.service.js';
import { optimizeSearchIndex, searchItems } from '../src/modules/search/search.service.js';
import { itemText, rng } from './lib/corpus.js';
import { log, progress } from './lib/progress.js';
import { bareInsertRate } from './lib/floors.js';
import { bulkOptions } from '../src/db/bulk.js';

const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'sqlite' },
    n: { type: 'string', default: '50000' },
    batch: { type: 'string', default: '5000' },
    keep: { type: 'boolean', default: false },
    'no-search': { type: 'boolean', default: false },
    'no-floor': { type: 'boolean', default: false },
    compact: { type: 'boolean', default: false },
    optimize: { type: 'boolean', default: false },
    reps: { type: 'string', default: '6' },
    trace: { type: 'boolean', default: false },
    server: { type: 'boolean', default: false },
    // the paths before issue 18 part 5, for a before/after in one run: multi-row inserts, text work on the main thread
    'no-copy': { type: 'boolean', default: false },
    'no-workers': { type: 'boolean', default: false },
    // many small imports: each agency's items in imports of this many (e.g. 100)
    'per-import': { type: 'string' },
    'pg-url': { type: 'string', default: process.env.GONGKAI_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
const engine = values.engine as 'sqlite' | 'postgres';
if (values['no-copy']) bulkOptions.copy = false;
const N = Number(values.n);
const root = fileURLToPath(new URL('.', import.meta.url));
const workDir = join(root, 'results', 'work');

async function store() {
  if (engine === 'sqlite') {
    const file = join(workDir, `search-import-${N}.db`);
    if (!values.keep) for (const ext of ['', '-wal', '-shm']) rmSync(`${file}${ext}`, { force: true });
    else if (!existsSync(file)) throw new Error(`${file} does not exist`);
    return openStore({ engine: 'sqlite', file });
  }
  const schema = `si_${N}`;
  if (!values.keep) {
    const c = new pg.Client({ connectionString: values['pg-url'] });
    await c.connect();
    await c.query(`drop schema if exists ${schema} cascade`);
    await c.query(`create schema ${schema}`);
    await c.end();
  }
  const config: DatabaseConfig = { engine: 'postgres', url: values['pg-url']!, schema, poolSize: 10 };
  return openStore(config);
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

const s = await store();
const ctx: Ctx = { db: s.db, engine: s.engine, now: () => new Date() };
// --trace: time spent per kind of statement (PostgreSQL), from Kysely's query log.
const traced = new Map<string, { n: number; ms: number }>();
if (values.trace && engine === 'postgres') {
  const { Kysely, PostgresDialect } = await import('kysely');
  const pool = new pg.Pool({ connectionString: values['pg-url'], max: 10, options: `-c search_path=si_${N}` });
  ctx.db = new Kysely({
    dialect: new PostgresDialect({ pool }),
    log: (e) => {
      const k = e.query.sql.replace(/\$\d+/g, '?').replace(/(, \?)+/g, ', ?').slice(0, 70);
      const t = traced.get(k) ?? { n: 0, ms: 0 };
      t.n++;
      t.ms += e.queryDurationMillis;
      traced.set(k, t);
    },
  }) as never;
}
const AGENCIES = 20;
const CATEGORIES = ['政策文件', '工作动态', '通知公告', '规划信息', '财政预决算', '政策解读', '人事信息', '行政许可', '行政处罚', '政府采购'];
const places = ['江州', '临川', '清河', '安平'];

if (!values.keep) {
  for (let a = 0; a < AGENCIES; a++) await createAgency(ctx, { system: 'bench' }, { code: `a${a}`, name: `${places[a % 4]}市第${a}局`, kind: 'department' });
  const per = Math.ceil(N / AGENCIES);
  const r = rng(7);
  const pi = progress('import', N);
  const t0 = performance.now();
  let imported = 0;
  for (let a = 0; a < AGENCIES; a++) {
    const ar = rng(r.int(1, 2 ** 31));
    const place = places[a % 4]!;
    const count = Math.min(per, N - a * per);
    async function* rows(): AsyncGenerator<SourceRow> {
      for (let i = 0; i < count; i++) {
        const year = 2021 + (i % 5);
        const { title, summary, body } = itemText(ar, place, year, `a${a}`);
        const m = ar.int(1, 12);
        const generatedOn = `${year}-${String(m).padStart(2, '0')}-${String(ar.int(1, 28)).padStart(2, '0')}`;
        yield {
          line: i + 1,
          record: {
            title, summary, body, category: ar.pick(CATEGORIES), generatedOn, publishedOn: generatedOn,
            docNumber: ar.chance(0.3) ? `${place}政发〔${year}〕${ar.int(1, 200)}号` : '', publisher: place, validity: 'valid',
          },
        };
      }
    }
    const perImport = Number(values['per-import'] ?? count) || count;
    const all = rows();
    for (let done = 0; done < count; done += perImport) {
      async function* part(): AsyncGenerator<SourceRow> {
        for (let k = 0; k < perImport; k++) {
          const n = await all.next();
          if (n.done) return;
          yield n.value;
        }
      }
      const before = imported;
      const res = await importItems(ctx, { system: 'bench' }, `a${a}`, part(), {
        file: `bench:a${a}`, batchSize: Number(values.batch), onProgress: (_, k) => pi.tick(before + k), ...(values['no-workers'] ? { workers: false } : {}),
      });
      if (res.rejected.length) throw new Error(JSON.stringify(res.rejected.slice(0, 3)));
      imported += res.imported;
    }
  }
  const secs = (performance.now() - t0) / 1000;
  pi.done();
  for (const [k, v] of [...traced].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15)) console.log(`  ${v.ms.toFixed(0).padStart(7)} ms ${String(v.n).padStart(6)}× ${k}`);
  console.log(`import: ${imported} items in ${secs.toFixed(1)} s = ${Math.round(imported / secs)} items/s`);
  if (values.optimize) {
    const t1 = performance.now();
    await optimizeSearchIndex(ctx);
    console.log(`optimize: ${((performance.now() - t1) / 1000).toFixed(1)} s`);
  }
  // Generation alone (what the import time includes).
  const g0 = performance.now();
  const gr = rng(9);
  for (let i = 0; i < Math.min(N, 50_000); i++) itemText(gr, '江州', 2024, 'a0');
  console.log(`generation alone: ${Math.round(Math.min(N, 50_000) / ((performance.now() - g0) / 1000))} items/s`);

  if (!values['no-floor']) {
    const rows = Math.min(N, 100_000);
    const rate = await bareInsertRate(s.db, rows);
    console.log(`floor (bare insert, ${rows} rows): ${Math.round(rate)} rows/s`);
  }
}

if (!values['no-search']) {
  const queries: Record<string, string[]> = {
    'one word': ['公开', '营商环境', '养老', '预算', '防汛', '招生', '通知', '乡村振兴'],
    'two words': ['优化营商环境 实施方案', '养老服务 通知', '财政 预算', '安全生产 专项整治', '乡村振兴 工作要点'],
    'three words': ['城市更新 行动 方案', '农村 人居环境 整治', '政务公开 工作 要点', '食品 药品 监管'],
    hard: ['防汛抗旱 疫苗接种', '森林防火 学前教育', '通知 政策解读', '耕地保护 冬季供暖 公示', '量子计算', '税'],
  };
  const filtered: { label: string; q: Record<string, unknown> }[] = [
    { label: 'agency', q: { q: '通知', agency: 'a3' } },
    { label: 'year', q: { q: '营商环境', year: 2023 } },
    { label: 'category', q: { q: '公开', category: '政策解读' } },
    { label: 'page 5', q: { q: '养老 服务', page: 5 } },
    { label: 'page 50', q: { q: '预算', page: 50 } },
  ];
  const reps = Number(values.reps);
  // warm-up round (not timed)
  for (const qs of Object.values(queries)) for (const q of qs) await searchItems(ctx, { q });
  for (const [label, qs] of Object.entries(queries)) {
    const times: number[] = [];
    const cpu: number[] = [];
    const per: string[] = [];
    for (let rep = 0; rep < reps; rep++) {
      for (const q of qs) {
        const t = performance.now();
        const c = process.cpuUsage();
        const res = await searchItems(ctx, { q });
        const ms = performance.now() - t;
        const cu = process.cpuUsage(c);
        cpu.push((cu.user + cu.system) / 1000);
        times.push(ms);
        if (rep === reps - 1) per.push(`${q}: ${res.total}${res.totalCapped ? '+' : ''} (title ${res.titleHits}) ${ms.toFixed(1)}ms`);
      }
    }
    console.log(`search ${label}: p50 ${quantile(times, 0.5).toFixed(1)} ms, p95 ${quantile(times, 0.95).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms (CPU of this process: p50 ${quantile(cpu, 0.5).toFixed(1)} ms, p95 ${quantile(cpu, 0.95).toFixed(1)} ms)`);
    for (const p of per) console.log(`    ${p}`);
  }
  for (const f of filtered) {
    const times: number[] = [];
    let res;
    for (let rep = 0; rep < reps; rep++) {
      const t = performance.now();
      res = await searchItems(ctx, f.q as never);
      times.push(performance.now() - t);
    }
    console.log(`search ${f.label} ${JSON.stringify(f.q)}: total ${res!.total}${res!.totalCapped ? '+' : ''}, ${res!.items.length} items, p50 ${quantile(times, 0.5).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms`);
  }
  log(`RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB, heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`);

  // --server: the real server on this database, every query through HTTP (page and API), then its RSS.
  if (values.server) {
    const { spawn } = await import('node:child_process');
    const { readFileSync } = await import('node:fs');
    const { waitForPort } = await import('./lib/static-server.js');
    const port = 3950;
    const env = engine === 'sqlite' ? { GONGKAI_DB: join(workDir, `search-import-${N}.db`) } : { DATABASE_URL: `${values['pg-url']}?schema=si_${N}` };
    const child = spawn(process.execPath, [join(root, '../bin/gongkai.js'), 'serve', '--port', String(port)], {
      env: { ...process.env, ...env, GONGKAI_DATA_DIR: workDir, LOG_LEVEL: 'warn', GONGKAI_SECRET: 'b'.repeat(40) },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await waitForPort(port, 60_000);
    const rss = () => Number(readFileSync(`/proc/${child.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)![1]) / 1024;
    const before = rss();
    const times: number[] = [];
    for (let rep = 0; rep < 3; rep++) {
      for (const q of Object.values(queries).flat()) {
        for (const path of [`/search?q=${encodeURIComponent(q)}`, `/api/v1/search?q=${encodeURIComponent(q)}&page=2`]) {
          const t = performance.now();
          const r = await fetch(`http://127.0.0.1:${port}${path}`);
          await r.arrayBuffer();
          times.push(performance.now() - t);
          if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
        }
      }
    }
    console.log(`server: RSS ${before.toFixed(0)} MB at start, ${rss().toFixed(0)} MB after ${times.length} searches over HTTP (p50 ${quantile(times, 0.5).toFixed(1)} ms, p95 ${quantile(times, 0.95).toFixed(1)} ms)`);
    child.kill('SIGTERM');
  }
}
await s.close();
