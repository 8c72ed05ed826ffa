import type { DatabaseConfig } from '../config.js';
import { createStore, type Store } from './database.js';
import { migrateToLatest } from './migrate.js';

/** Open the store and bring its schema up to date (what `serve` and every command do first). */
export async function openStore(config: DatabaseConfig): Promise<Store> {
  const store = createStore(config);
  try {
    await migrateToLatest(store.db, store.engine, config.engine === 'postgres' ? config.schema : undefined);
  } catch (e) {
    await store.close().catch(() => {});
    throw e;
  }
  return store;
}
