/**
 * `gongkai search optimize`: tidy the search index after a bulk import (SQLite: FTS5 merges its segments into
 * one; PostgreSQL: planner statistics). Optional and safe while the server runs: answers do not change.
 * `gongkai search reindex`: index every published annual report and every agency's guide, and read the text of
 * attachments uploaded before the search read attachments (published items holding them are indexed again).
 * Safe to run again: what is unchanged is not rewritten, a file is read once.
 */
import { loadConfig } from '../../config.js';
import { readMissingAttachmentTexts } from '../../modules/disclosure/attachments.service.js';
import { indexGuides } from '../../modules/portal/guide.service.js';
import { indexPublishedReports } from '../../modules/reports/reports.service.js';
import { optimizeSearchIndex } from '../../modules/search/search.service.js';
import { parse, UsageError } from '../args.js';
import { withCtx } from './context.js';

export async function searchCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'reindex') {
    parse(rest, {});
    const dataDir = loadConfig().dataDir;
    const r = await withCtx(async (ctx) => ({ reports: await indexPublishedReports(ctx), guides: await indexGuides(ctx), attachments: await readMissingAttachmentTexts(ctx, dataDir) }));
    console.log(`已编入检索：年度报告 ${r.reports} 份，公开指南 ${r.guides} 份；读取附件文字 ${r.attachments.files} 个，重新编入 ${r.attachments.items} 条公开信息。`);
    return 0;
  }
  if (sub !== 'optimize') throw new UsageError(sub ? `未知子命令“${sub}”` : '缺少子命令 optimize 或 reindex');
  parse(rest, {});
  const started = Date.now();
  await withCtx((ctx) => optimizeSearchIndex(ctx));
  console.log(`检索索引已整理，用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒。`);
  return 0;
}
