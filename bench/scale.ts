/**
 * Scale-out figures (issue 18), PostgreSQL only (`npm run bench -- --only scale --engine postgres`):
 * - hot portal pages (item, catalogue, search, home) measured with wrk (C) against nginx serving the very
 *   bytes the application sent, with autocannon's figure beside it (autocannon is a JavaScript client that
 *   shares the cores and saturates first: its ratio to nginx flatters the application);
 * - request submissions per second through the API with 1, 2 and 4 `gongkai serve` processes on one
 *   PostgreSQL, behind nginx as the reverse proxy (round robin, keep-alive), loaded by wrk with a script that
 *   gives every submission its own applicant. Everything shares the machine's two cores: the server
 *   processes, PostgreSQL, nginx and wrk.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { getAgency } from '../src/modules/agencies/agencies.service.js';
import { benchToken, openDataset } from './lib/dataset.js';
import { load } from './lib/http-load.js';
import { log } from './lib/progress.js';
import { capturePages, hotPages, startStaticServer, waitForPort } from './lib/static-server.js';
import { WRK, wrk } from './lib/wrk.js';
import type { BenchOptions } from './run.js';
import type { BenchResult } from './types.js';

const root = fileURLToPath(new URL('..', import.meta.url));

function serve(env: Record<string, string>, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(root, 'bin/gongkai.js'), 'serve', '--port', String(port)], {
    env: { ...process.env, ...env, LOG_LEVEL: 'warn', GONGKAI_SECRET: 'b'.repeat(40) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return waitForPort(port, 60_000).then(() => child);
}

async function stop(ps: ChildProcess[]): Promise<void> {
  await Promise.all(ps.map((p) => new Promise((r) => (p.exitCode !== null ? r(null) : (p.once('exit', r), p.kill('SIGTERM'))))));
}

/** nginx as the reverse proxy in front of the processes (what a deployment runs). */
async function proxy(dir: string, port: number, upstreams: number[]): Promise<{ close(): Promise<void> }> {
  mkdirSync(dir, { recursive: true });
  const conf = join(dir, 'proxy.conf');
  writeFileSync(
    conf,
    `worker_processes 1; daemon off; pid ${join(dir, 'proxy.pid')}; error_log ${join(dir, 'proxy-error.log')};
events { worker_connections 4096; }
http { access_log off; keepalive_requests 100000;
  upstream app { ${upstreams.map((p) => `server 127.0.0.1:${p};`).join(' ')} keepalive 128; }
  server { listen 127.0.0.1:${port};
    location / { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_set_header Host $host; } } }`,
  );
  const child = spawn('/usr/sbin/nginx', ['-c', conf, '-p', dir], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 300));
  return { close: () => new Promise((res) => (child.once('exit', () => res()), child.kill('SIGTERM'))) };
}

