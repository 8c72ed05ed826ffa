/**
 * The gongkai command. Each subcommand is a function (argv) → exit code, loaded on demand. Every command
 * takes the database from DATABASE_URL, else GONGKAI_DB, else ./data/gongkai.db.
 */
import { ConfigError } from '../config.js';
import { AppError } from '../errors.js';
import { UsageError } from './args.js';

type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, { load: () => Promise<Command>; help: string }> = {
  serve: { load: async () => (await import('./commands/serve.js')).serveCommand, help: 'serve [--port N]  启动门户、工作台和 API' },
  migrate: { load: async () => (await import('./commands/serve.js')).migrateCommand, help: 'migrate  执行数据库迁移' },
  agency: { load: async () => (await import('./commands/agency.js')).agencyCommand, help: 'agency add --code CODE --name NAME [--parent CODE] [--kind government|department|township] [--abbr 机关代字] [--reconsideration 行政复议机关] | agency list [--json]' },
  user: { load: async () => (await import('./commands/user.js')).userCommand, help: 'user add --agency CODE --username U --role ROLE [--password-stdin] | user password --username U | user revoke-sessions --username U' },
  token: { load: async () => (await import('./commands/user.js')).tokenCommand, help: 'token create --username U [--name 名称]  打印新的 API 令牌' },
  audit: { load: async () => (await import('./commands/audit.js')).auditCommand, help: 'audit verify  校验审计日志哈希链' },
  calendar: { load: async () => (await import('./commands/calendar.js')).calendarCommand, help: 'calendar due YYYY-MM-DD [--days N] | calendar load FILE  节假日与工作日计算' },
  check: { load: async () => (await import('./commands/check.js')).checkCommand, help: 'check FILE… [--previous FILE] [--json]  审核已发布的年度报告' },
  report: { load: async () => (await import('./commands/report.js')).reportCommand, help: 'report --agency CODE --year YYYY --format json|html|docx|pdf|xlsx [-o FILE]' },
  demo: { load: async () => (await import('./commands/demo.js')).demoCommand, help: 'demo  载入演示城市（哈尔滨市）' },
  backup: { load: async () => (await import('./commands/backup.js')).backupCommand, help: 'backup FILE  在线备份数据库（SQLite：一致性副本；PostgreSQL：pg_dump）' },
  restore: { load: async () => (await import('./commands/backup.js')).restoreCommand, help: 'restore FILE  从备份恢复（先停止服务）' },
  search: { load: async () => (await import('./commands/search.js')).searchCommand, help: 'search optimize|reindex  整理全文检索索引（批量导入之后）；将年度报告、公开指南和旧附件的文字编入检索' },
  reminders: { load: async () => (await import('./commands/reminders.js')).remindersCommand, help: 'reminders run [--at 时间]  发送答复期限提醒和每日汇总（每条只发一次）' },
  import: { load: async () => (await import('./commands/import.js')).importCommand, help: 'import items --agency CODE FILE  导入主动公开信息（JSON Lines 或 CSV）' },
};

function usage(): string {
  return ['用法：gongkai <命令> [选项]', '', ...Object.values(COMMANDS).map((c) => `  gongkai ${c.help}`)].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    console.error(`未知命令“${name}”。\n\n${usage()}`);
    return 2;
  }
  try {
    const run = await cmd.load();
    return await run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`错误：${e.message}\n用法：gongkai ${cmd.help}`);
      return 2;
    }
    if (e instanceof ConfigError || e instanceof AppError) {
      console.error(`错误：${e.message}`);
      return 1;
    }
    const err = e as Error & { code?: string };
    if (err.code === 'ECONNREFUSED' || err.code === 'ENOTFOUND' || /connect|password authentication|does not exist/i.test(err.message ?? '')) {
      console.error(`错误：无法连接数据库：${err.message}`);
      return 1;
    }
    console.error(`错误：${err.message ?? String(e)}`);
    return 1;
  }
}
