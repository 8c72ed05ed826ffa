/**
 * `gongkai check FILE… [--previous FILE] [--json] [--csv FILE] [--findings-csv FILE]`: audits published annual
 * reports (text, HTML, PDF with a text layer, DOCX). A FILE may be a folder (its reports, recursively) or a
 * .zip archive (its report entries). Prints the Audit JSON (../shared/spec/contract.md) with --json, a
 * readable Chinese report otherwise; --csv writes the summary (one row per report), --findings-csv one row per
 * finding. Without --previous, reports of one agency for consecutive years in the batch (a folder of years) are
 * each checked against the year before. Progress goes to stderr when there are more than 5 documents. Exits 1 when any report has an
 * error, 2 on bad usage or an input that cannot be taken, 0 otherwise. Needs no database.
 */
import { existsSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { auditFile, formatAuditText } from '../../reportcheck/index.js';
import { BatchInputError, auditBatch, expandInputs, findingsCsv, summaryCsv, type BatchDocument } from '../../reportcheck/batch.js';

const USAGE = '用法：gongkai check FILE… [--previous FILE] [--json] [--csv FILE] [--findings-csv FILE]';

/** Progress is shown from this many documents on. */
const PROGRESS_FROM = 6;

export async function checkCommand(argv: string[]): Promise<number> {
  let values: { previous?: string; json?: boolean; csv?: string; 'findings-csv'?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: {
        previous: { type: 'string' },
        json: { type: 'boolean' },
        csv: { type: 'string' },
        'findings-csv': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    }));
  } catch (e) {
    const msg = (e as Error).message
      .replace(/^Unknown option '(.+?)'.*$/s, '未知选项 $1')
      .replace(/^Option '(.+?)' argument missing.*$/s, '选项 $1 缺少取值');
    console.error(`错误：${msg}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(
      `${USAGE}\n  审核已发布的政府信息公开工作年度报告（txt、html、pdf、docx）。FILE 可以是文件夹（含子文件夹）或 .zip 压缩包。\n` +
        '  --previous FILE       上一年度的报告，用于核对上年结转、现行有效件数\n' +
        '                        （不给出时，同一机关相邻年度的报告在同一批中互相核对，如一个按年份存放的文件夹）\n' +
        '  --json                按接口约定输出 JSON\n' +
        '  --csv FILE            将汇总表（每份报告一行）写入 CSV 文件（UTF-8，Excel 可直接打开）\n' +
        '  --findings-csv FILE   将全部问题（每个问题一行）写入 CSV 文件',
    );
    return 0;
  }
  if (positionals.length === 0) {
    console.error(`错误：缺少要审核的文件\n${USAGE}`);
    return 2;
  }
  for (const f of positionals) {
    if (!existsSync(f) || !(statSync(f).isFile() || statSync(f).isDirectory())) {
      console.error(`错误：文件不存在或不是普通文件、文件夹：${f}\n${USAGE}`);
      return 2;
    }
  }
  if (values.previous && (!existsSync(values.previous) || !statSync(values.previous).isFile())) {
    console.error(`错误：文件不存在或不是普通文件：${values.previous}\n${USAGE}`);
    return 2;
  }
  let docs: BatchDocument[];
  try {
    docs = await expandInputs(positionals);
  } catch (e) {
    if (!(e instanceof BatchInputError)) throw e;
    console.error(`错误：${e.message}`);
    return 2;
  }
  const previous = values.previous ? await auditFile(values.previous) : null;
  const progress = docs.length >= PROGRESS_FROM ? progressReporter() : undefined;
  const result = await auditBatch(docs, { previous, onProgress: progress?.step });
  progress?.end();
  if (values.csv) await writeFile(values.csv, summaryCsv(result));
  if (values['findings-csv']) await writeFile(values['findings-csv'], findingsCsv(result));
  if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(formatAuditText(result));
  return result.reports.some((r) => r.findings.some((f) => f.severity === 'error')) ? 1 : 0;
}

/** On a terminal one line rewritten in place; otherwise (a log, a pipe) one line per document. */
function progressReporter(): { step: (done: number, total: number, file: string) => void; end: () => void } {
  const tty = process.stderr.isTTY === true;
  return {
    step(done, total, file) {
      const line = `已审核 ${done} / ${total}：${file}`;
      if (tty) process.stderr.write(`\r\x1b[2K${line.length > 120 ? `${line.slice(0, 117)}…` : line}`);
      else process.stderr.write(`${line}\n`);
    },
    end() {
      if (tty) process.stderr.write('\n');
    },
  };
}
