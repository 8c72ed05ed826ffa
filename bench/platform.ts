/**
 * The platform benchmark, each figure against its floor in the same run:
 * - bulk import of items with indexing vs a bare prepared insert of the same rows;
 * - annual report: one agency, a city roll-up (and a province roll-up) vs the bare GROUP BY queries;
 * - search p50/p95 for one-, two- and three-word Chinese queries vs a bare lookup on the same index;
 * - portal pages (item, catalogue, search, home) under 50 connections vs the same bytes as a static file;
 * - request submissions per second through the API, with the audit log, durable;
 * - server memory (RSS) after the load.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../src/config.js';
import { openStore } from '../src/db/open.js';
import type { Store } from '../src/db/database.js';
import { createToken, createUser } from '../src/modules/accounts/accounts.service.js';
import { getAgency } from '../src/modules/agencies/agencies.service.js';
import type { Ctx } from '../src/modules/context.js';
import { computeAnnualReport } from '../src/modules/reports/reports.service.js';
import { searchItems } from '../src/modules/search/search.service.js';
import { generate } from './generate.js';
import { load } from './lib/http-load.js';
import { log, progress } from './lib/progress.js';
import { startStaticServer, waitForPort } from './lib/static-server.js';
import type { BenchOptions } from './run.js';
import type { BenchResult } from './types.js';

const root = fileURLToPath(new URL('..', import.meta.url));

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}
async function timeIt(n: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

async function freshStore(o: BenchOptions): Promise<{ store: Store; config: DatabaseConfig; env: Record<string, string> }> {
  if (o.engine === 'sqlite') {
    const file = join(o.workDir, `bench-${o.size}.db`);
    for (const ext of ['', '-wal', '-shm']) rmSync(`${file}${ext}`, { force: true });
    const config: DatabaseConfig = { engine: 'sqlite', file };
    return { store: await openStore(config), config, env: { GONGKAI_DB: file, GONGKAI_DATA_DIR: o.workDir } };
  }
  const schema = `bench_${o.size}`;
  const c = new pg.Client({ connectionString: o.pgUrl });
  await c.connect();
  await c.query(`drop schema if exists ${schema} cascade`);
  await c.query(`create schema ${schema}`);
  await c.end();
  const config: DatabaseConfig = { engine: 'postgres', url: o.pgUrl, schema, poolSize: 10 };
  const url = `${o.pgUrl}${o.pgUrl.includes('?') ? '&' : '?'}schema=${schema}`;
  return { store: await openStore(config), config, env: { DATABASE_URL: url, GONGKAI_DATA_DIR: o.workDir } };
}

/** The floor for import: a bare prepared insert of rows shaped like items, in batched transactions. */
async function bareInsertRate(store: Store, rows: number): Promise<number> {
  const db = store.db;
  await sql`drop table if exists bench_bare_items`.execute(db);
  await sql`create table bench_bare_items (id integer primary key, agency_id integer, title text, summary text, body text, published_on text)`.execute(db);
  const body = '<p>为深入贯彻落实党中央、国务院决策部署，进一步推进优化营商环境工作，结合我市实际，制定本方案。</p>'.repeat(6);
  const t = performance.now();
  for (let i = 0; i < rows; i += 1000) {
    await db.transaction().execute(async (tx) => {
      const values = [];
      for (let j = i; j < Math.min(rows, i + 1000); j++) values.push(sql`(${j + 1}, ${j % 100}, ${`关于印发《江州市优化营商环境实施方案》的通知${j}`}, ${'为深入贯彻落实党中央、国务院决策部署'}, ${body}, ${'2024-05-06'})`);
      // chunks of 100 rows per statement keep within both engines' parameter limits
      for (let k = 0; k < values.length; k += 100) await sql`insert into bench_bare_items values ${sql.join(values.slice(k, k + 100))}`.execute(tx);
    });
  }
  const secs = (performance.now() - t) / 1000;
  await sql`drop table bench_bare_items`.execute(db);
  return rows / secs;
}

