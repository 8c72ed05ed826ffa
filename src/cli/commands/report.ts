/**
 * `gongkai report --agency CODE --year YYYY --format json|html|docx|pdf|xlsx [-o FILE] [--rollup]
 *  [--reviews filed|activity] [--published]`: the annual report computed from the records (nothing is saved).
 * The prose and the units summed are the agency's working copy's when one exists, else the draft stated from
 * the records and the agency alone (`--rollup`: every unit below). Without
 * -o the output goes to standard output (binary formats too). `--published` prints the report as published.
 * The error findings (broken records, prose to complete) are in `findings` and counted on standard error; the
 * exit code is 0 whenever the report was written.
 */
import { writeFileSync } from 'node:fs';
import { getAgency } from '../../modules/agencies/agencies.service.js';
import {
  REPORT_FORMATS,
  chineseDateLine,
  computeAnnualReport,
  getPublished,
  reportPreface,
  renderReport,
  savedOptions,
  type ReportOutputFormat,
} from '../../modules/reports/reports.service.js';
import { parse, required, UsageError } from '../args.js';
import { withCtx } from './context.js';

const sameScope = (a: string[], b: string[]) => a.length === b.length && a.every((c) => b.includes(c));

export async function reportCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    agency: { type: 'string' },
    year: { type: 'string' },
    format: { type: 'string' },
    o: { type: 'string', short: 'o' },
    output: { type: 'string' },
    rollup: { type: 'boolean' },
    reviews: { type: 'string' },
    published: { type: 'boolean' },
  });
  const code = required(values.agency, 'agency');
  const yearText = required(values.year, 'year');
  if (!/^\d{4}$/.test(yearText)) throw new UsageError(`年度“${yearText}”应为四位数字`);
  const year = Number(yearText);
  const format = (values.format ?? 'json') as ReportOutputFormat;
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`格式“${format}”不支持：应为 json、html、docx、pdf 或 xlsx`);
  const reviews = values.reviews ?? 'filed';
  if (reviews !== 'filed' && reviews !== 'activity') throw new UsageError(`--reviews 应为 filed 或 activity`);
  const out = values.o ?? values.output;

  const { buffer, errors } = await withCtx(async (ctx) => {
    const agency = await getAgency(ctx, code);
    if (values.published) {
      const { report } = await getPublished(ctx, code, year);
      const buffer = await renderReport(report, format, { preface: reportPreface(agency, year), dateLine: chineseDateLine(report.publishedOn), rollup: (report.scope?.length ?? 0) > 1 });
      return { buffer, errors: 0 };
    }
    // The working copy's prose and units, if staff started one; --rollup sums every unit below.
    const saved = await savedOptions(ctx, agency, year);
    // The saved prose belongs to the saved scope: a roll-up over another scope is drafted from its own sums.
    const rollup = values.rollup ? true : saved.rollup;
    let built = await computeAnnualReport(ctx, agency, year, { rollup, reviewsReading: reviews, narrative: saved.narrative });
    if (saved.narrative && !sameScope(built.scope, [agency.code, ...(saved.rollup ?? [])]))
      built = await computeAnnualReport(ctx, agency, year, { rollup, reviewsReading: reviews });
    // Not the published report: marked 草稿, with its open findings on the last page.
    const buffer = await renderReport(built.report, format, { preface: reportPreface(agency, year), rollup: built.scope.length > 1, draft: true });
    return { buffer, errors: built.report.findings.filter((f) => f.severity === 'error').length };
  });
  if (out) {
    writeFileSync(out, buffer);
    console.error(`已写入 ${out}（${buffer.length} 字节）${errors ? `；报告有 ${errors} 项错误，请查看 findings` : ''}`);
  } else {
    await new Promise<void>((resolve, reject) => process.stdout.write(buffer, (e) => (e ? reject(e) : resolve())));
    if (errors) console.error(`报告有 ${errors} 项错误，请查看 findings`);
  }
  return 0;
}
