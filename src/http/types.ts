/**
 * The contract between the web shell (src/web, which builds the app and its plugins) and the module
 * routes (src/modules/x/x.routes.ts and x.pages.tsx): the app type, what a request carries, and the
 * guards every handler uses. Modules import this, never src/web.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { VNode } from 'preact';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import type { Actor, Ctx } from '../modules/context.js';
import type { SharedState } from '../shared-state/shared-state.js';
import type { JobQueue } from '../db/queue.js';

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

export interface PageOptions {
  status?: number;
  /** Cache-Control for public pages (portal); office pages are never cached. */
  cache?: 'public' | 'private';
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: Ctx;
    config: Config;
    /** What the site's processes share (rate limits, one-time tokens): memory or Redis. */
    shared: SharedState;
    /** The site's job queue (src/db/queue.ts). */
    jobs: JobQueue;
  }
  interface FastifyRequest {
    actor: Actor | null;
    authVia: 'session' | 'token' | null;
    /** The CSRF token the page must put in every form (hidden field `_csrf`). */
    csrfToken: string;
    /** 长者模式 (large text) chosen by the reader. */
    largeText: boolean;
    /** Unread notifications of the signed-in account, for the office header (set on office pages). */
    unreadNotifications?: number;
    /** Read from the streaming replica: the most its data may lag the primary, in seconds (else null). */
    replicaLagSeconds?: number | null;
  }
  interface FastifyReply {
    page(node: VNode<any>, opts?: PageOptions): FastifyReply;
  }
}

export function requireActor(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError('unauthenticated', '请先登录');
  return req.actor;
}

/** Redirect after a successful form post (Post/Redirect/Get), with a flash message in the query. */
export function redirectWithNotice(reply: FastifyReply, to: string, notice?: string): FastifyReply {
  if (!notice) return reply.redirect(to, 303);
  // The query goes before a fragment (`/office/items/1#attachments`), or the browser never sends it.
  const hash = to.indexOf('#');
  const [path, frag] = hash < 0 ? [to, ''] : [to.slice(0, hash), to.slice(hash)];
  const url = `${path}${path.includes('?') ? '&' : '?'}notice=${encodeURIComponent(notice)}${frag}`;
  return reply.redirect(url, 303);
}

/** A string field of a urlencoded form body, trimmed; undefined when absent. */
export function formField(body: unknown, name: string): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const v = (body as Record<string, unknown>)[name];
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0].trim() : undefined;
  return typeof v === 'string' ? v.trim() : undefined;
}

export type { FastifyReply, FastifyRequest };
