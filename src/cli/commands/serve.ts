import { loadConfig } from '../../config.js';
import { openStore } from '../../db/open.js';
import { startServer } from '../../server.js';
import { parse } from '../args.js';

export async function serveCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { port: { type: 'string' } });
  const config = loadConfig();
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      console.error(`错误：--port 必须是 0 到 65535 之间的整数，实际为“${values.port}”`);
      return 2;
    }
  }
  const server = await startServer(config, { port });
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      console.log(`收到 ${signal}，正在完成进行中的请求并关闭……`);
      server.close().then(resolve, (e) => {
        console.error(e);
        resolve();
      });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  return 0;
}

export async function migrateCommand(argv: string[]): Promise<number> {
  parse(argv, {});
  const config = loadConfig();
  const store = await openStore(config.database);
  await store.close();
  console.log('数据库已是最新结构。');
  return 0;
}
