/**
 * The rendered-page cache for anonymous readers of the portal. A GET without a staff session or an API token
 * whose page is sent with `Cache-Control: public` (reply.page(…, {cache: 'public'}), the portal's
 * cachedPage/publicPage helpers) is kept, keyed by URL and 长者模式, with its ETag and its gzip (and, on
 * first demand, brotli) bodies, so a hot page costs neither a query, a render nor a compression:
 * If-None-Match is answered 304 from the entry, anything else gets the stored bytes. Over a socket, hits are
 * answered by the HTTP server's handler before Fastify (PageCacheStore.fastPath, wired in src/web/app.ts);
 * the onRequest hook below answers them for everything else (app.inject, a request the fast path declined).
 *
 * Never cached: a page that carries the reader's CSRF token (it has a form), sets a cookie, or is not a
 * 200; anything for a signed-in reader or an API token.
 *
 * One render per page at a time: a miss for a page that another request is already rendering waits for that
 * render (at most `followMs`) and is answered from the entry it stores, so fifty readers arriving together at a
 * page that takes a second to build cost one build, not fifty queued on the database pool. A page that turned
 * out not to be storable (a form page, an error) is not waited for again while it stays so (one time-to-live).
 *
 * Invalidation (see src/modules/page-cache/page-cache.service.ts): an entry is valid only under the content
 * version it was rendered under. The version moves on every audited change of public content (in this
 * process), after every successful staff write (after its commit), and when another process (the CLI, a
 * second server) commits a change: on PostgreSQL the database announces it at its commit (LISTEN/NOTIFY,
 * src/db/notify.ts: heard within milliseconds, no polling); on SQLite, or while that connection is down,
 * the audit chain head is polled at most once a second, without delaying the request. A time-to-live
 * (60 s, the pages' own max-age) bounds everything else.
 */
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants as zc, gzipSync } from 'node:zlib';
import fp from 'fastify-plugin';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../http/types.js';
import { SESSION_COOKIE } from './auth.js';
import { contentChanged, contentVersion } from '../../modules/page-cache/page-cache.service.js';

export interface PageCacheOptions {
  /** Entries live at most this long (ms). */
  ttlMs?: number;
  /** Upper bound of the bytes kept (identity + compressed bodies). */
  maxBytes?: number;
  maxEntries?: number;
  /** How often the audit chain head is looked at for changes by other processes (ms). */
  pollMs?: number;
  /** How long a miss waits for the same page's render already under way before rendering it itself (ms). */
  followMs?: number;
}

interface Entry {
  version: number;
  storedAt: number;
  etag: string;
  cacheControl: string;
  type: string;
  /** Every response header of the rendered page (security headers included), for the raw fast path. */
  headers: Record<string, string>;
  body: Buffer;
  gzip: Buffer;
  br?: Buffer;
  bytes: number;
}

/** The entries, shared by the Fastify hooks and the server's fast path (see fastPath). */
export class PageCacheStore {
  readonly entries = new Map<string, Entry>();
  bytes = 0;
  /** The version the plugin computes (set when the plugin registers). */
  version: () => number = () => contentVersion();
  /** Polls the audit chain head (set when the plugin registers). */
  poll: () => void = () => {};
  /** Changes committed by other processes that were heard of (announced or polled). */
  external = 0;
  /** When the latest change committed by any process was heard of (ms). */
  lastChangeAt = 0;
  /** Whether the page being sent may be kept (the replica's scope says no while it is behind a change). */
  mayStore: () => boolean = () => true;
  /** True while the database announces changes (then the head is not polled). */
  listening: () => boolean = () => false;
  /** Renders under way, by key: resolved when the leading request's response is done. */
  readonly rendering = new Map<string, Promise<void>>();
  /** Keys whose last render was not stored (a form page, an error), and when: not waited for again meanwhile. */
  readonly unstored = new Map<string, number>();
  constructor(readonly opts: { ttlMs: number; maxBytes: number; maxEntries: number; trustProxy: boolean }) {}

  /** A valid entry (most recently used last), or undefined (a stale one is dropped). */
  lookup(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    this.entries.delete(key);
    if (e.version !== this.version() || Date.now() - e.storedAt > this.opts.ttlMs) {
      this.bytes -= e.bytes;
      return undefined;
    }
    this.entries.set(key, e);
    return e;
  }

