/** config → store → buildApp → listen; graceful shutdown on SIGTERM/SIGINT (in-flight requests finish). */
import type { Config } from './config.js';
import { openStore } from './db/open.js';
import { countUsers } from './modules/accounts/accounts.service.js';
import { warmSearch } from './modules/search/search.service.js';
import { openSharedState } from './shared-state/open.js';
import type { SharedStateLog } from './shared-state/shared-state.js';
import type { App } from './http/types.js';
import { buildApp } from './web/app.js';
import { createQueue } from './db/queue.js';
import { ReadReplica } from './db/replica.js';
import { parseDatabaseUrl } from './config.js';
import { afterStart, defineSiteJobs } from './jobs/site-jobs.js';
import type { Ctx } from './modules/context.js';

/** Private-link keys and tokens in a logged URL are replaced: a log line never carries a credential. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:key|token|_csrf|challenge)=)[^&#]*/gi, '$1[redacted]');
}

/**
 * The server's log: requests by method, redacted URL and address, answers by status — never a body (forms
 * carry applicants' personal data), never a cookie or an authorization header.
 */
export function loggerOptions(level: string) {
  return {
    level,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'], remove: true },
    serializers: {
      req: (req: { method: string; url: string; ip?: string; id?: string }) => ({ id: req.id, method: req.method, url: redactUrl(req.url), remoteAddress: req.ip }),
    },
  };
}

/** Keys in Redis carry the database they belong to: two installations can share one Redis. */
function sharedPrefix(config: Config): string {
  const d = config.database;
  if (d.engine === 'sqlite') return `gongkai:sqlite:${d.file}:`;
  const u = new URL(d.url);
  return `gongkai:${u.host}${u.pathname}:${d.schema ?? 'public'}:`;
}

export async function startServer(config: Config, opts: { port?: number } = {}): Promise<{ close: () => Promise<void>; port: number }> {
  const store = await openStore(config.database);
  // The shared state logs through the app's logger once there is one (Redis may fail before).
  let app: App | undefined;
  const log: SharedStateLog & { error(o: object, m: string): void } = {
    warn: (o, m) => (app ? app.log.warn(o, m) : console.warn(m, JSON.stringify(o))),
    info: (o, m) => (app ? app.log.info(o, m) : console.log(m)),
    error: (o, m) => (app ? app.log.error(o, m) : console.error(m, JSON.stringify(o))),
  };
  const shared = await openSharedState({ redisUrl: config.redisUrl, prefix: sharedPrefix(config), log });
  // The job queue: pg-boss on PostgreSQL (jobs run once across the site's processes), in-process on SQLite.
  const jobCtx: Ctx = { db: store.db, engine: store.engine, now: () => new Date() };
  const jobs = createQueue(config.database, log);
  defineSiteJobs(jobs, jobCtx, { recurring: true });
  // The streaming replica for anonymous portal reads (GONGKAI_READ_URL), its lag measured (src/db/replica.ts).
  let replica: ReadReplica | undefined;
  if (config.readUrl && config.database.engine === 'postgres') {
    const r = parseDatabaseUrl(config.readUrl, 'GONGKAI_READ_URL');
    if (r.engine === 'postgres') {
      replica = new ReadReplica(store.db, { url: r.url, schema: r.schema ?? config.database.schema, poolSize: config.database.poolSize }, config.readMaxLagMs, log);
      await replica.start();
    }
  }
  app = await buildApp({
    config,
    store,
    shared,
    jobs,
    replica,
    logger: loggerOptions(config.logLevel),
  });
  const port = opts.port ?? config.port;
  await jobs.start();
  await afterStart(jobs, jobCtx).catch((err: Error) => log.warn({ err: err.message }, '启动时的后台任务未能排队'));
  await app.listen({ port, host: config.host });
  // the first citizens' searches as fast as the next ones (a connection, the index's statistics, did-you-mean)
  void warmSearch(app.ctx).catch((err: Error) => log.warn({ err: err.message }, '检索预热未完成'));
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const where = config.database.engine === 'sqlite' ? `SQLite ${config.database.file}` : 'PostgreSQL';
  console.log(`gongkai 已启动：http://localhost:${actualPort}/ （门户）  http://localhost:${actualPort}/office （工作台）  数据库：${where}`);
  if ((await countUsers(app.ctx)) === 0) {
    console.log(
      [
        '',
        '尚无任何账号。创建第一个机构和系统管理员：',
        '  npx gongkai agency add --code gov --name "某某市人民政府" --kind government',
        '  npx gongkai user add --agency gov --username admin --role admin --password-stdin',
        '（在提示后输入密码并回车；密码至少 10 位，含字母和数字。）然后访问 /office/login 登录。',
        '想先看看效果：npx gongkai demo 载入哈尔滨市演示数据。',
        '',
      ].join('\n'),
    );
  }
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await app!.close(); // stops accepting, waits for in-flight requests
      await jobs.stop();
      await shared.close();
      await replica?.close();
      await store.close();
    })());
  return { close, port: actualPort };
}
