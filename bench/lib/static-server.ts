/**
 * The floor for page throughput: the same bytes served as a static file, by nginx where it is installed,
 * else by a minimal Node static server (the results say which). A `NAME.gz` beside `NAME` is what nginx
 * sends (gzip_static) to a client that accepts gzip: the very bytes the application sent.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fetchRaw } from './http-load.js';

export interface StaticServer {
  kind: 'nginx' | 'node';
  url(name: string): string;
  close(): Promise<void>;
}

export async function startStaticServer(dir: string, files: Record<string, Buffer | string>, port: number): Promise<StaticServer> {
  mkdirSync(dir, { recursive: true });
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  const nginx = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
  if (nginx) {
    const conf = join(dir, 'nginx.conf');
    writeFileSync(
      conf,
      `worker_processes 1; daemon off; pid ${join(dir, 'nginx.pid')}; error_log ${join(dir, 'error.log')};
events { worker_connections 1024; }
http { access_log off; sendfile on; tcp_nopush on; keepalive_requests 100000;
  types { text/html html; } default_type text/html;
  server { listen 127.0.0.1:${port}; root ${dir}; etag on; gzip_static on; } }`,
    );
    const child: ChildProcess = spawn(nginx, ['-c', conf, '-p', dir], { stdio: 'ignore' });
    await waitForPort(port);
    return {
      kind: 'nginx',
      url: (name) => `http://127.0.0.1:${port}/${name}`,
      close: () => new Promise((res) => { child.once('exit', () => res()); child.kill('SIGTERM'); }),
    };
  }
  const bodies = new Map(Object.entries(files).map(([k, v]) => [`/${k}`, Buffer.from(v)]));
  const server: Server = createServer((req, res) => {
    const gz = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) ? bodies.get(`${req.url ?? ''}.gz`) : undefined;
    const b = gz ?? bodies.get(req.url ?? '');
    if (!b) { res.statusCode = 404; res.end(); return; }
    res.setHeader('content-type', 'text/html; charset=utf-8');
    if (gz) res.setHeader('content-encoding', 'gzip');
    res.end(b);
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  return { kind: 'node', url: (name) => `http://127.0.0.1:${port}/${name}`, close: () => new Promise((r) => server.close(() => r())) };
}

export async function waitForPort(port: number, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) });
      await r.arrayBuffer();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`port ${port} did not open`);
}

/** The hot pages both page benchmarks measure: an item, an agency's catalogue, a search, the home page. */
export function hotPages(itemId: number, deptCode: string): Record<string, string> {
  return {
    'item page': `/items/${itemId}`,
    'catalogue page': `/agencies/${encodeURIComponent(deptCode)}/catalogue`,
    'search page': `/search?q=${encodeURIComponent('营商环境')}`,
    'home page': '/',
  };
}

/**
 * The very bytes the application sends for each page (gzip, as the load asks for it), named for nginx's
 * gzip_static: the floor serves the same size on the wire with no compression work on either side.
 */
export async function capturePages(base: string, pages: Record<string, string>): Promise<Record<string, Buffer>> {
  const bodies: Record<string, Buffer> = {};
  for (const [name, path] of Object.entries(pages)) {
    const r = await fetchRaw(base + path, { 'accept-encoding': 'gzip' });
    if (r.status !== 200) throw new Error(`${path} answered ${r.status}`);
    const file = name.replace(/\s/g, '-') + '.html';
    if (r.encoding === 'gzip') bodies[`${file}.gz`] = r.body;
    bodies[file] = r.encoding === 'gzip' ? gunzipSync(r.body) : r.body;
  }
  return bodies;
}