  store(key: string, e: Entry): void {
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.bytes -= old.bytes;
    }
    if (e.bytes > this.opts.maxBytes / 8) return;
    this.entries.set(key, e);
    this.bytes += e.bytes;
    for (const [k, x] of this.entries) {
      if (this.bytes <= this.opts.maxBytes && this.entries.size <= this.opts.maxEntries) break;
      this.entries.delete(k);
      this.bytes -= x.bytes;
    }
  }

  body(e: Entry, enc: 'br' | 'gzip' | 'identity'): Buffer {
    if (enc === 'gzip') return e.gzip;
    if (enc === 'identity') return e.body;
    if (!e.br) {
      e.br = brotliCompressSync(e.body, { params: { [zc.BROTLI_PARAM_QUALITY]: 9, [zc.BROTLI_PARAM_MODE]: zc.BROTLI_MODE_TEXT, [zc.BROTLI_PARAM_SIZE_HINT]: e.body.length } });
      e.bytes += e.br.length;
      this.bytes += e.br.length;
    }
    return e.br;
  }

  /**
   * Before Fastify: a hit for an anonymous GET is written straight to the socket with the stored headers
   * (the same bytes the hooks below would send, without routing, hooks and reply machinery). Anything
   * else — a staff session cookie, a token, a miss — goes to Fastify.
   */
  fastPath(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'GET' || req.headers.authorization) return false;
    const cookie = req.headers.cookie;
    if (cookie && cookie.includes(`${SESSION_COOKIE}=`)) return false;
    const large = !!cookie && /(?:^|;\s*)gk_large=1(?:;|$)/.test(cookie);
    const https = this.opts.trustProxy
      ? String(req.headers['x-forwarded-proto'] ?? '').split(',').pop()!.trim() === 'https' || (!req.headers['x-forwarded-proto'] && !!(req.socket as { encrypted?: boolean }).encrypted)
      : !!(req.socket as { encrypted?: boolean }).encrypted;
    this.poll();
    const e = this.lookup(cacheKey(large, https, req.url ?? '/'));
    if (!e) return false;
    for (const [k, v] of Object.entries(e.headers)) res.setHeader(k, v);
    res.setHeader('x-page-cache', 'hit');
    if (etagMatches(req.headers['if-none-match'], e.etag)) {
      res.statusCode = 304;
      res.end();
      return true;
    }
    const enc = pickEncoding(req.headers['accept-encoding']);
    const body = this.body(e, enc);
    if (enc !== 'identity') res.setHeader('content-encoding', enc);
    res.setHeader('content-length', body.length);
    res.statusCode = 200;
    res.end(body);
    return true;
  }
}

function cacheKey(large: boolean, https: boolean, url: string): string {
  return `${large ? 'L' : 'N'}${https ? 's' : ''}${url}`;
}

const NOT_STORED_HEADERS = new Set(['content-length', 'content-encoding', 'set-cookie', 'x-page-cache', 'transfer-encoding', 'connection', 'date']);

const kKey = Symbol('pageCacheKey');
const kVersion = Symbol('pageCacheVersion');
const kLead = Symbol('pageCacheLead');
type Tagged = FastifyRequest & { [kKey]?: string; [kVersion]?: number; [kLead]?: { key: string; done: () => void; stored: boolean } };

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** br, gzip or identity, honouring q=0; the server's preference when the client accepts several. */
export function pickEncoding(header: string | string[] | undefined): 'br' | 'gzip' | 'identity' {
  if (!header) return 'identity';
  const h = Array.isArray(header) ? header.join(',') : header;
  let br = false;
  let gzip = false;
  let star = false;
  for (const part of h.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q && Number(q.slice(2)) === 0) continue;
    if (name === 'br') br = true;
    else if (name === 'gzip' || name === 'x-gzip') gzip = true;
    else if (name === '*') star = true;
  }
  return br ? 'br' : gzip || star ? 'gzip' : 'identity';
}

