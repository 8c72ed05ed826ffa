/**
 * The consistency rules of the annual report (条例第50条; 国办公开办函〔2021〕30号 and the 2019 trial format),
 * shared by report generation (run on a built report) and the report audit (run on a report read back from a
 * published file). Pure functions over `AnnualReport<Cell>` returning findings with stable `rule` ids,
 * Chinese messages that quote the numbers, and `where` naming the cell (a dotted path into the report JSON).
 *
 * A blank cell (`null`) is not an error by itself, nor is a "/" cell (`'n/a'`): a sum whose parts or whose
 * total include a blank cell is not checked; a "/" part counts as 0 (nothing to count), a "/" total is not
 * checked.
 *
 * Rules (ids are stable; severities per ../shared/spec/contract.md):
 * - `requests.row-total` (error): in every row of table 三, 总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 +
 *   法律服务机构 + 其他.
 * - `requests.concluded-total` (error): in every column, （七）总计 = the sum of the outcome rows （一）–（六）.
 * - `requests.column-balance` (error): the 勾稽关系 printed in the table, per column: 一 + 二 = （七）总计 + 四
 *   ("第一项加第二项之和，等于第三项加第四项之和").
 * - `reviews.group-total` (error): in each group of table 四, 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结.
 * - `requests.carried-over-continuity` (warning, with last year's report): 二、上年结转 = last year's
 *   四、结转下年度继续办理.
 * - `proactive.in-force-continuity` (warning, with last year's report, 2021 format): 现行有效件数 = last
 *   year's 现行有效件数 + 本年制发件数 − 本年废止件数.
 * - `agency-kind.category` (warning): a category the agency cannot have: 规章 are made only by the State
 *   Council's departments and by provincial and 设区的市 governments (《立法法》第91条、第93条), so a township
 *   (乡、镇、街道) or a county-level agency reporting 规章 is queried.
 */
import { APPLICANT_KIND_LABELS } from './outcomes.js';
import type {
  AnnualReport,
  ApplicantKind,
  Cell,
  Finding,
  RequestRow,
  RequestRowKey,
  ReviewResult,
} from './report-model.js';
import { APPLICANT_KINDS } from './report-model.js';
import {
  REQUEST_COLUMNS,
  REVIEW_GROUPS,
  REVIEW_RESULT_COLUMNS,
  REVIEWS_HEADER,
  ROW_CARRIED_FORWARD,
  ROW_CARRIED_OVER,
  ROW_CONCLUDED_TOTAL,
  ROW_NEW,
  outcomeGroups,
  requestRowLabels,
} from './report-format.js';

type AnyCell = Cell | number;

/** The kind of agency, as `gongkai agency add --kind`; `level` says where it sits when known. */
export interface AgencyProfile {
  kind: 'government' | 'department' | 'township';
  level?: 'province' | 'city' | 'county' | 'township';
}

export interface ReportRuleOptions {
  /** Last year's report, for the cross-year rules. */
  previous?: AnnualReport<AnyCell>;
  /** The agency's kind, for `agency-kind.category`. */
  agency?: AgencyProfile;
}

/** The value of a cell for sums: a number, 0 for "/", undefined for a blank. */
function partValue(c: AnyCell | undefined): number | undefined {
  if (typeof c === 'number') return c;
  if (c === 'n/a') return 0;
  return undefined;
}

function sumParts(cells: AnyCell[]): number | undefined {
  let s = 0;
  for (const c of cells) {
    const v = partValue(c);
    if (v === undefined) return undefined;
    s += v;
  }
  return s;
}

/** Printed numbers: integers as they are, decimals without float noise. */
export function fmtNum(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 1e6) / 1e6);
}

function nearlyEqual(a: number, b: number): boolean {
  return Math.abs(a - b) < 1e-6;
}

export function columnLabel(col: ApplicantKind | 'total'): string {
  return col === 'total' ? '总计' : APPLICANT_KIND_LABELS[col];
}

/** The printed label of a row of table 三, with its group for outcome rows ("（三）不予公开 1.属于国家秘密"). */
export function requestRowLabel(key: RequestRowKey, report?: { format: '2021' | '2019' }): string {
  if (key === 'new') return ROW_NEW;
  if (key === 'carriedOver') return ROW_CARRIED_OVER;
  if (key === 'concludedTotal') return ROW_CONCLUDED_TOTAL;
  if (key === 'carriedForward') return ROW_CARRIED_FORWARD;
  for (const g of outcomeGroups(report?.format ?? '2021')) {
    for (const it of g.items) {
      if (it.key === key) return g.single ? g.label.replace(/（区分处理.*$/, '') : `${g.label}${it.label}`;
    }
  }
  return key;
}

