/** The shared state of one process: plain maps, bounded, with expiry. */
import type { HitCount, SharedState } from './shared-state.js';

const MAX_KEYS = 100_000;

export class MemorySharedState implements SharedState {
  readonly kind = 'memory' as const;
  readonly #hits = new Map<string, { count: number; until: number }>();
  readonly #claims = new Map<string, { value: string; until: number }>();

  constructor(private readonly clock: () => number = Date.now) {}

  hitSync(key: string, windowMs: number): HitCount {
    const now = this.clock();
    let e = this.#hits.get(key);
    if (!e || e.until <= now) {
      this.#hits.delete(key);
      e = { count: 0, until: now + windowMs };
      this.#hits.set(key, e);
      trim(this.#hits, now);
    }
    e.count++;
    return { count: e.count, ttlMs: e.until - now };
  }

  claimSync(key: string, value: string, ttlMs: number): string | null {
    const now = this.clock();
    const e = this.#claims.get(key);
    if (e && e.until > now) return e.value;
    this.#claims.delete(key);
    this.#claims.set(key, { value, until: now + ttlMs });
    trim(this.#claims, now);
    return null;
  }

  async hit(key: string, windowMs: number): Promise<HitCount> {
    return this.hitSync(key, windowMs);
  }

  async claim(key: string, value: string, ttlMs: number): Promise<string | null> {
    return this.claimSync(key, value, ttlMs);
  }

  healthy(): boolean {
    return true;
  }

  async close(): Promise<void> {
    this.#hits.clear();
    this.#claims.clear();
  }
}

/** Drops expired entries from the oldest end, and the oldest beyond MAX_KEYS. */
function trim(m: Map<string, { until: number }>, now: number): void {
  for (const [k, e] of m) {
    if (e.until > now && m.size <= MAX_KEYS) break;
    m.delete(k);
  }
}
