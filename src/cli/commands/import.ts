/**
 * gongkai import items --agency CODE FILE — an agency's existing catalogue, from JSON lines or CSV (by the
 * extension, else by the content). Prints how many landed and each rejected line with its reason; exits 1
 * if any line was rejected. Progress on stderr when stderr is a terminal or the file has over 1000 lines.
 */
import { createReadStream, existsSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { Transform } from 'node:stream';
import { csvRows, importItems, jsonLines } from '../../modules/disclosure/import.service.js';
import { parse, required, UsageError } from '../args.js';
import { withCtx } from './context.js';

function looksLikeJson(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(64);
    const n = readSync(fd, buf, 0, 64, 0);
    return buf.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '').trimStart().startsWith('{');
  } finally {
    closeSync(fd);
  }
}

export async function importCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'items') throw new UsageError(sub ? `未知子命令“${sub}”（应为 items）` : '缺少子命令 items');
  const { values, positionals } = parse(rest, { agency: { type: 'string' }, format: { type: 'string' } }, true);
  const agency = required(values.agency, 'agency');
  const file = positionals[0];
  if (!file) throw new UsageError('缺少要导入的文件');
  if (positionals.length > 1) throw new UsageError(`多余的参数 ${positionals[1]}`);
  if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`文件不存在：${file}`);
  const ext = extname(file).toLowerCase();
  const format = values.format ?? (ext === '.csv' ? 'csv' : ext === '.jsonl' || ext === '.ndjson' || ext === '.json' ? 'jsonl' : looksLikeJson(file) ? 'jsonl' : 'csv');
  if (format !== 'csv' && format !== 'jsonl') throw new UsageError(`--format 应为 csv 或 jsonl：“${format}”`);

  const total = statSync(file).size;
  let bytes = 0;
  // Opened once the store is open (a stream left flowing meanwhile would lose its data); counts bytes read.
  const open = () =>
    createReadStream(file, { highWaterMark: 1 << 20 }).pipe(
      new Transform({
        transform(chunk: Buffer, _enc, done) {
          bytes += chunk.length;
          done(null, chunk);
        },
      }),
    );
  const tty = process.stderr.isTTY === true;
  let lastShown = -1;
  const started = Date.now();
  const progress = (seen: number, imported: number, done = false) => {
    if (!tty && seen <= 1000) return;
    const pct = total ? Math.min(100, Math.floor((bytes / total) * 100)) : 100;
    if (tty) {
      const width = 30;
      const filled = Math.round((pct / 100) * width);
      const rate = Math.round(imported / Math.max(0.001, (Date.now() - started) / 1000));
      process.stderr.write(`\r导入进度 [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(pct).padStart(3)}%  已读 ${seen} 行，已导入 ${imported} 条（${rate} 条/秒）${done ? '\n' : ''}`);
    } else if (done || Math.floor(pct / 10) > Math.floor(lastShown / 10)) {
      process.stderr.write(`导入进度 ${pct}%：已读 ${seen} 行，已导入 ${imported} 条\n`);
      lastShown = pct;
    }
  };

  const result = await withCtx((ctx) =>
    importItems(ctx, { system: 'cli' }, agency, format === 'csv' ? csvRows(open()) : jsonLines(open()), {
      file: basename(file),
      onProgress: (seen, imported) => progress(seen, imported),
    }),
  );
  if (tty || result.imported + result.rejected.length > 1000) progress(result.imported + result.rejected.length, result.imported, true);

  console.log(`已导入 ${result.imported} 条主动公开信息（机构 ${agency}，文件 ${basename(file)}）`);
  if (result.categoriesCreated.length) console.log(`新建目录栏目：${result.categoriesCreated.join('、')}`);
  if (result.rejected.length) {
    console.log(`未导入 ${result.rejected.length} 行：`);
    for (const r of result.rejected) console.log(`  第 ${r.line} 行：${r.reason}`);
    return 1;
  }
  return 0;
}