function shortRowLabel(key: RequestRowKey, format: '2021' | '2019'): string {
  if (key === 'new') return '一、本年新收';
  if (key === 'carriedOver') return '二、上年结转';
  if (key === 'carriedForward') return '四、结转下年度';
  return requestRowLabel(key, { format });
}

/** Keys of the outcome rows that the format's table has. */
function outcomeKeys(format: '2021' | '2019'): RequestRowKey[] {
  return outcomeGroups(format).flatMap((g) => g.items.map((i) => i.key));
}

/** requests.row-total: 总计 = the six applicant columns, in every row of table 三. */
export function checkRequestRowTotals(report: AnnualReport<AnyCell>): Finding[] {
  const out: Finding[] = [];
  for (const { key } of requestRowLabels(report.format)) {
    const row = report.requests[key] as RequestRow<AnyCell>;
    if (typeof row.total !== 'number') continue;
    const s = sumParts(APPLICANT_KINDS.map((k) => row[k]));
    if (s === undefined || nearlyEqual(s, row.total)) continue;
    out.push({
      severity: 'error',
      rule: 'requests.row-total',
      message: `${requestRowLabel(key, report)} 总计 ${fmtNum(row.total)} ≠ 各申请人类别之和 ${fmtNum(s)}（${APPLICANT_KINDS.map((k) => `${APPLICANT_KIND_LABELS[k]} ${cellText(row[k])}`).join('，')}）`,
      where: `requests.${key}.total`,
    });
  }
  return out;
}

export function cellText(c: AnyCell | undefined): string {
  if (typeof c === 'number') return fmtNum(c);
  if (c === 'n/a') return '/';
  return '空';
}

/** requests.concluded-total: （七）总计 = the sum of the outcome rows, in every column. */
export function checkConcludedTotal(report: AnnualReport<AnyCell>): Finding[] {
  const out: Finding[] = [];
  const keys = outcomeKeys(report.format);
  for (const col of REQUEST_COLUMNS) {
    const total = report.requests.concludedTotal[col];
    if (typeof total !== 'number') continue;
    const s = sumParts(keys.map((k) => report.requests[k][col]));
    if (s === undefined || nearlyEqual(s, total)) continue;
    out.push({
      severity: 'error',
      rule: 'requests.concluded-total',
      message: `${ROW_CONCLUDED_TOTAL} ${columnLabel(col)} ${fmtNum(total)} ≠ 各项之和 ${fmtNum(s)}`,
      where: `requests.concludedTotal.${col}`,
    });
  }
  return out;
}

/** requests.column-balance: 一 + 二 = （七）总计 + 四, in every column (the 勾稽关系). */
export function checkColumnBalance(report: AnnualReport<AnyCell>): Finding[] {
  const out: Finding[] = [];
  const r = report.requests;
  for (const col of REQUEST_COLUMNS) {
    const a = partValue(r.new[col]);
    const b = partValue(r.carriedOver[col]);
    const c = partValue(r.concludedTotal[col]);
    const d = partValue(r.carriedForward[col]);
    if (a === undefined || b === undefined || c === undefined || d === undefined) continue;
    if (nearlyEqual(a + b, c + d)) continue;
    out.push({
      severity: 'error',
      rule: 'requests.column-balance',
      message: `勾稽关系不成立（${columnLabel(col)}）：一、本年新收 ${fmtNum(a)} + 二、上年结转 ${fmtNum(b)} = ${fmtNum(a + b)}，而（七）总计 ${fmtNum(c)} + 四、结转下年度继续办理 ${fmtNum(d)} = ${fmtNum(c + d)}`,
      where: `requests.concludedTotal.${col}`,
    });
  }
  return out;
}

/** reviews.group-total: 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结, in each group of table 四. */
export function checkReviewGroups(report: AnnualReport<AnyCell>): Finding[] {
  const out: Finding[] = [];
  for (const g of REVIEW_GROUPS) {
    const res = report.reviews[g] as ReviewResult<AnyCell>;
    if (typeof res.total !== 'number') continue;
    const parts = [res.upheld, res.corrected, res.other, res.pending];
    const s = sumParts(parts);
    if (s === undefined || nearlyEqual(s, res.total)) continue;
    const name = g === 'reconsideration' ? REVIEWS_HEADER.reconsideration : `行政诉讼（${REVIEWS_HEADER[g]}）`;
    out.push({
      severity: 'error',
      rule: 'reviews.group-total',
      message: `${name} 总计 ${fmtNum(res.total)} ≠ 各项之和 ${fmtNum(s)}（${REVIEW_RESULT_COLUMNS.slice(0, 4)
        .map((c) => `${c.label} ${cellText(res[c.key])}`)
        .join('，')}）`,
      where: `reviews.${g}.total`,
    });
  }
  return out;
}

