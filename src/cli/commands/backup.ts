import { resolve } from 'node:path';
import { loadConfig } from '../../config.js';
import { backupPostgres, backupSqlite, restorePostgres, restoreSqlite } from '../../db/backup.js';
import { createStore } from '../../db/database.js';
import { openStore } from '../../db/open.js';
import { verifyAuditChain } from '../../modules/audit-log/audit-log.service.js';
import { parse, UsageError } from '../args.js';

export async function backupCommand(argv: string[]): Promise<number> {
  const { positionals } = parse(argv, {}, true);
  const file = positionals[0];
  if (!file) throw new UsageError('缺少备份文件名');
  const config = loadConfig();
  const target = resolve(file);
  if (config.database.engine === 'postgres') {
    backupPostgres(config.database, target);
  } else {
    const store = await openStore(config.database);
    try {
      await backupSqlite(store, target);
    } finally {
      await store.close();
    }
  }
  console.log(`已备份到 ${target}`);
  return 0;
}

export async function restoreCommand(argv: string[]): Promise<number> {
  const { positionals } = parse(argv, {}, true);
  const file = positionals[0];
  if (!file) throw new UsageError('缺少备份文件名');
  const config = loadConfig();
  const source = resolve(file);
  if (config.database.engine === 'postgres') restorePostgres(config.database, source);
  else restoreSqlite(source, config.database.file);
  // Verify what was restored: the schema is current and the audit chain holds.
  const store = createStore(config.database);
  try {
    const r = await verifyAuditChain(store.db);
    if (!r.ok) {
      console.error(`已恢复，但审计日志校验失败：${r.firstBad!.problem}`);
      return 1;
    }
    console.log(`已从 ${source} 恢复；审计日志 ${r.entries} 条，哈希链校验通过。请重新启动服务。`);
  } finally {
    await store.close();
  }
  return 0;
}