function startServer(env: Record<string, string>, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(root, 'bin/gongkai.js'), 'serve', '--port', String(port)], {
    env: { ...process.env, ...env, LOG_LEVEL: 'warn', GONGKAI_SECRET: 'b'.repeat(40) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return waitForPort(port, 60_000).then(() => child);
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(status.match(/VmRSS:\s+(\d+)/)![1]) / 1024;
}

export async function benchPlatform(o: BenchOptions): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  const { store, env } = await freshStore(o);
  const ctx: Ctx = { db: store.db, engine: store.engine, now: () => new Date() };

  // 1. Data: the generator imports items through the import path (batched, indexed, audited).
  log(`生成数据（${o.size}）……`);
  const gen = await generate(ctx, o.size);
  const importRate = gen.items / gen.itemSeconds;
  const floor = await bareInsertRate(store, Math.min(gen.items, 100_000));
  out.push({ name: `import items with indexing (${gen.items} items)`, value: importRate, unit: 'items/s', floor, ratio: importRate / floor, target: '≥ 20000 items/s', met: importRate >= 20_000 });
  log(`requests and registries generated: ${gen.requests} requests in ${gen.requestSeconds.toFixed(1)} s`);

  // 2. Annual report: one agency, a city roll-up, a province roll-up; floor: the bare GROUP BY queries.
  const year = 2024;
  const dept = await getAgency(ctx, gen.agencies.find((a) => a.kind === 'department')!.code);
  const city = await getAgency(ctx, gen.cityCodes[0]!);
  const one = await timeIt(15, () => computeAnnualReport(ctx, dept, year));
  const bareGroupBy = async (ids: number[]) => {
    await Promise.all([
      sql`select applicant_kind, count(*) from requests where agency_id in (${sql.join(ids)}) and kind = 'disclosure' and received_on between ${`${year}-01-01`} and ${`${year}-12-31`} group by applicant_kind`.execute(store.db),
      sql`select outcome, applicant_kind, count(*) from requests where agency_id in (${sql.join(ids)}) and kind = 'disclosure' and replied_on between ${`${year}-01-01`} and ${`${year}-12-31`} group by outcome, applicant_kind`.execute(store.db),
      sql`select kind, result, count(*) from review_cases where agency_id in (${sql.join(ids)}) and filed_on between ${`${year}-01-01`} and ${`${year}-12-31`} group by kind, result`.execute(store.db),
      sql`select agency_id, count(*) from items where agency_id in (${sql.join(ids)}) and status = 'published' and published_on between ${`${year}-01-01`} and ${`${year}-12-31`} group by agency_id`.execute(store.db),
    ]);
  };
  const oneFloor = await timeIt(15, () => bareGroupBy([dept.id]));
  out.push({ name: 'annual report, one agency (median)', value: quantile(one, 0.5), unit: 'ms', floor: quantile(oneFloor, 0.5), ratio: quantile(one, 0.5) / quantile(oneFloor, 0.5), target: '≤ 50 ms', met: quantile(one, 0.5) <= 50 });
  const cityIds = (await store.db.selectFrom('agencies').select('id').where('path', 'like', `${city.path}%`).execute()).map((r) => r.id);
  const cityR = await timeIt(5, () => computeAnnualReport(ctx, city, year, { rollup: true }));
  const cityF = await timeIt(5, () => bareGroupBy(cityIds));
  const cityRatio = quantile(cityR, 0.5) / quantile(cityF, 0.5);
  out.push({ name: `annual report, city roll-up (${cityIds.length} agencies)`, value: quantile(cityR, 0.5), unit: 'ms', floor: quantile(cityF, 0.5), ratio: cityRatio, target: '≤ 2× bare GROUP BY', met: cityRatio <= 2 });
  if (gen.provinceCode) {
    const prov = await getAgency(ctx, gen.provinceCode);
    const provIds = (await store.db.selectFrom('agencies').select('id').execute()).map((r) => r.id);
    const pr = await timeIt(3, () => computeAnnualReport(ctx, prov, year, { rollup: true }));
    const pf = await timeIt(3, () => bareGroupBy(provIds));
    out.push({ name: `annual report, province roll-up (${provIds.length} agencies)`, value: quantile(pr, 0.5), unit: 'ms', floor: quantile(pf, 0.5), ratio: quantile(pr, 0.5) / quantile(pf, 0.5) });
  }

  // 3. Search: one-, two- and three-word queries; floor: a bare lookup of one gram's postings.
  const queries: Record<string, string[]> = {
    'one word': ['公开', '营商环境', '养老', '预算', '防汛', '招生', '通知', '乡村振兴'],
    'two words': ['优化营商环境 实施方案', '养老服务 通知', '财政 预算', '安全生产 专项整治', '乡村振兴 工作要点'],
    'three words': ['城市更新 行动 方案', '农村 人居环境 整治', '政务公开 工作 要点', '食品 药品 监管'],
  };
  for (const [label, qs] of Object.entries(queries)) {
    const times: number[] = [];
    for (let rep = 0; rep < 6; rep++) for (const q of qs) times.push(...(await timeIt(1, () => searchItems(ctx, { q }))));
    const floorTimes = await timeIt(40, () => sql`select data from search_blocks where field = 1 and gram = (select gram from search_blocks limit 1) order by max_skey desc limit 2`.execute(store.db));
    const p95 = quantile(times, 0.95);
    const target = o.engine === 'sqlite' ? 20 : 50;
    out.push({ name: `search p50, ${label}`, value: quantile(times, 0.5), unit: 'ms', floor: quantile(floorTimes, 0.5) });
    out.push({ name: `search p95, ${label} (${gen.items} items)`, value: p95, unit: 'ms', floor: quantile(floorTimes, 0.95), ratio: p95 / quantile(floorTimes, 0.95), target: `≤ ${target} ms at 1 M items`, met: p95 <= target });
  }

  // 4. Portal pages and submissions through a real server process.
  const admin = await createUser(ctx, { system: 'bench' }, { agencyCode: dept.code, username: 'bench-handler', role: 'handler' });
  void admin;
  const token = await createToken(ctx, { system: 'bench' }, 'bench-handler');
  const item = await store.db.selectFrom('items').select(['id']).where('agency_id', '=', dept.id).where('status', '=', 'published').orderBy('id', 'desc').executeTakeFirstOrThrow();
  await store.close();

  const port = 3900 + (o.engine === 'sqlite' ? 1 : 2);
  const server = await startServer(env, port);
  const base = `http://127.0.0.1:${port}`;
  const pages: Record<string, string> = {
    'item page': `/items/${item.id}`,
    'catalogue page': `/agencies/${encodeURIComponent(dept.code)}/catalogue`,
    'search page': `/search?q=${encodeURIComponent('营商环境')}`,
    'home page': '/',
  };
  const bodies: Record<string, Buffer> = {};
  for (const [name, path] of Object.entries(pages)) {
    const r = await fetch(base + path);
    if (r.status !== 200) throw new Error(`${path} answered ${r.status}`);
    bodies[name.replace(/\s/g, '-') + '.html'] = Buffer.from(await r.arrayBuffer());
  }
  const staticServer = await startStaticServer(join(o.workDir, 'static'), bodies, port + 10);
  const seconds = o.size === 'quick' ? 4 : 10;
  const headers = { 'accept-encoding': 'gzip' };
  for (const [name, path] of Object.entries(pages)) {
    const app = await load(base + path, { connections: 50, seconds, headers });
    const fl = await load(staticServer.url(name.replace(/\s/g, '-') + '.html'), { connections: 50, seconds, headers });
    out.push({
      name: `${name}: throughput (50 connections)`, value: app.rps, unit: 'req/s', floor: fl.rps, ratio: app.rps / fl.rps,
      target: '≥ 0.5× static', met: app.rps / fl.rps >= 0.5, note: `static by ${staticServer.kind}; errors ${app.errors}, non-2xx ${app.non2xx}`,
    });
    out.push({ name: `${name}: p99 latency`, value: app.p99, unit: 'ms', floor: fl.p99, target: '≤ 20 ms', met: app.p99 <= 20, note: `p50 ${app.p50} ms` });
  }
  await staticServer.close();

  // Request submissions: 50 connections posting through the API, each stored with its audit entry.
  const before = Date.now();
  const { default: autocannon } = await import('autocannon');
  let n = 0;
  const sub = await autocannon({
    url: `${base}/api/v1/requests`,
    method: 'POST',
    connections: 50,
    duration: seconds,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    setupClient: (client) => {
      client.setBody(JSON.stringify({ channel: 'letter', receivedOn: '2026-11-20', applicant: { kind: 'natural_person', name: `测试申请人${n++}` }, subject: '关于某项目审批文件的公开申请', description: '请求公开该项目的审批文件。' }));
    },
  });
  const created = sub.statusCodeStats?.['201']?.count ?? 0;
  out.push({ name: 'request submissions (API, audit log, durable)', value: created / ((Date.now() - before) / 1000), unit: 'req/s', target: o.engine === 'sqlite' ? '≥ 1000/s on SQLite' : undefined, met: o.engine === 'sqlite' ? created / ((Date.now() - before) / 1000) >= 1000 : undefined, note: `${created} created, non-2xx ${sub.non2xx}, errors ${sub.errors}` });

  const rss = rssMb(server.pid!);
  out.push({ name: `server RSS after load (${gen.items} items)`, value: rss, unit: 'MB', target: '≤ 300 MB at 1 M items', met: rss <= 300 });
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  void progress;
  void existsSync;
  return out;
}
