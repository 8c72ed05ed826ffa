/**
 * Migrations: frozen, timestamped files in ./migrations, each exporting `up(db, engine)`. Run at start and
 * by `gongkai migrate`. A migration file once landed is never edited; a change is a new file.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { Migrator, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Engine } from './database.js';

const folder = fileURLToPath(new URL('./migrations', import.meta.url));

export type MigrationUp = (db: Kysely<any>, engine: Engine) => Promise<void>;

class FolderProvider implements MigrationProvider {
  constructor(private readonly engine: Engine) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    const files = readdirSync(folder)
      .filter((f) => /^\d{14}_[a-z0-9_]+\.(ts|js)$/.test(f))
      .sort();
    for (const f of files) {
      const mod = (await import(pathToFileURL(join(folder, f)).href)) as { up: MigrationUp };
      out[f.replace(/\.(ts|js)$/, '')] = { up: (db) => mod.up(db, this.engine) };
    }
    return out;
  }
}

/**
 * On PostgreSQL the migration tables live in the schema the store uses (`schema`, default public): Kysely
 * would otherwise find another schema's lock table in the same database and skip creating its own.
 */
export async function migrateToLatest(db: Kysely<any>, engine: Engine, schema?: string): Promise<string[]> {
  // Kysely's migrator looks its tables up by introspecting every schema of the database. On PostgreSQL a
  // schema dropped by another session at that moment makes the catalog query fail although nothing of ours
  // is missing: try again a few times.
  for (let attempt = 1; ; attempt++) {
    try {
      return await migrateOnce(db, engine, schema);
    } catch (e) {
      const code = (e as { code?: string; cause?: { code?: string } }).code ?? (e as { cause?: { code?: string } }).cause?.code;
      // 42P01 undefined table, 3F000 undefined schema, 42703 undefined column, XX000 "cache lookup failed": all seen
      // from the catalog race (42703 when a table of another schema is dropped while Kysely lists the columns).
      if (engine !== 'postgres' || !['42P01', '3F000', '42703', 'XX000'].includes(code ?? '') || attempt >= 5) throw e;
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
}

async function migrateOnce(db: Kysely<any>, engine: Engine, schema?: string): Promise<string[]> {
  const pgSchema = engine === 'postgres' ? (schema ?? 'public') : undefined;
  const migrator = new Migrator({
    db,
    provider: new FolderProvider(engine),
    // Work lands from parallel branches: a migration named before one a database already ran (each branch
    // timestamps its own) is run, not refused as "corrupted". Every migration is written to stand on its own.
    allowUnorderedMigrations: true,
    ...(pgSchema ? { migrationTableSchema: pgSchema, migrationLockTableSchema: pgSchema } : {}),
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const err = result.error instanceof Error ? result.error : new Error(String(result.error));
    if (!failed) throw err; // not a migration of ours: the caller decides (and may retry)
    err.message = `数据库迁移失败（${failed.migrationName}）：${err.message}`;
    throw err;
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
