/**
 * The shared state of several processes, in Redis (ioredis). Every key carries `prefix` (the installation's,
 * so two sites or two test schemas on one Redis never meet). A command never waits for a lost connection:
 * the offline queue is off and commands time out after `commandTimeoutMs`; while Redis does not answer,
 * the in-memory twin answers (per-process limits and one-time tokens), said once in the log, and Redis is
 * used again as soon as it is back.
 */
import { Redis } from 'ioredis';
import { MemorySharedState } from './memory.js';
import type { HitCount, SharedState, SharedStateLog } from './shared-state.js';

// INCR, the window starting at the first hit; the count and the window's remaining milliseconds.
const HIT = `local c = redis.call('INCR', KEYS[1])
if c == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local t = redis.call('PTTL', KEYS[1])
if t < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); t = tonumber(ARGV[1]) end
return {c, t}`;
// The value already there, or false after setting ours.
const CLAIM = `local v = redis.call('GET', KEYS[1])
if v then return v end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false`;

type Scripted = Redis & {
  gkHit(key: string, windowMs: number): Promise<[number, number]>;
  gkClaim(key: string, value: string, ttlMs: number): Promise<string | null>;
};

export interface RedisSharedStateOptions {
  url: string;
  prefix: string;
  log: SharedStateLog;
  commandTimeoutMs?: number;
}

export class RedisSharedState implements SharedState {
  readonly kind = 'redis' as const;
  readonly #redis: Scripted;
  readonly #local = new MemorySharedState();
  readonly #prefix: string;
  readonly #log: SharedStateLog;
  #degraded = false;

  constructor(o: RedisSharedStateOptions) {
    this.#prefix = o.prefix;
    this.#log = o.log;
    this.#redis = new Redis(o.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: o.commandTimeoutMs ?? 500,
      connectTimeout: 2000,
      retryStrategy: (times) => Math.min(250 * times, 2000),
      lazyConnect: false,
    }) as Scripted;
    this.#redis.defineCommand('gkHit', { numberOfKeys: 1, lua: HIT });
    this.#redis.defineCommand('gkClaim', { numberOfKeys: 1, lua: CLAIM });
    this.#redis.on('error', (err) => this.#down(err));
    this.#redis.on('end', () => this.#down(new Error('connection ended')));
    this.#redis.on('ready', () => {
      if (this.#degraded) this.#log.info({ sharedState: 'redis' }, '共享状态（Redis）已恢复：频率限制与一次性令牌重新在各进程间共享');
      this.#degraded = false;
    });
  }

  /** Resolves once connected (or rejects after `timeoutMs`): `serve` waits for it at start. */
  async ready(timeoutMs = 3000): Promise<void> {
    if (this.#redis.status === 'ready') return;
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('Redis did not answer')), timeoutMs);
      this.#redis.once('ready', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  #down(err: unknown): void {
    if (this.#degraded) return;
    this.#degraded = true;
    this.#log.warn(
      { sharedState: 'redis', err: err instanceof Error ? err.message : String(err) },
      '共享状态（Redis）不可用：频率限制与一次性令牌暂时只在本进程内生效，站点照常服务',
    );
  }

  healthy(): boolean {
    return !this.#degraded && this.#redis.status === 'ready';
  }

  async hit(key: string, windowMs: number): Promise<HitCount> {
    if (this.#redis.status === 'ready') {
      try {
        const [count, ttlMs] = await this.#redis.gkHit(this.#prefix + 'hit:' + key, windowMs);
        return { count: Number(count), ttlMs: Number(ttlMs) };
      } catch (err) {
        this.#down(err);
      }
    } else this.#down(new Error(`status ${this.#redis.status}`));
    return this.#local.hitSync(key, windowMs);
  }

  async claim(key: string, value: string, ttlMs: number): Promise<string | null> {
    if (this.#redis.status === 'ready') {
      try {
        return (await this.#redis.gkClaim(this.#prefix + 'once:' + key, value, ttlMs)) ?? null;
      } catch (err) {
        this.#down(err);
      }
    } else this.#down(new Error(`status ${this.#redis.status}`));
    return this.#local.claimSync(key, value, ttlMs);
  }

  async close(): Promise<void> {
    this.#redis.removeAllListeners('error');
    this.#redis.on('error', () => {});
    this.#redis.disconnect();
  }
}
