/**
 * `gongkai search optimize`: tidy the search index after a bulk import (SQLite: FTS5 merges its segments into
 * one; PostgreSQL: planner statistics). Optional and safe while the server runs: answers do not change.
 */
import { optimizeSearchIndex } from '../../modules/search/search.service.js';
import { parse, UsageError } from '../args.js';
import { withCtx } from './context.js';

export async function searchCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'optimize') throw new UsageError(sub ? `未知子命令“${sub}”` : '缺少子命令 optimize');
  parse(rest, {});
  const started = Date.now();
  await withCtx((ctx) => optimizeSearchIndex(ctx));
  console.log(`检索索引已整理，用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒。`);
  return 0;
}
