/**
 * @fastify/rate-limit's store over the shared state (src/shared-state): with Redis, a client's count on a
 * route is one count across every process of the site; in memory, this process's. The key names the
 * route (method and URL pattern) and the client's key (its address).
 */
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { SharedState } from '../../shared-state/shared-state.js';

export function sharedRateLimitStore(shared: SharedState): FastifyRateLimitStoreCtor {
  class SharedStore {
    constructor(readonly prefix = 'rl:') {}
    incr(key: string, cb: (err: Error | null, res?: { current: number; ttl: number }) => void, timeWindow?: number): void {
      shared.hit(this.prefix + key, timeWindow ?? 60_000).then(
        (r) => cb(null, { current: r.count, ttl: r.ttlMs }),
        (err: Error) => cb(err),
      );
    }
    // (The plugin passes the route's merged limit options, with `routeInfo` the route.)
    child(routeOptions: { routeInfo?: { method?: string | string[]; url?: string } }): FastifyRateLimitStore {
      const m = routeOptions.routeInfo?.method;
      return new SharedStore(`${this.prefix}${Array.isArray(m) ? m.join(',') : (m ?? '')}${routeOptions.routeInfo?.url ?? ''}:`) as unknown as FastifyRateLimitStore;
    }
  }
  return SharedStore as unknown as FastifyRateLimitStoreCtor;
}