export async function benchScale(o: BenchOptions): Promise<BenchResult[]> {
  if (o.engine !== 'postgres') return [];
  if (!WRK) throw new Error('wrk is not installed (apt-get install wrk)');
  const out: BenchResult[] = [];
  const { store, ctx, gen, env: dataEnv } = await openDataset(o, 4);
  const dept = await getAgency(ctx, gen.agencies.find((a) => a.kind === 'department')!.code);
  const token = await benchToken(ctx, dept.code);
  const item = await store.db.selectFrom('items').select(['id']).where('agency_id', '=', dept.id).where('status', '=', 'published').orderBy('id', 'desc').executeTakeFirstOrThrow();
  await store.close();
  // As deployed: the processes share rate limits and tokens through Redis (the one on this machine).
  const env = { ...dataEnv, GONGKAI_PG_POOL: '8', REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0' };
  const schema = new URL(dataEnv.DATABASE_URL!).searchParams.get('schema');
  /**
   * A process's start queues the site's start-up jobs (search maintenance, reminders, indexing every guide and
   * report not yet indexed: at a province's size, work of its own). Measuring while they run measures them:
   * wait until no job is queued or running (at most 5 minutes), and report how long that took.
   */
  async function settle(what: string): Promise<void> {
    const c = new pg.Client({ connectionString: o.pgUrl });
    await c.connect();
    const t0 = Date.now();
    let quiet = 0;
    try {
      for (;;) {
        // running with a live heartbeat, or queued since shortly before this start (a process stopped earlier
        // leaves its record running without a heartbeat until pg-boss hands the job out again)
        const live = new Date(Date.now() - 30_000).toISOString();
        const since = new Date(t0 - 60_000).toISOString();
        const r = await c.query(`select count(*)::int as n from "${schema}".jobs where (state = 'running' and heartbeat_at > $1) or (state = 'queued' and created_at > $2)`, [live, since]);
        // the start-up jobs get their records when a worker takes them (pg-boss polls every 2 s): quiet for 5 s
        quiet = r.rows[0].n === 0 ? quiet + 1 : 0;
        if ((quiet >= 5 && Date.now() - t0 > 8_000) || Date.now() - t0 > 300_000) break;
        await new Promise((res) => setTimeout(res, 1000));
      }
    } finally {
      await c.end();
    }
    log(`${what}：启动任务完成，用时 ${((Date.now() - t0) / 1000 - 5).toFixed(0)} 秒左右`);
  }
  const seconds = o.size === 'quick' ? 4 : 8;

  // 1. Hot pages, one process: wrk and autocannon, each against the application and against nginx.
  {
    const port = 3920;
    const server = await serve(env, port);
    await settle('1 个进程');
    const base = `http://127.0.0.1:${port}`;
    const pages = hotPages(item.id, dept.code);
    const bodies = await capturePages(base, pages);
    const nginx = await startStaticServer(join(o.workDir, 'static-scale'), bodies, port + 10);
    const headers = { 'accept-encoding': 'gzip' };
    for (const [name, path] of Object.entries(pages)) {
      log(`页面（wrk 与 autocannon，50 个连接，各 ${seconds} 秒）：${name}……`);
      const staticUrl = nginx.url(name.replace(/\s/g, '-') + '.html');
      await wrk(base + path, { seconds: 1, headers });
      const app = await wrk(base + path, { seconds, headers });
      await wrk(staticUrl, { seconds: 1, headers });
      const fl = await wrk(staticUrl, { seconds, headers });
      const appAc = await load(base + path, { connections: 50, seconds, headers });
      const flAc = await load(staticUrl, { connections: 50, seconds, headers });
      out.push({
        name: `${name}, wrk: throughput (50 connections)`, value: app.rps, unit: 'req/s', floor: fl.rps, ratio: app.rps / fl.rps, target: '≥ 0.5× nginx', met: app.non2xx === 0 && app.errors === 0 && app.rps / fl.rps >= 0.5,
        note: `p50 ${app.p50.toFixed(2)} ms, p99 ${app.p99.toFixed(2)} ms (nginx p99 ${fl.p99.toFixed(2)} ms); autocannon: ${appAc.rps.toFixed(0)} vs ${flAc.rps.toFixed(0)} req/s = ${(appAc.rps / flAc.rps).toFixed(2)}×`,
      });
    }
    await nginx.close();
    await stop([server]);
  }

  // 2. Submissions with 1, 2 and 4 processes behind nginx.
  const script = `
local counter = 0
local threads = {}
function setup(thread) table.insert(threads, thread); thread:set("tid", #threads) end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer ${token}"
function request()
  counter = counter + 1
  local body = string.format('{"channel":"letter","receivedOn":"2026-11-20","applicant":{"kind":"natural_person","name":"压测申请人%d-%d-%d"},"subject":"关于某项目审批文件的公开申请","description":"请求公开该项目的审批文件。"}', RUN, tid, counter)
  return wrk.format(nil, nil, nil, body)
end`;
  let run = 0;
  for (const n of [1, 2, 4]) {
    const ports = Array.from({ length: n }, (_, i) => 3930 + i);
    const ps = await Promise.all(ports.map((p) => serve(env, p)));
    const lb = await proxy(join(o.workDir, `proxy-${n}`), 3940, ports);
    await settle(`${n} 个进程`);
    log(`提交申请：${n} 个进程，经 nginx 反向代理，50 个连接，${seconds} 秒（先预热 1 秒）……`);
    await wrk('http://127.0.0.1:3940/api/v1/requests', { seconds: 1, script: script.replace('RUN', String(++run)), workDir: o.workDir });
    const r = await wrk('http://127.0.0.1:3940/api/v1/requests', { seconds, script: script.replace('RUN', String(++run)), workDir: o.workDir });
    out.push({
      name: `request submissions, ${n} process${n > 1 ? 'es' : ''} (API, audit log, durable)`, value: r.rps * (r.requests ? (r.requests - r.non2xx) / r.requests : 0), unit: 'req/s',
      note: `${r.requests} answered, ${r.non2xx} not 201, socket errors ${r.errors}; p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms`,
    });
    await lb.close();
    await stop(ps);
  }
  return out;
}
