/**
 * buildApp: the Fastify application (never listens; server.ts does). Plugins: security headers,
 * cookies, forms, sessions and API tokens, CSRF, rate limits, compression, the one error handler, static
 * assets, the OpenAPI document; then each capability's routes. Background work is not here: it runs in the job
 * queue (src/db/queue.ts, src/jobs/site-jobs.ts), started by server.ts.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { isUtf8 } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import compress from '@fastify/compress';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { renderToString } from 'preact-render-to-string';
import qs from 'node:querystring';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import type { Store } from '../db/database.js';
import type { App } from '../http/types.js';
import type { Ctx } from '../modules/context.js';
import { registerModules } from './modules.js';
import { authPlugin } from './plugins/auth.js';
import { errorHandler, frameworkErrors, notFoundHandler } from './plugins/errors.js';
import { publicBaseUrl } from '../http/site-urls.js';
import { PageCacheStore, pageCache } from './plugins/page-cache.js';
import { InProcessQueue, type JobQueue } from '../db/queue.js';
import type { ReadReplica } from '../db/replica.js';
import { SESSION_COOKIE } from './plugins/auth.js';
import { defineSiteJobs } from '../jobs/site-jobs.js';
import { securityHeaders } from './plugins/security.js';
import { sharedRateLimitStore } from './plugins/rate-limit-store.js';
import { listenForChanges } from '../db/notify.js';
import { forgetTokenActors } from '../modules/accounts/accounts.service.js';
import { MemorySharedState } from '../shared-state/memory.js';
import type { SharedState } from '../shared-state/shared-state.js';
import { loadSiteIdentity } from '../modules/site/site.service.js';

const publicDir = fileURLToPath(new URL('../../public', import.meta.url));

export interface BuildOptions {
  config: Config;
  store: Store;
  /** The clock; tests pass a fixed one. */
  now?: () => Date;
  logger?: FastifyServerOptions['logger'];
  /** What the site's processes share (rate limits, one-time tokens); default: this process's memory. */
  shared?: SharedState;
  /**
   * The site's job queue, defined and started by the caller (server.ts). Default: a queue in this process,
   * the site's jobs defined without their schedules, started and stopped with the app (tests).
   */
  jobs?: JobQueue;
  /** A streaming replica for anonymous portal reads (GONGKAI_READ_URL), started by the caller. */
  replica?: ReadReplica;
}

/**
 * Which requests may read from the replica: an anonymous GET of a portal page — no staff session, no API
 * token, and not a page that shows the visitor's own writes (the tracking page after a submission) or the
 * office, the API or the health check, which read the primary.
 */
export function isAnonymousPortalRead(req: IncomingMessage): boolean {
  if ((req.method !== 'GET' && req.method !== 'HEAD') || req.headers.authorization) return false;
  const cookie = req.headers.cookie;
  if (cookie && cookie.includes(`${SESSION_COOKIE}=`)) return false;
  const url = req.url ?? '/';
  return !/^\/(?:office|api|track|healthz|assets)(?:[/?]|$)/.test(url);
}

function firstValues(q: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries(q)) if (v !== undefined) out[k] = Array.isArray(v) ? (v[0] ?? '') : v;
  return out;
}

/** The one error shape of every error answer (plugins/errors.ts), as the API description declares it. */
const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: '稳定的错误代码（如 validation、not_found、rate_limited）' },
        reason: { type: 'string', description: '更细的原因（如 request.daily_limit）' },
        message: { type: 'string', description: '中文说明' },
        fields: { type: 'array', items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } } } },
      },
    },
  },
} as const;

