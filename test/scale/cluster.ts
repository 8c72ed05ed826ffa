/**
 * A small site of several processes for the scale tests: N `gongkai serve` processes on one PostgreSQL test
 * schema and a private Redis (redis-server started here on a free port, so a test can stop it without
 * touching the machine's own Redis), plus a cookie-keeping fetch client.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { serve, type Served } from '../reliability/server.js';

/**
 * The suite runs the integration tests under two time zones; nothing in these scale tests depends on it and
 * each starts server processes: they run once, under Asia/Shanghai (the reason given when skipped).
 */
export function scaleSkip(engineReason: string | false | null): string | false {
  if (engineReason) return engineReason;
  return process.env.TZ === 'UTC' ? 'runs once per suite, under TZ=Asia/Shanghai (nothing here depends on the time zone)' : false;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

export interface PrivateRedis {
  url: string;
  stop(): Promise<void>;
}

/** redis-server on a free port, nothing kept on disk. */
export async function startRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const proc: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', mkdtempSync(join(tmpdir(), 'gk-redis-'))], { stdio: 'ignore' });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = connect(port, '127.0.0.1');
      c.once('connect', () => {
        c.end();
        resolve(true);
      });
      c.once('error', () => resolve(false));
    });
    if (ok) break;
    await sleep(50);
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
}

/** N server processes sharing the database and Redis given by env. */
export async function startProcesses(n: number, env: Record<string, string>): Promise<Served[]> {
  const out: Served[] = [];
  for (let i = 0; i < n; i++) out.push(await serve({ LOG_LEVEL: 'info', ...env }));
  return out;
}

export async function stopProcesses(ps: Served[]): Promise<void> {
  for (const p of ps) {
    if (p.proc.exitCode === null && p.proc.signalCode === null) p.proc.kill('SIGTERM');
  }
  await Promise.all(ps.map((p) => p.exited));
}

/** A browser over fetch: keeps cookies across the site's processes (one site, one cookie jar). */
export class Jar {
  cookies = new Map<string, string>();
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, i).trim(), pair!.slice(i + 1).trim());
    }
    return res;
  }
  post(url: string, form: Record<string, string>): Promise<Response> {
    return this.fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  }
}
