import { loadConfig } from '../../config.js';
import { openStore } from '../../db/open.js';
import type { Ctx } from '../../modules/context.js';

/** Open the configured store for a command, run `fn`, and close it. */
export async function withCtx<T>(fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const store = await openStore(config.database);
  try {
    return await fn({ db: store.db, engine: store.engine, now: () => new Date() });
  } finally {
    await store.close();
  }
}