/** requests.carried-over-continuity: this year's 二、上年结转 = last year's 四、结转下年度继续办理. */
export function checkCarriedOverContinuity(report: AnnualReport<AnyCell>, previous: AnnualReport<AnyCell>): Finding[] {
  const out: Finding[] = [];
  for (const col of REQUEST_COLUMNS) {
    const now = report.requests.carriedOver[col];
    const before = previous.requests.carriedForward[col];
    if (typeof now !== 'number' || typeof before !== 'number' || nearlyEqual(now, before)) continue;
    out.push({
      severity: 'warning',
      rule: 'requests.carried-over-continuity',
      message: `二、上年结转政府信息公开申请数量 ${columnLabel(col)} ${fmtNum(now)} ≠ ${previous.year}年报告“四、结转下年度继续办理” ${fmtNum(before)}`,
      where: `requests.carriedOver.${col}`,
    });
  }
  return out;
}

/** proactive.in-force-continuity: 现行有效 = last year's 现行有效 + 本年制发 − 本年废止 (both reports in the 2021 format). */
export function checkInForceContinuity(report: AnnualReport<AnyCell>, previous: AnnualReport<AnyCell>): Finding[] {
  const out: Finding[] = [];
  // The 2019 trial format's third column of table 二 is not 现行有效件数 (DERIVED from the layouts in
  // report-format.ts): a 2021 report is compared only with a previous report in the 2021 format.
  if (report.format !== '2021' || previous.format !== '2021') return out;
  for (const [key, label] of [
    ['rules', '规章'],
    ['normativeDocuments', '行政规范性文件'],
  ] as const) {
    const cur = report.proactive[key];
    const prev = previous.proactive[key].inForce;
    const { issued, abolished, inForce } = cur;
    if (typeof prev !== 'number' || typeof inForce !== 'number') continue;
    const iss = partValue(issued);
    const ab = partValue(abolished);
    if (iss === undefined || ab === undefined) continue;
    const expected = prev + iss - ab;
    if (nearlyEqual(expected, inForce)) continue;
    out.push({
      severity: 'warning',
      rule: 'proactive.in-force-continuity',
      message: `${label} 现行有效件数 ${fmtNum(inForce)} ≠ ${previous.year}年现行有效 ${fmtNum(prev)} + 本年制发 ${fmtNum(iss)} − 本年废止 ${fmtNum(ab)} = ${fmtNum(expected)}`,
      where: `proactive.${key}.inForce`,
    });
  }
  return out;
}

/** agency-kind.category: 规章 reported by an agency that cannot make them (township or county level). */
export function checkAgencyCategories(report: AnnualReport<AnyCell>, agency: AgencyProfile): Finding[] {
  const out: Finding[] = [];
  const level = agency.level ?? (agency.kind === 'township' ? 'township' : undefined);
  if (level !== 'township' && level !== 'county') return out;
  const who = level === 'township' ? '乡镇（街道）' : '县级';
  for (const field of ['issued', 'inForce'] as const) {
    const v = report.proactive.rules[field];
    if (typeof v === 'number' && v > 0) {
      out.push({
        severity: 'warning',
        rule: 'agency-kind.category',
        message: `${who}机关无权制定规章，但表二“规章”${field === 'issued' ? '本年制发件数' : '现行有效件数'}为 ${fmtNum(v)}`,
        where: `proactive.rules.${field}`,
      });
    }
  }
  return out;
}

/** Every rule that applies to one report (and, given, last year's report and the agency's kind). */
export function checkReportRules(report: AnnualReport<AnyCell>, opts: ReportRuleOptions = {}): Finding[] {
  const out = [
    ...checkRequestRowTotals(report),
    ...checkConcludedTotal(report),
    ...checkColumnBalance(report),
    ...checkReviewGroups(report),
  ];
  if (opts.previous) {
    out.push(...checkCarriedOverContinuity(report, opts.previous), ...checkInForceContinuity(report, opts.previous));
  }
  if (opts.agency) out.push(...checkAgencyCategories(report, opts.agency));
  return out;
}

/** Short label of a row, for messages that name several rows. */
export { shortRowLabel };
