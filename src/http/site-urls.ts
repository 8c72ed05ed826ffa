/**
 * Addresses of this site in answers: redirect targets that come from a request, and the base of absolute links.
 *
 * Redirect targets that come from a request (`?back=`, `?next=`, a form's `next`): parsed as a URL against
 * this site and taken only when they stay on this origin and name a page that a route answers; anything else
 * falls back to a fixed page. A prefix test on the raw string (`startsWith('/') && !startsWith('//')`) let
 * `/%5Cevil.example/` (decoded by the query parser to `/\evil.example/`, which browsers read as `//`) and
 * `/%09/evil.example` (a tab browsers drop) send a user to another origin.
 */
import type { App } from './types.js';

const BASE = 'http://gongkai.invalid';

/** The target as a path, query and fragment on this site, or `fallback` (see the module comment). */
export function localRedirect(app: Pick<App, 'findRoute'>, target: unknown, fallback: string, opts: { under?: string } = {}): string {
  if (typeof target !== 'string' || target.length === 0 || target.length > 2000) return fallback;
  // Backslashes, control characters and spaces never occur in the site's own links; browsers bend them into `//`.
  if (/[\\\u0000-\u0020\u007f]/.test(target) || !target.startsWith('/') || target.startsWith('//')) return fallback;
  let url: URL;
  let path: string;
  try {
    url = new URL(target, BASE);
    path = decodeURIComponent(url.pathname);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE || path.startsWith('//') || /[\\\u0000-\u001f\u007f]/.test(path)) return fallback;
  if (opts.under && url.pathname !== opts.under && !url.pathname.startsWith(`${opts.under}/`)) return fallback;
  if (!app.findRoute({ method: 'GET', url: url.pathname })) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The site's address for links in an answer (sitemap, feeds, the tracking link): GONGKAI_BASE_URL when set;
 * otherwise the scheme and host this request came to (a well-formed Host header only; anything else falls back
 * to the configured default), so that a site served on another port without GONGKAI_BASE_URL links to itself.
 */
export function publicBaseUrl(app: Pick<App, 'config'>, req: { protocol: string; host: string }): string {
  if (app.config.baseUrlSet) return app.config.baseUrl;
  return HOST.test(req.host) ? `${req.protocol}://${req.host}` : app.config.baseUrl;
}