export async function buildApp(opts: BuildOptions): Promise<App> {
  const { config, store } = opts;
  // The rendered-page cache; its hits are answered before Fastify (see plugins/page-cache.ts).
  const replica = opts.replica;
  const readScope = new AsyncLocalStorage<true>();
  const pages = new PageCacheStore({ ttlMs: 60_000, maxBytes: 32 * 1024 * 1024, maxEntries: 5000, trustProxy: config.trustProxy !== false });
  const app = Fastify({
    serverFactory: (handler) => {
      const server = createServer((req, res) => {
        if (pages.fastPath(req, res)) return;
        // An anonymous portal read runs in the replica's scope: ctx.db is the replica while it is current.
        if (replica && isAnonymousPortalRead(req)) readScope.run(true, () => handler(req, res));
        else handler(req, res);
      });
      server.keepAliveTimeout = 72_000; // Fastify's own default (it sets it only on servers it creates)
      return server;
    },
    logger: opts.logger ?? false,
    // A hop count is applied as Express and proxy-addr do (the first N hops from the server are proxies):
    // Fastify 5 itself now trusts nothing for a number. Addresses are Fastify's own (proxy-addr).
    trustProxy: typeof config.trustProxy === 'number' ? ((_addr: string, hop: number) => hop < (config.trustProxy as number)) : config.trustProxy,
    bodyLimit: 1024 * 1024,
    // A repeated query key (?a=1&a=2) gives its first value: handlers read query values as strings.
    routerOptions: { maxParamLength: 200, querystringParser: (s: string) => firstValues(qs.parse(s)) },
    frameworkErrors,
    ajv: { customOptions: { allErrors: false, coerceTypes: 'array', removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  const now = opts.now ?? (() => new Date());
  const ctx: Ctx = replica
    ? {
        get db() {
          return readScope.getStore() && replica.usable() ? replica.db : store.db;
        },
        engine: store.engine,
        now,
      }
    : { db: store.db, engine: store.engine, now };
  if (replica) {
    // A page read from the replica says how stale it may be; it is not kept in the page cache when the
    // replica had not yet caught up with the latest change heard of (it would outlive that change).
    app.decorateRequest('replicaLagSeconds', null);
    app.addHook('onRequest', async (req) => {
      if (readScope.getStore() && replica.usable()) req.replicaLagSeconds = Math.ceil(replica.maxLagMs / 1000);
    });
    pages.mayStore = () => !(readScope.getStore() && replica.freshAsOf() < pages.lastChangeAt);
  }
  app.decorate('ctx', ctx);
  app.decorate('config', config);
  await loadSiteIdentity(ctx);
  const shared = opts.shared ?? new MemorySharedState();
  app.decorate('shared', shared);
  let jobs = opts.jobs;
  if (!jobs) {
    const own = new InProcessQueue(app.log);
    defineSiteJobs(own, ctx, { recurring: false });
    await own.start();
    app.addHook('onClose', async () => own.stop(2000));
    jobs = own;
  }
  app.decorate('jobs', jobs);

  app.decorateReply('page', function (node, pageOpts) {
    const html = '<!doctype html>' + renderToString(node);
    this.code(pageOpts?.status ?? this.statusCode ?? 200);
    this.type('text/html; charset=utf-8');
    if (pageOpts?.cache !== 'public') this.header('cache-control', 'no-store');
    return this.send(html);
  });

  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);

  // A JSON body must be UTF-8 (RFC 8259 §8.1): Fastify's own parser decodes bytes that are not as U+FFFD and
  // would store a damaged name or text without a word. Such a body is refused (400); otherwise Fastify's parser
  // (empty body, prototype poisoning, syntax errors) answers as before.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    if (!isUtf8(body as Buffer)) return done(new AppError('validation', '请求内容不是有效的 UTF-8 编码的 JSON', { reason: 'http.invalid_utf8' }), undefined);
    parseJson(req, (body as Buffer).toString('utf8'), done);
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'gongkai 政府信息公开平台 API',
        version: '1',
        description: '依申请公开、主动公开、年度报告与年报审核的 JSON 接口（见 README 与 contract）。',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    hideUntagged: false,
    // Every operation has an operationId a client generator can name a method by: the route's own, or one made
    // from its method and path (GET /api/v1/requests/:id → getRequestsById).
    // And every error that can occur is declared, in the one shape the error handler writes (plugins/errors.ts).
    transform: ({ schema, url, route }) => {
      const s = (schema ?? {}) as Record<string, unknown>;
      if (s.hide) return { schema, url };
      const method = (Array.isArray(route.method) ? route.method[0]! : route.method).toLowerCase();
      const isPublic = Array.isArray(s.security) && (s.security as unknown[]).length === 0;
      const writes = ['post', 'put', 'patch', 'delete'].includes(method);
      const errors: Record<string, string> = {
        400: '请求内容不合法',
        // A public operation needs no token, but one that is given must be valid, and what only staff may read
        // (a report's working copy) is refused to a token that may not.
        401: isPublic ? '所附 API 令牌无效或已撤销（公开接口可不带令牌）' : '未登录或令牌无效',
        403: isPublic ? '令牌无权读取所请求的内容' : '无权执行此操作',
        404: '不存在',
        ...(writes ? { 409: '与当前状态冲突', 413: '提交的内容过大', 415: '不支持的内容类型（应为 application/json）', 422: '内容不符合规则', 423: '年度已锁定' } : {}),
        414: '请求地址过长',
        429: '请求过于频繁',
        500: '服务器内部错误',
        503: '暂时无法完成（如检索用时过长），请稍后重试',
      };
      const response = { ...((s.response as Record<string, unknown>) ?? {}) };
      for (const [code, description] of Object.entries(errors)) response[code] ??= { ...ERROR_SCHEMA, description };
      const withErrors = { ...s, response };
      if (s.operationId) return { schema: withErrors as typeof schema, url };
      const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
      const words = url
        .replace(/^\/api\/v1/, '')
        .split('/')
        .filter(Boolean)
        .map((seg) => (seg.startsWith(':') ? `By${cap(seg.slice(1))}` : seg.split(/[-_.]/).map(cap).join('')));
      return { schema: { ...withErrors, operationId: `${method}${words.join('')}` } as typeof schema, url };
    },
  });

  await app.register(cookie, { secret: config.secret });
  await app.register(formbody, {
    bodyLimit: 1024 * 1024,
    parser: (body) => qs.parse(body),
  });
  await app.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip', 'deflate'] });
  await app.register(rateLimit, { global: false, store: sharedRateLimitStore(shared) });
  await app.register(securityHeaders);
  await app.register(authPlugin);
  await app.register(pageCache, { store: pages });
  // Several processes on one PostgreSQL: the changes the others commit are announced (src/db/notify.ts).
  if (config.database.engine === 'postgres' && store.engine === 'postgres') {
    const listener = await listenForChanges(config.database.url, config.database.schema, {
      onChange: () => {
        pages.external++;
        pages.lastChangeAt = Date.now();
      },
      onAccountsChange: () => forgetTokenActors(ctx),
      log: app.log,
      own: store.backendPids,
    });
    pages.listening = () => listener.connected();
    app.addHook('onClose', async () => listener.close());
  }
  await app.register(fastifyStatic, {
    root: join(publicDir, 'assets'),
    prefix: '/assets/',
    maxAge: '1h',
    immutable: false,
  });

  // The ALTCHA widget (the public form's challenge), from the npm package: served by this site, never a CDN.
  const altchaWidget = readFileSync(join(dirname(createRequire(import.meta.url).resolve('altcha')), 'altcha.i18n.min.js'));
  app.get('/assets/altcha.js', { schema: { hide: true } }, async (_req, reply) =>
    reply.header('cache-control', 'public, max-age=86400').type('text/javascript; charset=utf-8').send(altchaWidget),
  );

  // Browsers ask for /favicon.ico on pages (feeds, files) that do not name the icon.
  app.get('/favicon.ico', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/assets/favicon.svg', 301));

  app.get('/healthz', { schema: { hide: true } }, async () => {
    await ctx.db.selectFrom('audit_head').select('id').executeTakeFirst();
    return { status: 'ok', engine: store.engine };
  });
  // `servers`: this site's address (GONGKAI_BASE_URL, or the host the description was asked from).
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async (req) => ({ ...app.swagger(), servers: [{ url: publicBaseUrl(app, req), description: '本站' }] }));

  // A route without a body schema reads form fields from an object: a JSON body of null, a number or an array
  // is treated as an empty form (its fields are then missing and reported as such), never as a crash.
  app.addHook('preHandler', async (req) => {
    const b = req.body as unknown;
    if (b !== undefined && (b === null || typeof b !== 'object' || Array.isArray(b)) && !req.routeOptions.schema?.body) req.body = {};
  });

  await registerModules(app);

  return app;
}
