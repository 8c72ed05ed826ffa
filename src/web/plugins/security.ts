/**
 * Security headers on every response: CSP without inline scripts, no framing, no sniffing; HSTS over TLS;
 * Cache-Control no-store unless the answer says otherwise.
 */
import fp from 'fastify-plugin';
import { AppError } from '../../errors.js';
import type { App } from '../../http/types.js';

/** True if a string anywhere in the value holds a NUL character (PostgreSQL text cannot store one). */
function hasNul(v: unknown, depth = 0): boolean {
  if (typeof v === 'string') return v.includes('\u0000');
  if (!v || typeof v !== 'object' || depth > 64 || Buffer.isBuffer(v)) return false;
  for (const [k, x] of Object.entries(v)) if (k.includes('\u0000') || hasNul(x, depth + 1)) return true;
  return false;
}

export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  // The ALTCHA widget solves its proof of work in workers it makes from its own code (blob: URLs).
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const securityHeaders = fp(async (app: App) => {
  // NUL characters are never text anyone typed: refused at the edge, the same on both engines.
  app.addHook('preValidation', async (req) => {
    if (hasNul(req.params) || hasNul(req.query) || hasNul(req.body)) {
      throw new AppError('validation', '提交的内容含有不允许的控制字符（NUL），请删除后重新提交', { reason: 'input.nul' });
    }
  });

  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('content-security-policy', CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    // A page that set its own (the tracking page: no-referrer, its address holds the applicant's key) keeps it.
    if (!reply.hasHeader('referrer-policy')) reply.header('referrer-policy', 'strict-origin-when-cross-origin');
    // Private by default: an answer that did not say it may be cached (public pages, assets) is never stored —
    // the API's requests, review cases and letters, office pages, errors.
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=()');
    reply.header('cross-origin-opener-policy', 'same-origin');
    if (req.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    return payload;
  });
});
