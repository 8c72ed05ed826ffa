/**
 * buildTestApp: the whole application on a fresh database of the run's engine, with a fixed clock and
 * helpers to create agencies and accounts, log in, and call pages and the API through app.inject().
 */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { loadConfig, type Config } from '../../src/config.js';
import type { App } from '../../src/http/types.js';
import { createAgency } from '../../src/modules/agencies/agencies.service.js';
import { createToken, createUser } from '../../src/modules/accounts/accounts.service.js';
import type { Ctx } from '../../src/modules/context.js';
import { buildApp } from '../../src/web/app.js';
import { createTestDb, type TestDb } from './db.js';
import { checkAgainstOpenApi, watchSerialization } from './openapi-check.js';

export const TEST_PASSWORD = 'Test-passw0rd';

export interface TestApp {
  app: App;
  ctx: Ctx;
  db: TestDb;
  config: Config;
  /** Move the clock (ISO instant). */
  setNow(iso: string): void;
  close(): Promise<void>;
  agency(code: string, opts?: { parent?: string; kind?: string; name?: string }): Promise<void>;
  user(agency: string, username: string, role: string): Promise<void>;
  token(username: string): Promise<string>;
  login(username: string, password?: string): Promise<Browser>;
  anonymous(): Browser;
}

/** A cookie-keeping client over app.inject(), like a person's browser. */
export class Browser {
  cookies = new Map<string, string>();
  constructor(private readonly app: App) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(opts: InjectOptions): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({
      ...opts,
      headers: { accept: 'text/html', ...(opts.headers ?? {}), cookie: this.cookieHeader() },
    });
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }

  get(url: string) {
    return this.request({ method: 'GET', url });
  }

  /** The CSRF token a page puts in its forms. */
  async csrf(url = '/office/login'): Promise<string> {
    const res = await this.get(url);
    const m = res.body.match(/name="_csrf" value="([^"]+)"/);
    if (!m) throw new Error(`no CSRF token on ${url} (status ${res.statusCode})`);
    return m[1]!;
  }

  /** Submit a form the way a browser does (urlencoded, with the page's CSRF token unless given). */
  async post(url: string, form: Record<string, string | number | undefined>, opts: { csrf?: string | null; from?: string } = {}) {
    const data: Record<string, string> = {};
    for (const [k, v] of Object.entries(form)) if (v !== undefined) data[k] = String(v);
    if (opts.csrf !== null) data._csrf = opts.csrf ?? (await this.csrf(opts.from ?? '/office/login'));
    return this.request({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(data).toString(),
    });
  }
}

export async function buildTestApp(opts: { now?: string } = {}): Promise<TestApp> {
  const db = await createTestDb();
  let now = new Date(opts.now ?? '2025-03-03T02:00:00Z');
  const config = loadConfig({ ...db.env, GONGKAI_SECRET: 'x'.repeat(40), LOG_LEVEL: 'silent' });
  const app = await buildApp({ config, store: db.store, now: () => now });
  watchSerialization(app);
  await app.ready();
  const ctx = app.ctx;
  const t: TestApp = {
    app,
    ctx,
    db,
    config,
    setNow(iso) {
      now = new Date(iso);
    },
    async close() {
      await app.close();
      await db.cleanup();
    },
    async agency(code, o = {}) {
      await createAgency(ctx, { system: 'test' }, { code, name: o.name ?? `${code} 机关`, kind: o.kind ?? (o.parent ? 'department' : 'government'), parentCode: o.parent ?? null });
    },
    async user(agency, username, role) {
      await createUser(ctx, { system: 'test' }, { agencyCode: agency, username, role, password: TEST_PASSWORD });
    },
    token: (username) => createToken(ctx, { system: 'test' }, username),
    async login(username, password = TEST_PASSWORD) {
      const b = new Browser(app);
      const res = await b.post('/office/login', { username, password });
      if (res.statusCode !== 303) throw new Error(`login as ${username} failed: ${res.statusCode}`);
      return b;
    },
    anonymous: () => new Browser(app),
  };
  return t;
}

/** Call the JSON API with a bearer token. */
export async function api(app: App, token: string, method: InjectOptions['method'], url: string, body?: unknown) {
  const res = await app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    payload: body === undefined ? undefined : JSON.stringify(body),
  });
  let json: any;
  try {
    json = res.json();
  } catch {
    json = undefined;
  }
  checkAgainstOpenApi(app, String(method), url, res.statusCode, res.headers, json);
  return { status: res.statusCode, body: json, raw: res };
}
