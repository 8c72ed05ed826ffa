/**
 * 监督检查: the supervisor's view over every agency below it — this year's annual report (draft / published /
 * late / missing), open and overdue requests, the outcome mix, the correction rates of 行政复议 and 行政诉讼, and
 * the findings of the report rules. Reads only.
 */
import { AppError } from '../../errors.js';
import type { Finding } from '../../law/report-model.js';
import { currentReportYear, deadlineState, reportDeadline, type DeadlineState } from '../../law/report-deadline.js';
import { OUTCOME_FAMILIES, isOutcomeKey, outcomeFamily, type OutcomeFamily } from '../../law/outcomes.js';
import { isAdmin } from '../accounts/access.js';
import { readableAgencies, type Agency } from '../agencies/agencies.service.js';
import { todayCst, type Actor, type Ctx } from '../context.js';
import { computeAnnualReport, concludedCases, openRequestCounts, outcomeCounts, reportsOfYear, type ReportStatus } from '../reports/reports.service.js';

export type OversightReportState = 'published' | 'published_late' | 'draft' | 'late' | 'missing';

export const OVERSIGHT_STATE_LABELS: Record<OversightReportState, string> = {
  published: '已发布',
  published_late: '逾期发布',
  draft: '编制中',
  late: '逾期未发布',
  missing: '未编制',
};

export interface OversightRow {
  agency: Agency;
  reportState: OversightReportState;
  reportStatus: ReportStatus | 'none';
  deadline: string;
  deadlineState: DeadlineState;
  open: number;
  overdue: number;
  outcomes: Record<OutcomeFamily, number>;
  concluded: number;
  reconsideration: { concluded: number; corrected: number };
  litigation: { concluded: number; corrected: number };
  findings: Finding[];
  findingsFrom: 'working_copy' | 'published' | 'computed';
}

export interface Oversight {
  year: number;
  today: string;
  rows: OversightRow[];
}

export function canOversee(actor: Actor): boolean {
  return isAdmin(actor) || actor.grants.some((g) => g.role === 'supervisor');
}

export async function oversight(ctx: Ctx, actor: Actor, opts: { year?: number } = {}): Promise<Oversight> {
  if (!canOversee(actor)) throw new AppError('forbidden', '监督检查仅限监督检查（只读）账号和系统管理员');
  const today = todayCst(ctx.now());
  const year = opts.year ?? currentReportYear(today);
  const agencies = (await readableAgencies(ctx, actor)).slice(0, 200);
  const ids = agencies.map((a) => a.id);
  if (!ids.length) return { year, today, rows: [] };
  const [reports, open, cases, outcomes] = await Promise.all([
    reportsOfYear(ctx, ids, year),
    openRequestCounts(ctx, ids, today),
    concludedCases(ctx, ids, `${year}-01-01`),
    outcomeCounts(ctx, ids, year),
  ]);
  const rows: OversightRow[] = [];
  for (const a of agencies) {
    const r = reports.find((x) => x.agencyId === a.id);
    const dl = deadlineState(a.kind, year, r?.publishedOn ?? null, today);
    const reportState: OversightReportState =
      dl === 'published' ? 'published' : dl === 'published_late' ? 'published_late' : dl === 'late' ? 'late' : r ? 'draft' : 'missing';
    const fam = Object.fromEntries(OUTCOME_FAMILIES.map((f) => [f, 0])) as Record<OutcomeFamily, number>;
    for (const o of outcomes.filter((x) => x.agencyId === a.id)) if (isOutcomeKey(o.outcome)) fam[outcomeFamily(o.outcome)] += o.n;
    const c = cases.filter((x) => x.agencyId === a.id);
    const rec = c.filter((x) => x.kind === 'reconsideration');
    const lit = c.filter((x) => x.kind !== 'reconsideration');
    let findings = r?.findings ?? [];
    let findingsFrom: OversightRow['findingsFrom'] = r?.status === 'published' ? 'published' : 'working_copy';
    if (!r) {
      // No working copy yet: what the rules say about the report the records would give.
      findings = (await computeAnnualReport(ctx, a, year)).report.findings.filter((f) => f.rule !== 'narrative.incomplete');
      findingsFrom = 'computed';
    }
    const o = open.find((x) => x.agencyId === a.id);
    rows.push({
      agency: a,
      reportState,
      reportStatus: r?.status ?? 'none',
      deadline: reportDeadline(a.kind, year),
      deadlineState: dl,
      open: o?.open ?? 0,
      overdue: o?.overdue ?? 0,
      outcomes: fam,
      concluded: Object.values(fam).reduce((s, n) => s + n, 0),
      reconsideration: { concluded: rec.reduce((s, x) => s + x.n, 0), corrected: rec.reduce((s, x) => s + x.corrected, 0) },
      litigation: { concluded: lit.reduce((s, x) => s + x.n, 0), corrected: lit.reduce((s, x) => s + x.corrected, 0) },
      findings,
      findingsFrom,
    });
  }
  return { year, today, rows };
}

/** A rate as printed: '25.0%', or '—' when nothing was concluded. */
export function rate(part: number, whole: number): string {
  return whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : '—';
}
