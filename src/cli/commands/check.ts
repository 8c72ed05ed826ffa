/**
 * `gongkai check FILE… [--previous FILE] [--json]`: audits published annual reports (text, HTML, PDF with a
 * text layer, DOCX). Prints the Audit JSON (../shared/spec/contract.md) with --json, a readable Chinese
 * report otherwise. Exits 1 when any report has an error, 2 on bad usage, 0 otherwise. Needs no database.
 */
import { existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkReportFiles, formatAuditText } from '../../reportcheck/index.js';

const USAGE = '用法：gongkai check FILE… [--previous FILE] [--json]';

export async function checkCommand(argv: string[]): Promise<number> {
  let values: { previous?: string; json?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: { previous: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
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
    console.log(`${USAGE}\n  审核已发布的政府信息公开工作年度报告（txt、html、pdf、docx）。\n  --previous FILE  上一年度的报告，用于核对上年结转、现行有效件数\n  --json           按接口约定输出 JSON`);
    return 0;
  }
  if (positionals.length === 0) {
    console.error(`错误：缺少要审核的文件\n${USAGE}`);
    return 2;
  }
  for (const f of [...positionals, ...(values.previous ? [values.previous] : [])]) {
    if (!existsSync(f) || !statSync(f).isFile()) {
      console.error(`错误：文件不存在或不是普通文件：${f}\n${USAGE}`);
      return 2;
    }
  }
  const result = await checkReportFiles(positionals, { previous: values.previous });
  if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(formatAuditText(result));
  return result.reports.some((r) => r.findings.some((f) => f.severity === 'error')) ? 1 : 0;
}
