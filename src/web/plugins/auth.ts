/**
 * Who is asking: a staff session (cookie `gk_sid`, http-only, SameSite=Lax, Secure over TLS) or an API
 * token (`Authorization: Bearer`). CSRF: every unsafe request that is not token-authenticated must carry
 * the page's token (`_csrf` form field or `x-csrf-token` header): the session's token for staff, and a
 * double-submit cookie (`gk_csrf`) for the public.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import { AppError } from '../../errors.js';
import { localRedirect } from '../../http/site-urls.js';
import type { App } from '../../http/types.js';
import { sessionActor, tokenActor } from '../../modules/accounts/accounts.service.js';

export const SESSION_COOKIE = 'gk_sid';
export const CSRF_COOKIE = 'gk_csrf';
const LARGE_COOKIE = 'gk_large';
const kFreshCsrf = Symbol('freshCsrf');

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export const authPlugin = fp(async (app: App) => {
  app.decorateRequest('actor', null);
  app.decorateRequest('authVia', null);
  app.decorateRequest('csrfToken', '');
  app.decorateRequest('largeText', false);

  app.addHook('onRequest', async (req) => {
    req.largeText = req.cookies[LARGE_COOKIE] === '1';
    const auth = req.headers.authorization;
    if (auth && /^Bearer\s+/i.test(auth)) {
      const actor = await tokenActor(app.ctx, auth.replace(/^Bearer\s+/i, '').trim());
      if (!actor) throw new AppError('unauthenticated', 'API 令牌无效或已撤销');
      req.actor = actor;
      req.authVia = 'token';
      return;
    }
    const sid = req.cookies[SESSION_COOKIE];
    if (sid) {
      const s = await sessionActor(app.ctx, sid);
      if (s) {
        req.actor = s.actor;
        req.authVia = 'session';
        req.csrfToken = s.csrfToken;
      }
    }
    if (!req.csrfToken) {
      const anon = req.cookies[CSRF_COOKIE];
      if (anon && /^[A-Za-z0-9_-]{20,100}$/.test(anon)) req.csrfToken = anon;
      else {
        // A new reader: the double-submit cookie is set only if the response carries the token (a page
        // with a form), so pages without one stay cookie-free and cacheable.
        req.csrfToken = randomBytes(24).toString('base64url');
        (req as { [kFreshCsrf]?: boolean })[kFreshCsrf] = true;
      }
    }
  });

  app.addHook('onSend', async (req, reply, payload) => {
    if ((req as { [kFreshCsrf]?: boolean })[kFreshCsrf] && typeof payload === 'string' && payload.includes(req.csrfToken)) {
      reply.setCookie(CSRF_COOKIE, req.csrfToken, { path: '/', httpOnly: true, sameSite: 'lax', secure: req.protocol === 'https' });
    }
    return payload;
  });

  // CSRF check once the body is parsed.
  app.addHook('preHandler', async (req) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return;
    if (req.authVia === 'token') return;
    const body = req.body as Record<string, unknown> | undefined;
    const sent =
      (typeof req.headers['x-csrf-token'] === 'string' ? req.headers['x-csrf-token'] : undefined) ??
      (body && typeof body === 'object' && typeof body._csrf === 'string' ? body._csrf : undefined);
    if (!sent || !safeEqual(sent, req.csrfToken)) {
      throw new AppError('csrf', '表单已过期或来源不明（缺少有效的防伪令牌），请刷新页面后重新提交', { reason: 'csrf' });
    }
  });

  app.get('/accessibility/large-text', { schema: { hide: true } }, async (req, reply) => {
    const q = req.query as { on?: string; back?: string };
    const on = q.on !== '0';
    reply.setCookie(LARGE_COOKIE, on ? '1' : '0', { path: '/', httpOnly: true, sameSite: 'lax', maxAge: 365 * 86400 });
    const back = localRedirect(app, q.back, '/');
    return reply.redirect(back, 303);
  });
});