function etagMatches(inm: string | undefined, etag: string): boolean {
  if (!inm) return false;
  const weak = (t: string) => t.trim().replace(/^W\//, '');
  const want = weak(etag);
  return inm.split(',').some((t) => t.trim() === '*' || weak(t) === want);
}

export const pageCache = fp(async (app: App, opts: PageCacheOptions & { store?: PageCacheStore }) => {
  const cache = opts.store ?? new PageCacheStore({ ttlMs: opts.ttlMs ?? 60_000, maxBytes: opts.maxBytes ?? 64 * 1024 * 1024, maxEntries: opts.maxEntries ?? 5000, trustProxy: false });
  const pollMs = opts.pollMs ?? 1000;
  const followMs = opts.followMs ?? 30_000;

  // Changes seen through the audit chain head (other processes), unless the database announces them.
  let lastSeq: number | null = null;
  let lastPoll = 0;
  let polling = false;
  cache.poll = () => {
    const now = Date.now();
    if (polling || now - lastPoll < pollMs) return;
    if (cache.listening()) {
      lastSeq = null; // when announcements stop, polling starts afresh
      return;
    }
    lastPoll = now;
    polling = true;
    app.ctx.db
      .selectFrom('audit_head')
      .select('last_seq')
      .where('id', '=', 1)
      .executeTakeFirst()
      .then((r) => {
        const seq = r ? Number(r.last_seq) : 0;
        if (lastSeq !== null && seq !== lastSeq) cache.external++;
        lastSeq = seq;
      })
      .catch(() => {
        cache.external++; // cannot tell: assume a change
      })
      .finally(() => {
        polling = false;
      });
  };
  cache.version = () => contentVersion() + cache.external;

  app.addHook('onRequest', async (req: Tagged, reply: FastifyReply) => {
    if (req.method !== 'GET' || req.actor || req.authVia || req.headers.authorization) return;
    cache.poll();
    const key = cacheKey(req.largeText, req.protocol === 'https', req.url);
    req[kKey] = key;
    req[kVersion] = cache.version();
    let e = cache.lookup(key);
    if (!e) {
      const under = cache.rendering.get(key);
      const unstoredAt = cache.unstored.get(key);
      if (unstoredAt !== undefined && Date.now() - unstoredAt > cache.opts.ttlMs) cache.unstored.delete(key);
      if (under && !cache.unstored.has(key)) {
        // Another request is rendering this page: wait for it, then take what it stored.
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([under, new Promise<void>((r) => (timer = setTimeout(r, followMs)))]);
        clearTimeout(timer);
        req[kVersion] = cache.version();
        e = cache.lookup(key);
      } else if (!under) {
        let done!: () => void;
        cache.rendering.set(key, new Promise<void>((r) => (done = r)));
        req[kLead] = { key, done, stored: false };
      }
      if (!e) return;
    }
    reply.header('etag', e.etag);
    reply.header('cache-control', e.cacheControl);
    reply.header('vary', 'Accept-Encoding, Cookie');
    reply.header('x-page-cache', 'hit');
    if (etagMatches(req.headers['if-none-match'], e.etag)) return reply.code(304).send();
    reply.header('content-type', e.type);
    const enc = pickEncoding(req.headers['accept-encoding']);
    if (enc !== 'identity') reply.header('content-encoding', enc);
    return reply.send(cache.body(e, enc));
  });

  // Runs before the compression hook (route-level onSend hooks come after the global ones) and after the
  // security headers (registered earlier): the payload is still the rendered HTML.
  app.addHook('onSend', async (req: Tagged, reply, payload) => {
    const key = req[kKey];
    if (!key || typeof payload !== 'string' || reply.statusCode !== 200 || req.actor || !cache.mayStore()) return payload;
    const cc = reply.getHeader('cache-control');
    if (typeof cc !== 'string' || !cc.startsWith('public')) return payload;
    if (reply.getHeader('set-cookie') !== undefined || reply.getHeader('content-encoding') !== undefined) return payload;
    const type = String(reply.getHeader('content-type') ?? '');
    if (!type.startsWith('text/html')) return payload;
    // A page with a form carries the reader's own CSRF token: never share it.
    if (req.csrfToken && payload.includes(req.csrfToken)) return payload;

    const body = Buffer.from(payload);
    let etag = reply.getHeader('etag');
    if (typeof etag !== 'string') {
      etag = `W/"${createHash('sha1').update(body).digest('base64url')}"`;
      reply.header('etag', etag);
    }
    reply.header('vary', 'Accept-Encoding, Cookie');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(reply.getHeaders())) {
      if (v !== undefined && !NOT_STORED_HEADERS.has(k.toLowerCase())) headers[k] = Array.isArray(v) ? v.join(', ') : String(v);
    }
    const gzip = gzipSync(body, { level: 6 });
    cache.store(key, { version: req[kVersion]!, storedAt: Date.now(), etag, cacheControl: cc, type, headers, body, gzip, bytes: body.length + gzip.length + key.length * 2 });
    const lead = req[kLead];
    if (lead) {
      lead.stored = true;
      finishLead(req);
    }
    if (pickEncoding(req.headers['accept-encoding']) === 'gzip') {
      reply.header('content-encoding', 'gzip');
      return gzip;
    }
    return payload; // br or identity: the compression hook does it
  });

  /** The leading render of a page is over (stored, answered otherwise, failed or abandoned): release its followers. */
  function finishLead(req: Tagged): void {
    const lead = req[kLead];
    if (!lead) return;
    req[kLead] = undefined;
    if (cache.rendering.get(lead.key)) cache.rendering.delete(lead.key);
    if (lead.stored) cache.unstored.delete(lead.key);
    else {
      cache.unstored.set(lead.key, Date.now());
      if (cache.unstored.size > cache.opts.maxEntries) cache.unstored.delete(cache.unstored.keys().next().value!);
    }
    lead.done();
  }
  app.addHook('onResponse', async (req: Tagged) => finishLead(req));
  app.addHook('onRequestAbort', async (req: Tagged) => finishLead(req));

  // A successful staff write (the office, the API): the commit is done, so pages rendered from now on see
  // it; pages rendered before it must go.
  app.addHook('onResponse', async (req, reply) => {
    if (UNSAFE.has(req.method) && req.actor && reply.statusCode < 400) {
      contentChanged();
      cache.lastChangeAt = Date.now();
    }
  });

  app.decorate('pageCacheStats', () => ({ entries: cache.entries.size, bytes: cache.bytes }));
});

declare module 'fastify' {
  interface FastifyInstance {
    pageCacheStats(): { entries: number; bytes: number };
  }
}
