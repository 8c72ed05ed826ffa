/**
 * What several `gongkai serve` processes must share to act as one site, behind one small interface:
 * rate-limit counters and one-time tokens (a challenge answered once). Two implementations: in this
 * process's memory (one process, the default) and Redis (REDIS_URL: any number of processes).
 *
 * What is NOT here, and why: sessions and login failures are rows in the database (every process reads
 * them on every request, so a revoked session is refused everywhere at once); the page cache's
 * invalidation travels with the database's own commit (PostgreSQL NOTIFY, src/db/notify.ts), so a process
 * never hears of a change before it is visible to its reads.
 *
 * Redis unreachable: the Redis implementation answers from its in-memory twin (limits and one-time tokens
 * then hold per process), says so once in the log, and goes back to Redis when it answers again.
 */

export interface HitCount {
  /** Hits in the current window, this one included. */
  count: number;
  /** Milliseconds until the window ends. */
  ttlMs: number;
}

export interface SharedState {
  readonly kind: 'memory' | 'redis';
  /** Counts one hit of `key` in a fixed window of `windowMs` that starts with the key's first hit. */
  hit(key: string, windowMs: number): Promise<HitCount>;
  /**
   * Claims `key` for `value` for `ttlMs`: null when this call claimed it, else the value it was claimed
   * with first (the caller decides whether the same value may come again).
   */
  claim(key: string, value: string, ttlMs: number): Promise<string | null>;
  /** True while the shared store answers (always true in memory). */
  healthy(): boolean;
  close(): Promise<void>;
}

/** The log lines the shared state writes (pino's shape: object first). */
export interface SharedStateLog {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}
