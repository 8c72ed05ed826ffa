/**
 * `gongkai search optimize`: merge every posting list of the search index into one run (after a bulk import,
 * searches read one sorted list per word instead of several). The server does the same in the background for
 * lists that publications have split; this runs it to the end now, with progress on stderr. Safe while the
 * server runs: answers do not change, and each transaction is short.
 */
import { optimizeSearchIndex } from '../../modules/search/search.service.js';
import { parse, UsageError } from '../args.js';
import { withCtx } from './context.js';

export async function searchCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'optimize') throw new UsageError(sub ? `未知子命令“${sub}”` : '缺少子命令 optimize');
  parse(rest, {});
  const started = Date.now();
  const r = await withCtx((ctx) =>
    optimizeSearchIndex(ctx, {
      onProgress: (done, total) => {
        if (process.stderr.isTTY) process.stderr.write(`\r整理检索索引：${Math.floor((100 * done) / Math.max(1, total))}%（${done.toLocaleString('zh-CN')} / ${total.toLocaleString('zh-CN')} 条倒排记录）`);
      },
    }),
  );
  if (process.stderr.isTTY) process.stderr.write('\n');
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  console.log(r.lists ? `检索索引已整理：合并 ${r.lists.toLocaleString('zh-CN')} 个词项的倒排表，共 ${r.postings.toLocaleString('zh-CN')} 条记录，用时 ${secs} 秒。` : '检索索引无需整理。');
  return 0;
}
