/** The shared state a process uses: Redis when REDIS_URL is set, else this process's memory. */
import { MemorySharedState } from './memory.js';
import { RedisSharedState } from './redis.js';
import type { SharedState, SharedStateLog } from './shared-state.js';

export async function openSharedState(o: { redisUrl?: string; prefix: string; log: SharedStateLog }): Promise<SharedState> {
  if (!o.redisUrl) return new MemorySharedState();
  const s = new RedisSharedState({ url: o.redisUrl, prefix: o.prefix, log: o.log });
  // Not reachable at start: the process starts anyway (per-process limits, said in the log) and joins
  // the others when Redis answers.
  await s.ready().catch(() => {});
  return s;
}
