/**
 * A consistent random annual report for tests and previews (deterministic for a given seed):
 * every row's 总计 is the sum of the six applicant columns, （七）总计 is the sum of the outcome rows,
 * 一 + 二 = （七）总计 + 四 in every column, and each table-四 总计 is the sum of its group.
 */
import { mulberry32 } from '../seeded-random.js';
import { emptyRequestRow } from '../law/report-model.js';
import type {
  AnnualReport,
  ApplicantKind,
  FormatVersion,
  RequestRow,
  RequestRowKey,
  RequestsTable,
  ReviewResult,
} from '../law/report-model.js';
import { APPLICANT_KINDS, OUTCOME_KEYS, REQUEST_ROW_KEYS } from '../law/report-model.js';
import { formatForYear } from '../law/report-format.js';

export interface SampleReportOptions {
  year?: number;
  format?: FormatVersion;
  agency?: { code: string; name: string };
}

function withTotal(row: RequestRow): RequestRow {
  row.total = APPLICANT_KINDS.reduce((s, k) => s + row[k], 0);
  return row;
}

export function sampleReport(seed = 1, opts: SampleReportOptions = {}): AnnualReport {
  const rand = mulberry32(seed >>> 0 || 1);
  const int = (max: number) => Math.floor(rand() * (max + 1));
  /** Mostly small counts, natural persons much more often, many zeros for organisations. */
  const count = (kind: ApplicantKind, weight: number) =>
    kind === 'natural_person' ? int(Math.round(12 * weight)) : rand() < 0.6 ? 0 : int(Math.max(1, Math.round(3 * weight)));

  const year = opts.year ?? 2025;
  const format = opts.format ?? formatForYear(year);
  const requests = Object.fromEntries(REQUEST_ROW_KEYS.map((k) => [k, emptyRequestRow()])) as RequestsTable;

  const weights: Partial<Record<RequestRowKey, number>> = { disclosed: 3, partially_disclosed: 1.2, 'unavailable.not_held': 1.5 };
  for (const key of OUTCOME_KEYS) {
    if (format === '2019' && (key === 'other.correction_overdue' || key === 'other.fee_overdue')) continue;
    const w = weights[key] ?? 0.3;
    for (const kind of APPLICANT_KINDS) requests[key][kind] = count(kind, w);
  }
  for (const kind of APPLICANT_KINDS) {
    const concluded = OUTCOME_KEYS.reduce((s, k) => s + requests[k][kind], 0);
    requests.concludedTotal[kind] = concluded;
    const forward = kind === 'natural_person' ? int(4) : rand() < 0.8 ? 0 : 1;
    requests.carriedForward[kind] = forward;
    const over = Math.min(concluded + forward, kind === 'natural_person' ? int(3) : rand() < 0.85 ? 0 : 1);
    requests.carriedOver[kind] = over;
    requests.new[kind] = concluded + forward - over;
  }
  for (const key of REQUEST_ROW_KEYS) withTotal(requests[key]);

  const result = (): ReviewResult => {
    const r = { upheld: int(3), corrected: int(1), other: int(1), pending: int(1), total: 0 };
    r.total = r.upheld + r.corrected + r.other + r.pending;
    return r;
  };

  const issued = int(6);
  const normIssued = int(12);
  const proactive = {
    rules: { issued, abolished: int(2), inForce: 10 + int(20) },
    normativeDocuments: { issued: normIssued, abolished: int(4), inForce: 20 + int(60) },
    licensing: { decisions: int(3000) },
    penalties: { decisions: int(800) },
    enforcement: { decisions: int(60) },
    fees: { amount10kYuan: Math.round(rand() * 50000) / 100 },
  };
  const reviews = { reconsideration: result(), litigationDirect: result(), litigationAfterReconsideration: result() };
  const agency = opts.agency ?? { code: 'HRB-SFJ', name: '哈尔滨市司法局' };
  const t = requests;
  const narrative = {
    overview:
      `${year}年，${agency.name}深入贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，` +
      `全面推进决策、执行、管理、服务、结果公开，不断提升政府信息公开工作质量。\n` +
      `全年本机关新收政府信息公开申请${t.new.total}件，上年结转${t.carriedOver.total}件，办结${t.concludedTotal.total}件，` +
      `结转下年度继续办理${t.carriedForward.total}件。`,
    proactive: `${year}年，本机关制发行政规范性文件${normIssued}件，主动公开政府信息情况如下：`,
    requests: `${year}年，本机关收到和处理政府信息公开申请情况如下：`,
    reviews: `${year}年，本机关因政府信息公开工作被申请行政复议${reviews.reconsideration.total}件，被提起行政诉讼${
      reviews.litigationDirect.total + reviews.litigationAfterReconsideration.total
    }件。`,
    problems:
      '一是主动公开的深度和广度有待拓展；二是政策解读形式还不够丰富。\n' +
      '下一步，本机关将进一步规范依申请公开办理流程，加强业务培训，提升答复质量。',
    other: `依据《政府信息公开信息处理费管理办法》规定，${year}年本机关未收取信息处理费。本年度无其他需要报告的事项。`,
  };
  return { agency, year, format, proactive, requests, reviews, narrative, findings: [] };
}
