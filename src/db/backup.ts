/**
 * Consistent online backups. SQLite: `VACUUM INTO` writes a transactionally consistent copy while the
 * server keeps running. PostgreSQL: pg_dump (custom format) and pg_restore, the documented path.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import type { DatabaseConfig } from '../config.js';
import type { Store } from './database.js';

export async function backupSqlite(store: Store, file: string): Promise<void> {
  if (existsSync(file)) throw new Error(`备份文件 ${file} 已存在，请指定新的文件名`);
  mkdirSync(dirname(file), { recursive: true });
  await sql`vacuum into ${sql.lit(file)}`.execute(store.db);
}

/** Check a SQLite backup before it replaces anything: integrity and the tables gongkai needs. */
export function checkSqliteBackup(file: string): string | null {
  if (!existsSync(file)) return `备份文件 ${file} 不存在`;
  let db: SQLite.Database | undefined;
  try {
    db = new SQLite(file, { readonly: true, fileMustExist: true });
    const r = db.pragma('integrity_check', { simple: true });
    if (r !== 'ok') return `备份文件未通过完整性检查：${String(r)}`;
    const t = db.prepare("select count(*) n from sqlite_master where type='table' and name in ('audit_log','audit_head','agencies')").get() as { n: number };
    if (t.n !== 3) return '该文件不是 gongkai 的备份（缺少必要的数据表）';
    return null;
  } catch (e) {
    return `无法读取备份文件：${(e as Error).message}`;
  } finally {
    db?.close();
  }
}

/** Put a checked SQLite backup in place of the database file (the server must be stopped). */
export function restoreSqlite(backup: string, target: string): void {
  const problem = checkSqliteBackup(backup);
  if (problem) throw new Error(problem);
  mkdirSync(dirname(target), { recursive: true });
  const tmp = `${target}.restoring`;
  copyFileSync(backup, tmp);
  for (const ext of ['-wal', '-shm']) rmSync(`${target}${ext}`, { force: true });
  renameSync(tmp, target);
}

function pgEnv(config: Extract<DatabaseConfig, { engine: 'postgres' }>) {
  return { ...process.env, ...(config.schema ? { PGOPTIONS: `-c search_path=${config.schema}` } : {}) };
}

export function backupPostgres(config: Extract<DatabaseConfig, { engine: 'postgres' }>, file: string): void {
  if (existsSync(file)) throw new Error(`备份文件 ${file} 已存在，请指定新的文件名`);
  const args = ['--format=custom', '--no-owner', `--file=${file}`, ...(config.schema ? [`--schema=${config.schema}`] : []), config.url];
  const r = spawnSync('pg_dump', args, { encoding: 'utf8', env: pgEnv(config) });
  if (r.error) throw new Error(`无法运行 pg_dump（请安装 PostgreSQL 客户端工具）：${r.error.message}`);
  if (r.status !== 0) throw new Error(`pg_dump 失败：${r.stderr.trim()}`);
}

export function restorePostgres(config: Extract<DatabaseConfig, { engine: 'postgres' }>, file: string): void {
  if (!existsSync(file)) throw new Error(`备份文件 ${file} 不存在`);
  const args = ['--no-owner', '--clean', '--if-exists', '--exit-on-error', `--dbname=${config.url}`, file];
  const r = spawnSync('pg_restore', args, { encoding: 'utf8', env: pgEnv(config) });
  if (r.error) throw new Error(`无法运行 pg_restore（请安装 PostgreSQL 客户端工具）：${r.error.message}`);
  if (r.status !== 0) throw new Error(`pg_restore 失败：${r.stderr.trim()}`);
}
