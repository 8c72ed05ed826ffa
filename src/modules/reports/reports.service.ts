/**
 * 政府信息公开工作年度报告 (条例第49条、第50条) computed from the records: `computeAnnualReport` assembles the
 * three tables from the requests, the review cases and the registries (SQL aggregates), `buildAnnualReport`
 * keeps the agency's working copy with the prose of sections 一、五、六 (started from a draft that states the
 * facts the records hold), the workflow submit → review → sign-off and publish moves it to the 年报专栏, and
 * publication locks the year: `assertYearOpen` refuses a change to a record of a locked year until an
 * unlock with a reason is recorded (audit log).
 *
 * Table 四 reading (UNVERIFIED in the format, a parameter here): by default `filed` — the cases filed in the
 * year, each with its result as at 31 December (尚未审结 when not concluded by then). `activity` counts the
 * cases concluded in the year by result plus those still pending at year end.
 */
import { emptyRequestRow, emptyReviewResult, reportContractJson } from '../../law/report-model.js';
import { AppError, invalid } from '../../errors.js';
import type { AnnualReport, ApplicantKind, Finding, Narrative, RequestRow, RequestsTable, ReviewResult, ReviewsTable } from '../../law/report-model.js';
import { APPLICANT_KINDS, OUTCOME_KEYS, REQUEST_ROW_KEYS } from '../../law/report-model.js';
import { formatForYear, requestRowLabels } from '../../law/report-format.js';
import { checkReportRules, type AgencyProfile } from '../../law/report-rules.js';
import { deadlineState, reportDeadline, type DeadlineState } from '../../law/report-deadline.js';
import { isOutcomeKey } from '../../law/outcomes.js';
import type { Executor } from '../../db/database.js';
import { assertCanRead, canRead, hasRole, isAdmin } from '../accounts/access.js';
import { getAgency, getAgencyById, listAgencies, listSubtree, type Agency } from '../agencies/agencies.service.js';
import { appendAudit } from '../audit-log/audit-log.service.js';
import { todayCst, type Actor, type Ctx, type Role } from '../context.js';
import * as repo from './reports.repository.js';
import { reportSectionAnchor, reportSections, reportTitle } from '../../render/report-layout.js';
import { gridText } from '../../render/report-text.js';
import { indexReport, type ReportForSearch } from '../search/search.service.js';
import { reportPeriod } from '../../law/report-period.js';
import * as disclosureRead from '../disclosure/disclosure.read-model.js';
import * as registriesRead from '../registries/registries.read-model.js';
import * as requestsRead from '../requests/requests.read-model.js';
import * as reviewsRead from '../reviews/reviews.read-model.js';
import { checkNarrative, draftNarrative, PLACEHOLDER, type ReportFacts } from './report-prose.js';
import { randomUUID } from 'node:crypto';
import { actorFor } from '../accounts/accounts.service.js';
import { findJob, recordJob, unfinishedJobAbout, runTracked, type JobProgress, type JobRecord, type RunInfo } from '../jobs/jobs.service.js';

export { PLACEHOLDER };
export type { ReportFacts };

export type ReviewsReading = 'filed' | 'activity';
export const REPORT_STATUSES = ['draft', 'submitted', 'reviewed', 'published'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];
export const REPORT_STATUS_LABELS: Record<ReportStatus, string> = {
  draft: '草稿',
  submitted: '待审核',
  reviewed: '已审核，待签发',
  published: '已发布',
};

/** One unit's share of a roll-up (and the agency's own line when alone). */
export interface Contribution {
  code: string;
  name: string;
  newRequests: number;
  carriedOver: number;
  concluded: number;
  carriedForward: number;
  reconsideration: number;
  litigation: number;
  normativeIssued: number;
  itemsPublished: number;
  newMedia: number;
}

export interface RecordProblem {
  entity: 'request' | 'review_case' | 'normative_document';
  id: number;
  label: string;
  message: string;
}

/** A report as built from the records: the model (contract JSON) and what the office shows beside it. */
export interface BuiltReport {
  report: AnnualReport;
  facts: ReportFacts;
  contributions: Contribution[];
  problems: RecordProblem[];
  scope: string[];
  reviewsReading: ReviewsReading;
  builtAt: string;
}

export interface ComputeOptions {
  /** Sum the agency and these units (codes below it); `true` = every agency below. */
  rollup?: boolean | string[];
  reviewsReading?: ReviewsReading;
  narrative?: Narrative;
  /** Told of each aggregate read (a computation run as a job shows its progress). */
  progress?: Pick<JobProgress, 'step'>;
}

/** The steps of a computation as a job counts them: the aggregates read, the checks, the save. */
const COMPUTE_STEPS = ['新收申请', '上年结转', '结转下年', '办理结果', '复议诉讼', '主动公开', '新媒体', '门户网站发布', '信息处理费', '申请记录核查', '办理结果核查', '复议诉讼案件核查', '规范性文件核查'];
export const BUILD_STEPS = COMPUTE_STEPS.length + 2;

const REVIEW_KIND_GROUP: Record<string, keyof ReviewsTable> = {
  reconsideration: 'reconsideration',
  litigation_direct: 'litigationDirect',
  litigation_after_reconsideration: 'litigationAfterReconsideration',
};

/** The agencies a report sums: the agency alone, or with the chosen units below it. */
async function resolveScope(ctx: Ctx, agency: Agency, rollup: ComputeOptions['rollup']): Promise<Agency[]> {
  if (!rollup || (Array.isArray(rollup) && rollup.length === 0)) return [agency];
  const subtree = await listSubtree(ctx, agency);
  const below = subtree.filter((a) => a.id !== agency.id && a.path.startsWith(agency.path));
  if (rollup === true) return [agency, ...below];
  const chosen: Agency[] = [agency];
  for (const code of rollup) {
    const a = below.find((b) => b.code === code);
    if (!a) throw invalid(`“${code}”不是${agency.name}的下级机构，不能汇总`, [{ field: 'scope', message: `“${code}”不是下级机构` }]);
    if (!chosen.includes(a)) chosen.push(a);
  }
  return chosen;
}

function agencyProfile(agency: Agency): AgencyProfile {
  // The depth says the level under a city root only approximately: township kind is what the rule needs.
  return { kind: agency.kind };
}

/** The report for one agency (or a roll-up) and year, computed from the records. Reads only. */
export async function computeAnnualReport(ctx: Ctx, agency: Agency, year: number, opts: ComputeOptions = {}): Promise<BuiltReport> {
  if (!Number.isInteger(year) || year < 2008 || year > 2100) throw invalid(`年度“${year}”不合法`, [{ field: 'year', message: '请填写四位年份' }]);
  const scope = await resolveScope(ctx, agency, opts.rollup);
  const ids = scope.map((a) => a.id);
  const y = reportPeriod(year);
  const reading = opts.reviewsReading ?? 'filed';
  const db = ctx.db;
  let stepNo = 0;
  const step = <T>(p: Promise<T>): Promise<T> => {
    const label = COMPUTE_STEPS[stepNo++]!;
    return opts.progress ? p.then((v) => (opts.progress!.step(`已统计：${label}`), v)) : p;
  };
  const [nw, over, fwd, outcomes, reviews, proactive, media, items, fees, badRequests, outcomeRows, badCases, badDocs] = await Promise.all([
    step(requestsRead.countNew(db, ids, y)),
    step(requestsRead.countCarriedOver(db, ids, y)),
    step(requestsRead.countCarriedForward(db, ids, y)),
    step(requestsRead.countOutcomes(db, ids, y)),
    step(reviewsRead.countReviews(db, ids, y, reading)),
    step(registriesRead.proactiveCounts(db, ids, y)),
    step(registriesRead.newMediaCounts(db, ids, y)),
    step(disclosureRead.itemsPublished(db, ids, y)),
    step(requestsRead.processingFees(db, ids, y)),
    step(requestsRead.requestsForCheck(db, ids, y)),
    step(requestsRead.outcomesUsed(db, ids, y)),
    step(reviewsRead.reviewCasesForCheck(db, ids, y)),
    step(registriesRead.documentsForCheck(db, ids, y)),
  ]);

  const requests = Object.fromEntries(REQUEST_ROW_KEYS.map((k) => [k, emptyRequestRow()])) as RequestsTable;
  const isKind = (k: string): k is ApplicantKind => (APPLICANT_KINDS as readonly string[]).includes(k);
  const add = (row: RequestRow, kind: string, n: number) => {
    if (!isKind(kind)) return;
    row[kind] += n;
    row.total += n;
  };
  for (const c of nw) add(requests.new, c.applicantKind, c.n);
  for (const c of over) add(requests.carriedOver, c.applicantKind, c.n);
  for (const c of fwd) add(requests.carriedForward, c.applicantKind, c.n);
  for (const c of outcomes) {
    if (!isOutcomeKey(c.outcome)) continue;
    add(requests[c.outcome], c.applicantKind, c.n);
    add(requests.concludedTotal, c.applicantKind, c.n);
  }
  const format = formatForYear(year);
  if (format === '2019') {
    // The 2019 table has a single （六）其他处理 row, carried in `other.other`.
    for (const k of ['other.correction_overdue', 'other.fee_overdue'] as const) {
      for (const col of [...APPLICANT_KINDS, 'total'] as const) {
        requests['other.other'][col] += requests[k][col];
        requests[k][col] = 0;
      }
    }
  }

  const reviewsTable: ReviewsTable = { reconsideration: emptyReviewResult(), litigationDirect: emptyReviewResult(), litigationAfterReconsideration: emptyReviewResult() };
  for (const c of reviews) {
    const g = REVIEW_KIND_GROUP[c.kind];
    if (!g) continue;
    const key = (['upheld', 'corrected', 'other', 'pending'] as const).find((r) => r === c.result) ?? 'pending';
    reviewsTable[g][key] += c.n;
    reviewsTable[g].total += c.n;
  }

  const sum = <T>(rows: T[], f: (r: T) => number) => rows.reduce((s, r) => s + f(r), 0);
  const feesFen = sum(proactive, (p) => p.feesFen);
  const report: AnnualReport = {
    agency: { code: agency.code, name: agency.name },
    year,
    format,
    proactive: {
      rules: { issued: sum(proactive, (p) => p.rulesIssued), abolished: sum(proactive, (p) => p.rulesAbolished), inForce: sum(proactive, (p) => p.rulesInForce) },
      normativeDocuments: {
        issued: sum(proactive, (p) => p.docsIssued),
        abolished: sum(proactive, (p) => p.docsAbolished),
        inForce: sum(proactive, (p) => p.docsInForce),
      },
      licensing: { decisions: sum(proactive, (p) => p.licensing) },
      penalties: { decisions: sum(proactive, (p) => p.penalties) },
      enforcement: { decisions: sum(proactive, (p) => p.enforcement) },
      // 万元, to four decimals (one yuan).
      fees: { amount10kYuan: Math.round(feesFen / 100) / 10000 },
    },
    requests,
    reviews: reviewsTable,
    narrative: {},
    findings: [],
  };

  const byChannel = new Map<string, number>();
  for (const m of media) byChannel.set(m.channel, (byChannel.get(m.channel) ?? 0) + m.n);
  const facts: ReportFacts = {
    itemsPublished: sum(items, (i) => i.n),
    newMedia: [...byChannel].map(([channel, n]) => ({ channel, n })).sort((a, b) => b.n - a.n),
    newMediaTotal: sum(media, (m) => m.n),
    processingFeeYuan: sum(fees, (f) => f.yuan),
    processingFeeRequests: sum(fees, (f) => f.requests),
  };

  const contributions: Contribution[] = scope.map((a) => {
    const of = <T extends { agencyId: number }>(rows: T[], f: (r: T) => number) => sum(rows.filter((r) => r.agencyId === a.id), f);
    return {
      code: a.code,
      name: a.name,
      newRequests: of(nw, (r) => r.n),
      carriedOver: of(over, (r) => r.n),
      concluded: of(outcomes, (r) => (isOutcomeKey(r.outcome) ? r.n : 0)),
      carriedForward: of(fwd, (r) => r.n),
      reconsideration: of(reviews, (r) => (r.kind === 'reconsideration' ? r.n : 0)),
      litigation: of(reviews, (r) => (r.kind.startsWith('litigation') ? r.n : 0)),
      normativeIssued: of(proactive, (r) => r.docsIssued),
      itemsPublished: of(items, (r) => r.n),
      newMedia: of(media, (r) => r.n),
    };
  });

  const codeOf = new Map(scope.map((a) => [a.id, a]));
  const problems: RecordProblem[] = [];
  for (const r of badRequests) {
    const who = scope.length > 1 ? `（${codeOf.get(r.agencyId)?.name ?? ''}）` : '';
    const label = `申请 ${r.trackingNo}${who}`;
    const p = (message: string) => problems.push({ entity: 'request', id: r.id, label, message: `${label}：${message}` });
    if (r.repliedOn && r.repliedOn < r.receivedOn) p(`答复日期 ${r.repliedOn} 早于收到申请日期 ${r.receivedOn}`);
    if (r.repliedOn && !r.outcome) p(`已于 ${r.repliedOn} 答复，但没有办理结果`);
    if (!r.repliedOn && r.outcome) p(`有办理结果，但没有答复日期`);
    if (!r.repliedOn && (r.status === 'replied' || r.status === 'closed')) p(`状态为已办结，但没有答复日期和办理结果`);
    if (!isKind(r.applicantKind)) p(`申请人类别“${r.applicantKind}”不是表三的列`);
  }
  for (const o of outcomeRows) {
    if (!isOutcomeKey(o.outcome))
      problems.push({ entity: 'request', id: 0, label: `申请 ${o.trackingNo}`, message: `申请 ${o.trackingNo}：办理结果“${o.outcome}”不是表三的行` });
  }
  for (const c of badCases) {
    const label = `${c.kind === 'reconsideration' ? '行政复议' : '行政诉讼'}案件 ${c.caseNo ?? `#${c.id}`}`;
    const p = (message: string) => problems.push({ entity: 'review_case', id: c.id, label, message: `${label}：${message}` });
    if (c.concludedOn && c.concludedOn < c.filedOn) p(`审结日期 ${c.concludedOn} 早于立案日期 ${c.filedOn}`);
    if (c.result !== 'pending' && !c.concludedOn && ['upheld', 'corrected', 'other'].includes(c.result)) p('已有结果，但没有审结日期');
    if (c.result === 'pending' && c.concludedOn) p(`有审结日期 ${c.concludedOn}，但结果仍为尚未审结`);
    if (!['upheld', 'corrected', 'other', 'pending'].includes(c.result)) p(`结果“${c.result}”不是表四的列`);
    if (!REVIEW_KIND_GROUP[c.kind]) p(`案件类别“${c.kind}”不是表四的分组`);
  }
  for (const d of badDocs) {
    const label = `规范性文件“${d.title}”${d.doc_number ? `（${d.doc_number}）` : ''}`;
    problems.push({ entity: 'normative_document', id: d.id, label, message: `${label}：废止日期 ${d.abolished_on} 早于制发日期 ${d.issued_on}` });
  }

  report.narrative = opts.narrative ?? draftNarrative(report, facts, scope.length);
  const built: BuiltReport = {
    report,
    facts,
    contributions,
    problems,
    scope: scope.map((a) => a.code),
    reviewsReading: reading,
    builtAt: ctx.now().toISOString(),
  };
  report.findings = await findingsFor(ctx, agency, built);
  opts.progress?.step('已核对：勾稽关系与正文');
  return built;
}

/** Findings: broken records, the rules of src/law (with last year's published report), and the prose checks. */
async function findingsFor(ctx: Ctx, agency: Agency, built: BuiltReport): Promise<Finding[]> {
  const report = built.report;
  const out: Finding[] = built.problems.map((p) => ({
    severity: 'error' as const,
    rule: `records.${p.entity}`,
    message: p.message,
    where: `records.${p.entity}.${p.id}`,
  }));
  const prevRow = await repo.findReport(ctx.db, agency.id, report.year - 1);
  const previous = prevRow?.published ? (JSON.parse(prevRow.published) as AnnualReport) : undefined;
  // Last year's published report may have been built over another scope; compare only like with like.
  const prevScope = prevRow ? (JSON.parse(prevRow.scope) as string[]) : [];
  const sameScope = prevScope.length === built.scope.length && prevScope.every((c) => built.scope.includes(c));
  out.push(...checkReportRules(report, { agency: agencyProfile(agency), previous: sameScope ? previous : undefined }));
  out.push(...checkNarrative(report, built.facts));
  return out;
}

/** Re-run the findings after the prose changed (the figures stay as built). */
async function refreshFindings(ctx: Ctx, agency: Agency, built: BuiltReport): Promise<void> {
  built.report.findings = await findingsFor(ctx, agency, built);
}

// ---------------------------------------------------------------------------------------------
// The working copy, the workflow and publication.

export interface ReportView {
  id: number | null;
  agency: Agency;
  year: number;
  status: ReportStatus | 'none';
  built: BuiltReport | null;
  published: PublishedReport | null;
  deadline: string;
  deadlineState: DeadlineState;
  locked: boolean;
  unlocks: { reason: string; at: string; relockedAt: string | null }[];
  reviewNote: string | null;
  publishedOn: string | null;
  revision: number;
}

/** What the 年报专栏 shows: the report as published, with the units summed and the publication dates. */
export interface PublishedReport extends AnnualReport {
  publishedOn: string;
  publishedAt: string;
  revision: number;
  contributions?: Contribution[];
  scope?: string[];
}

function toView(agency: Agency, year: number, row: repo.ReportRow | undefined, unlocks: repo.UnlockRow[], today: string): ReportView {
  const published = row?.published ? (JSON.parse(row.published) as PublishedReport) : null;
  return {
    id: row?.id ?? null,
    agency,
    year,
    status: (row?.status as ReportStatus | undefined) ?? 'none',
    built: row?.data ? (JSON.parse(row.data) as BuiltReport) : null,
    published,
    deadline: reportDeadline(agency.kind, year),
    deadlineState: deadlineState(agency.kind, year, row?.published_on ?? null, today),
    locked: !!published && !unlocks.some((u) => u.relocked_at === null),
    unlocks: unlocks.map((u) => ({ reason: u.reason, at: u.unlocked_at, relockedAt: u.relocked_at })),
    reviewNote: row?.review_note ?? null,
    publishedOn: row?.published_on ?? null,
    revision: row?.revision ?? 0,
  };
}

const WORKERS: Role[] = ['editor', 'handler', 'reviewer', 'approver'];

export async function getReportView(ctx: Ctx, actor: Actor, code: string, year: number): Promise<ReportView> {
  const agency = await getAgency(ctx, code);
  assertCanRead(actor, agency);
  const [row, unlocks] = await Promise.all([repo.findReport(ctx.db, agency.id, year), repo.listUnlocks(ctx.db, agency.id, year)]);
  return toView(agency, year, row, unlocks, todayCst(ctx.now()));
}

function assertNotPublishedLocked(row: repo.ReportRow | undefined, unlock: repo.UnlockRow | undefined, year: number): void {
  if (row?.published && !unlock)
    throw new AppError('locked', `${year}年度报告已发布，年度已锁定；如需修改，请先说明理由解除锁定`, { reason: 'report.locked' });
}

export interface BuildOptions {
  rollup?: boolean | string[];
  reviewsReading?: ReviewsReading;
  resetNarrative?: boolean;
  redraft?: boolean;
  /** Told of each step (a build run as a job). */
  progress?: Pick<JobProgress, 'step'>;
}

/** Build (or rebuild) the working copy from the records; the prose already written is kept. */
export async function buildAnnualReport(
  ctx: Ctx,
  actor: Actor | { system: string },
  code: string,
  year: number,
  opts: BuildOptions = {},
): Promise<ReportView> {
  const agency = await getAgency(ctx, code);
  if ('userId' in actor && !hasRole(actor, agency, WORKERS)) throw new AppError('forbidden', '您没有编制该机构年度报告的权限');
  const existing = await repo.findReport(ctx.db, agency.id, year);
  const unlock = await repo.openUnlock(ctx.db, agency.id, year);
  assertNotPublishedLocked(existing, unlock, year);
  const rollup = opts.rollup ?? (existing ? scopeOption(existing, agency) : undefined);
  const keepNarrative = existing && !opts.resetNarrative ? (JSON.parse(existing.narrative) as Narrative) : undefined;
  let built = await computeAnnualReport(ctx, agency, year, { rollup, reviewsReading: opts.reviewsReading, narrative: keepNarrative, progress: opts.progress });
  // The prose kept was written for the scope it was built over: over another scope (a roll-up of the units, or
  // back to the agency alone) 一 and 六 would state another set of figures, so they are drafted again.
  const prevScope = existing ? (JSON.parse(existing.scope) as string[]) : built.scope;
  const scopeChanged = prevScope.length !== built.scope.length || !prevScope.every((c) => built.scope.includes(c));
  if ((opts.redraft || scopeChanged) && keepNarrative) {
    // Sections 一 and 六 state the records: draft them again from the fresh figures; 五 is the staff's own.
    const draft = draftNarrative(built.report, built.facts, built.scope.length);
    built = await computeAnnualReport(ctx, agency, year, {
      rollup,
      reviewsReading: opts.reviewsReading,
      narrative: { ...keepNarrative, overview: draft.overview, other: draft.other },
    });
  }
  const at = ctx.now();
  const iso = at.toISOString();
  const actorId = 'userId' in actor ? actor.userId : null;
  await ctx.db.transaction().execute(async (tx) => {
    const row = await repo.findReport(tx, agency.id, year);
    const fields = {
      format: built.report.format,
      scope: JSON.stringify(built.scope),
      rollup: built.scope.length > 1 ? 1 : 0,
      narrative: JSON.stringify(built.report.narrative),
      data: JSON.stringify(built),
      built_at: iso,
      built_by: actorId,
      updated_at: iso,
    };
    let id: number;
    if (row) {
      id = row.id;
      await repo.updateReport(tx, row.id, { ...fields, status: row.status === 'published' ? 'draft' : row.status });
    } else {
      const created = await repo.insertReport(tx, {
        agency_id: agency.id,
        year,
        status: 'draft',
        ...fields,
        submitted_at: null,
        submitted_by: null,
        reviewed_at: null,
        reviewed_by: null,
        review_note: null,
        signed_by: null,
        published_on: null,
        published_at: null,
        published: null,
        created_at: iso,
      });
      id = created.id;
    }
    await appendAudit(tx, {
      actor,
      agencyId: agency.id,
      action: 'report.build',
      entity: 'report',
      entityId: id,
      data: { year, scope: built.scope, reviewsReading: built.reviewsReading, errors: built.report.findings.filter((f) => f.severity === 'error').length },
      at,
    });
  });
  opts.progress?.step('已保存工作稿');
  return toView(agency, year, await repo.findReport(ctx.db, agency.id, year), await repo.listUnlocks(ctx.db, agency.id, year), todayCst(at));
}

// ---- The computation as a job of the site's queue ---------------------------------------------

/** The kind of the report computations' job records and the name of their queue. */
export const REPORT_BUILD_JOB = 'report.build';
/** Attempts after the first (the queue's definition, src/jobs/site-jobs.ts). */
export const REPORT_BUILD_RETRY_LIMIT = 1;

const buildSubject = (agency: Agency, year: number) => `${agency.name}${year}年度报告`;

/**
 * Starts computing an agency's report of a year from the records as a job of the site (a roll-up of a
 * province reads millions of records): what can be refused at once is (the right to build, the year's lock,
 * the year, the units of a roll-up), then the job is recorded and queued; its id. A computation of the same
 * report already waiting or running is the one answered (one at a time per report).
 */
export async function startReportBuild(
  ctx: Ctx,
  queue: { send(name: string, data: Record<string, unknown>, opts?: { key?: string; id?: string }): Promise<string | null> },
  actor: Actor,
  code: string,
  year: number,
  opts: Omit<BuildOptions, 'progress' | 'resetNarrative'> = {},
): Promise<string> {
  if (!Number.isInteger(year) || year < 2008 || year > 2100) throw invalid(`年度“${year}”不合法`, [{ field: 'year', message: '请填写四位年份' }]);
  const agency = await getAgency(ctx, code);
  if (!hasRole(actor, agency, WORKERS)) throw new AppError('forbidden', '您没有编制该机构年度报告的权限');
  const existing = await repo.findReport(ctx.db, agency.id, year);
  assertNotPublishedLocked(existing, await repo.openUnlock(ctx.db, agency.id, year), year);
  await resolveScope(ctx, agency, opts.rollup ?? (existing ? scopeOption(existing, agency) : undefined));
  const subject = buildSubject(agency, year);
  const current = await unfinishedJobAbout(ctx, REPORT_BUILD_JOB, agency.id, subject);
  if (current) return current.id;
  const id = randomUUID();
  await recordJob(ctx, {
    id,
    kind: REPORT_BUILD_JOB,
    owner: { id: actor.userId, name: actor.displayName },
    total: BUILD_STEPS,
    data: { code, year, rollup: opts.rollup ?? null, reviewsReading: opts.reviewsReading ?? null, redraft: !!opts.redraft },
    subject,
    href: `/office/reports/${encodeURIComponent(code)}/${year}`,
    agencyId: agency.id,
    retryLimit: REPORT_BUILD_RETRY_LIMIT,
  });
  await queue.send(REPORT_BUILD_JOB, { jobId: id }, { id });
  return id;
}

/** The queue's handler: the computation, as the account that started it, each step told to the job's record. */
export async function runReportBuild(ctx: Ctx, data: Record<string, unknown>, run: RunInfo): Promise<void> {
  await runTracked(ctx, REPORT_BUILD_JOB, data, run, async (job, progress) => {
    const d = job.data as { code: string; year: number; rollup: boolean | string[] | null; reviewsReading: ReviewsReading | null; redraft: boolean };
    const actor = job.ownerId === null ? null : await actorFor(ctx, job.ownerId);
    if (!actor) throw new AppError('forbidden', '发起生成的账号已停用，报告未生成');
    progress.total(BUILD_STEPS);
    const view = await buildAnnualReport(ctx, actor, d.code, d.year, {
      rollup: d.rollup ?? undefined,
      reviewsReading: d.reviewsReading ?? undefined,
      redraft: d.redraft,
      progress,
    });
    return { errors: view.built?.report.findings.filter((f) => f.severity === 'error').length ?? 0, builtAt: view.built?.builtAt ?? null };
  });
}

/**
 * The computation of a report its page shows: the one `askedId` names (the page it redirected to once
 * started), else one still waiting or running, whoever started it.
 */
export async function reportBuildJob(ctx: Ctx, agency: Agency, year: number, askedId?: string): Promise<JobRecord | null> {
  if (askedId) {
    const job = await findJob(ctx, askedId);
    if (job && job.kind === REPORT_BUILD_JOB && job.agencyId === agency.id && job.subject === buildSubject(agency, year)) return job;
  }
  return unfinishedJobAbout(ctx, REPORT_BUILD_JOB, agency.id, buildSubject(agency, year));
}

function scopeOption(row: repo.ReportRow, agency: Agency): string[] | undefined {
  const scope = JSON.parse(row.scope) as string[];
  const others = scope.filter((c) => c !== agency.code);
  return others.length ? others : undefined;
}

const NARRATIVE_KEYS = ['overview', 'problems', 'other'] as const;
export const MAX_SECTION = 20000;

async function loadForWrite(ctx: Ctx, actor: Actor, code: string, year: number, roles: readonly Role[], what: string) {
  const agency = await getAgency(ctx, code);
  if (!hasRole(actor, agency, roles)) throw new AppError('forbidden', `您没有${what}的权限`);
  const row = await repo.findReport(ctx.db, agency.id, year);
  if (!row || !row.data) throw new AppError('conflict', `尚未生成${agency.name}${year}年度报告，请先从记录生成`, { reason: 'report.not_built' });
  return { agency, row, built: JSON.parse(row.data) as BuiltReport };
}

/** Save the prose of sections 一、五、六 (the working copy must not be awaiting review or published-locked). */
export async function saveNarrative(ctx: Ctx, actor: Actor, code: string, year: number, patch: Partial<Pick<Narrative, 'overview' | 'problems' | 'other'>>): Promise<ReportView> {
  const { agency, row, built } = await loadForWrite(ctx, actor, code, year, WORKERS, '编辑年度报告');
  if (row.status === 'submitted' || row.status === 'reviewed')
    throw new AppError('conflict', '报告已送审，请审核人退回后再修改', { reason: 'report.in_review' });
  assertNotPublishedLocked(row, await repo.openUnlock(ctx.db, agency.id, year), year);
  const fields = [] as { field: string; message: string }[];
  for (const k of NARRATIVE_KEYS) {
    const v = patch[k];
    if (v !== undefined && v.length > MAX_SECTION) fields.push({ field: k, message: `内容过长（不超过 ${MAX_SECTION} 字）` });
  }
  if (fields.length) throw invalid(fields.map((f) => f.message).join('；'), fields);
  const narrative: Narrative = { ...built.report.narrative };
  const changed: string[] = [];
  for (const k of NARRATIVE_KEYS) {
    const v = patch[k];
    if (v === undefined) continue;
    const clean = v.replace(/\r\n/g, '\n').trim();
    if (clean !== (narrative[k] ?? '')) changed.push(k);
    narrative[k] = clean;
  }
  built.report.narrative = narrative;
  await refreshFindings(ctx, agency, built);
  const at = ctx.now();
  await ctx.db.transaction().execute(async (tx) => {
    await repo.updateReport(tx, row.id, {
      narrative: JSON.stringify(narrative),
      data: JSON.stringify(built),
      status: 'draft',
      updated_at: at.toISOString(),
    });
    await appendAudit(tx, { actor, agencyId: agency.id, action: 'report.edit', entity: 'report', entityId: row.id, data: { year, sections: changed }, at });
  });
  return getReportView(ctx, actor, code, year);
}

/** 送审: the drafter sends the report for review. */
export async function submitReport(ctx: Ctx, actor: Actor, code: string, year: number): Promise<ReportView> {
  const { agency, row } = await loadForWrite(ctx, actor, code, year, WORKERS, '送审年度报告');
  if (row.status !== 'draft') throw new AppError('conflict', `报告当前状态为“${REPORT_STATUS_LABELS[row.status as ReportStatus]}”，不能送审`, { reason: 'report.bad_state' });
  return transition(ctx, actor, agency, row, { status: 'submitted', submitted_at: ctx.now().toISOString(), submitted_by: actor.userId, review_note: null }, 'report.submit', { year });
}

/** 审核: a reviewer (or approver) passes the report on to sign-off, or returns it with a note. */
export async function reviewReport(ctx: Ctx, actor: Actor, code: string, year: number, decision: 'approve' | 'return', note?: string): Promise<ReportView> {
  const { agency, row } = await loadForWrite(ctx, actor, code, year, ['reviewer', 'approver'], '审核年度报告');
  if (row.status !== 'submitted' && !(decision === 'return' && row.status === 'reviewed'))
    throw new AppError('conflict', '只有待审核的报告可以审核', { reason: 'report.bad_state' });
  const text = (note ?? '').trim();
  if (decision === 'return' && !text) throw invalid('退回时请说明理由', [{ field: 'note', message: '请填写退回理由' }]);
  const iso = ctx.now().toISOString();
  return decision === 'approve'
    ? transition(ctx, actor, agency, row, { status: 'reviewed', reviewed_at: iso, reviewed_by: actor.userId, review_note: text || null }, 'report.review', { year, decision })
    : transition(ctx, actor, agency, row, { status: 'draft', review_note: text }, 'report.return', { year })
}

async function transition(
  ctx: Ctx,
  actor: Actor,
  agency: Agency,
  row: repo.ReportRow,
  patch: Partial<repo.ReportRow>,
  action: string,
  data: Record<string, unknown>,
): Promise<ReportView> {
  const at = ctx.now();
  await ctx.db.transaction().execute(async (tx) => {
    await repo.updateReport(tx, row.id, { ...patch, updated_at: at.toISOString() });
    await appendAudit(tx, { actor, agencyId: agency.id, action, entity: 'report', entityId: row.id, data, at });
  });
  return getReportView(ctx, actor, agency.code, row.year);
}

/**
 * 签发并发布: an approver signs the report off and publishes it to the 年报专栏. The figures are rebuilt from the
 * records first; a broken record or any error finding refuses publication, naming what is wrong. Publication
 * locks the year (closes any open unlock).
 */
export async function publishReport(ctx: Ctx, actor: Actor, code: string, year: number): Promise<ReportView> {
  const { agency, row } = await loadForWrite(ctx, actor, code, year, ['approver'], '签发年度报告');
  if (row.status !== 'submitted' && row.status !== 'reviewed')
    throw new AppError('conflict', row.status === 'published' ? '报告已发布' : '报告尚未送审，不能签发', { reason: 'report.bad_state' });
  // Four eyes: whoever sent the report for review does not sign it off alone, unless the agency is marked an
  // office of one person (by an administrator; the publication's audit entry says so).
  const samePerson = row.submitted_by === actor.userId;
  if (samePerson && !agency.onePersonOffice) {
    throw new AppError('forbidden', '年度报告须由送审人以外的另一人签发；只有一人办理政府信息公开工作的机关，可由系统管理员在机构信息中标明“一人办公”后由同一人签发', {
      reason: 'report.same_person',
    });
  }
  const narrative = JSON.parse(row.narrative) as Narrative;
  const scope = scopeOption(row, agency);
  const prevBuilt = JSON.parse(row.data!) as BuiltReport;
  const built = await computeAnnualReport(ctx, agency, year, { rollup: scope, narrative, reviewsReading: prevBuilt.reviewsReading });
  const errors = built.report.findings.filter((f) => f.severity === 'error');
  const at = ctx.now();
  const iso = at.toISOString();
  if (errors.length) {
    // Keep the fresh figures and findings so that the office shows what blocks publication.
    await ctx.db.transaction().execute(async (tx) => {
      await repo.updateReport(tx, row.id, { data: JSON.stringify(built), built_at: iso, updated_at: iso });
    });
    const first = errors.slice(0, 5).map((f) => f.message).join('；');
    throw new AppError('unprocessable', `报告存在 ${errors.length} 项错误，不能发布：${first}${errors.length > 5 ? '……' : ''}`, { reason: 'report.has_errors' });
  }
  const today = todayCst(at);
  const revision = row.revision + 1;
  const published: PublishedReport = {
    ...built.report,
    publishedOn: row.published_on ?? today,
    publishedAt: iso,
    revision,
    contributions: built.contributions.length > 1 ? built.contributions : undefined,
    scope: built.scope,
  };
  await ctx.db.transaction().execute(async (tx) => {
    await repo.updateReport(tx, row.id, {
      status: 'published',
      data: JSON.stringify(built),
      built_at: iso,
      signed_by: actor.userId,
      published_on: row.published_on ?? today,
      published_at: iso,
      published: JSON.stringify(published),
      revision,
      updated_at: iso,
    });
    await repo.relockAll(tx, [agency.id], year, iso);
    // The published report, section by section, in the search (replacing an earlier publication's sections).
    await indexReport(tx, reportForSearch(row.id, agency, published));
    await appendAudit(tx, {
      actor,
      agencyId: agency.id,
      action: 'report.publish',
      entity: 'report',
      entityId: row.id,
      data: { year, revision, scope: built.scope, warnings: built.report.findings.length, ...(samePerson ? { onePersonOffice: true } : {}) },
      at,
    });
  });
  return getReportView(ctx, actor, code, year);
}

/** The report page's address (the portal's 年报专栏). */
export const publishedReportUrl = (code: string, year: number) => `/agencies/${encodeURIComponent(code)}/reports/${year}`;

/**
 * A published report as the search sees it: each section (its prose and its table, as the report page renders
 * them) a document of its own, linked to the report page at the section's anchor (render/report-html.tsx).
 */
export function reportForSearch(reportId: number, agency: Agency, report: PublishedReport): ReportForSearch {
  const url = publishedReportUrl(agency.code, report.year);
  return {
    reportId,
    agencyId: agency.id,
    agencyCode: agency.code,
    agencyName: agency.name,
    publishedOn: report.publishedOn,
    title: reportTitle(report, { rollup: (report.scope?.length ?? 0) > 1 }),
    sections: reportSections(report).map((s) => ({
      title: s.title,
      text: [...s.paragraphs, ...(s.table ? [gridText(s.table)] : [])].join('\n'),
      url: `${url}#${reportSectionAnchor(s.key)}`,
    })),
  };
}

/** Index every published report (after a migration, or to repair the index); unchanged reports are not rewritten. */
export async function indexPublishedReports(ctx: Ctx): Promise<number> {
  const agencies = new Map((await listAgencies(ctx)).map((a) => [a.id, a]));
  const rows = await repo.listReports(ctx.db, { publishedOnly: true });
  let n = 0;
  for (const r of rows) {
    const agency = agencies.get(r.agency_id);
    if (!agency || !r.published) continue;
    const report = JSON.parse(r.published) as PublishedReport;
    await ctx.db.transaction().execute((tx) => indexReport(tx, reportForSearch(r.id, agency, report)));
    n++;
  }
  return n;
}

/** 解除锁定: reopen a published year's records for a correction; the reason is kept and audited. */
export async function unlockYear(ctx: Ctx, actor: Actor, code: string, year: number, reason: string): Promise<ReportView> {
  const agency = await getAgency(ctx, code);
  if (!hasRole(actor, agency, ['approver'])) throw new AppError('forbidden', '只有签发人可以解除年度锁定');
  const text = reason.trim();
  if (text.length < 4) throw invalid('请说明解除锁定的理由（至少 4 个字）', [{ field: 'reason', message: '请说明解除锁定的理由（至少 4 个字）' }]);
  if (text.length > 500) throw invalid('理由过长（不超过 500 字）', [{ field: 'reason', message: '理由过长（不超过 500 字）' }]);
  const row = await repo.findReport(ctx.db, agency.id, year);
  if (!row?.published) throw new AppError('conflict', `${year}年度报告尚未发布，年度未锁定`, { reason: 'report.not_locked' });
  if (await repo.openUnlock(ctx.db, agency.id, year)) throw new AppError('conflict', `${year}年度已解除锁定`, { reason: 'report.already_unlocked' });
  const at = ctx.now();
  await ctx.db.transaction().execute(async (tx) => {
    const u = await repo.insertUnlock(tx, { agency_id: agency.id, year, reason: text, unlocked_by: actor.userId, unlocked_at: at.toISOString() });
    await repo.updateReport(tx, row.id, { status: 'draft', updated_at: at.toISOString() });
    await appendAudit(tx, { actor, agencyId: agency.id, action: 'report.unlock', entity: 'report', entityId: row.id, data: { year, unlockId: u.id, reason: text }, at });
  });
  return getReportView(ctx, actor, code, year);
}

/** The year lock moved to its own room (src/modules/year-lock); these names stay for existing callers. */
export { assertYearOpen, assertYearsOpen, type LockedAgency } from '../year-lock/year-lock.service.js';

// ---------------------------------------------------------------------------------------------
// Reading: the portal's 年报专栏, the API, the office list.

export interface PublishedEntry {
  agency: { code: string; name: string; kind: string };
  year: number;
  publishedOn: string;
  revision: number;
  rollup: boolean;
}

export async function listPublished(ctx: Ctx, opts: { agencyCode?: string } = {}): Promise<PublishedEntry[]> {
  const agencies = await listAgencies(ctx);
  const byId = new Map(agencies.map((a) => [a.id, a]));
  const filter = opts.agencyCode ? agencies.filter((a) => a.code === opts.agencyCode).map((a) => a.id) : undefined;
  const rows = await repo.listReports(ctx.db, { agencyIds: filter, publishedOnly: true });
  return rows
    .filter((r) => byId.has(r.agency_id))
    .map((r) => {
      const a = byId.get(r.agency_id)!;
      return { agency: { code: a.code, name: a.name, kind: a.kind }, year: r.year, publishedOn: r.published_on ?? '', revision: r.revision, rollup: r.rollup === 1 };
    })
    .sort((x, y) => y.year - x.year || (x.agency.kind === 'government' ? -1 : 0) - (y.agency.kind === 'government' ? -1 : 0) || x.agency.code.localeCompare(y.agency.code));
}

export async function getPublished(ctx: Ctx, code: string, year: number): Promise<{ agency: Agency; report: PublishedReport }> {
  const agency = await getAgency(ctx, code);
  const row = await repo.findReport(ctx.db, agency.id, year);
  if (!row?.published) throw new AppError('not_found', `${agency.name}${year}年度报告尚未发布`);
  return { agency, report: JSON.parse(row.published) as PublishedReport };
}

/**
 * The report for the API: the published one; staff who may read the agency ask for `draft` (the working copy)
 * or `computed` (freshly computed from the records, nothing saved). The facts behind the drafted prose are not
 * part of the answer (the API's response schema never carried them).
 */
export async function reportForApi(ctx: Ctx, actor: Actor | null, code: string, year: number, version: 'published' | 'draft' | 'computed', rollup?: boolean) {
  if (version === 'published') return (await getPublished(ctx, code, year)).report;
  if (!actor) throw new AppError('unauthenticated', '查看未发布的报告需要 API 令牌');
  const agency = await getAgency(ctx, code);
  assertCanRead(actor, agency);
  if (version === 'computed') {
    const built = await computeAnnualReport(ctx, agency, year, { rollup });
    return { ...built.report, status: 'computed', contributions: built.contributions, scope: built.scope };
  }
  const row = await repo.findReport(ctx.db, agency.id, year);
  if (!row?.data) throw new AppError('not_found', `${agency.name}${year}年度报告尚未生成`);
  const built = JSON.parse(row.data) as BuiltReport;
  return { ...built.report, status: row.status, contributions: built.contributions, scope: built.scope };
}

export interface OfficeReportRow {
  agency: Agency;
  year: number;
  status: ReportStatus | 'none';
  deadline: string;
  deadlineState: DeadlineState;
  errors: number;
  warnings: number;
  publishedOn: string | null;
}

/** The office list: for each agency the account works for (or reads), the reports of recent years. */
export async function officeReports(ctx: Ctx, actor: Actor, years: number[]): Promise<OfficeReportRow[]> {
  const agencies = (await listAgencies(ctx)).filter((a) => canRead(actor, a));
  const rows = await repo.listReports(ctx.db, { agencyIds: isAdmin(actor) ? undefined : agencies.map((a) => a.id) });
  const today = todayCst(ctx.now());
  const out: OfficeReportRow[] = [];
  for (const year of years) {
    for (const a of agencies) {
      const r = rows.find((x) => x.agency_id === a.id && x.year === year);
      const built = r?.data ? (JSON.parse(r.data) as BuiltReport) : null;
      const f = built?.report.findings ?? [];
      out.push({
        agency: a,
        year,
        status: (r?.status as ReportStatus | undefined) ?? 'none',
        deadline: reportDeadline(a.kind, year),
        deadlineState: deadlineState(a.kind, year, r?.published_on ?? null, today),
        errors: f.filter((x) => x.severity === 'error').length,
        warnings: f.filter((x) => x.severity === 'warning').length,
        publishedOn: r?.published_on ?? null,
      });
    }
  }
  return out;
}

/** Reports (working copies and published) of the given agencies and year, for the oversight workspace. */
export async function reportsOfYear(ctx: Ctx, agencyIds: number[], year: number) {
  const rows = await repo.listReports(ctx.db, { agencyIds, year });
  return rows.map((r) => {
    const built = r.data ? (JSON.parse(r.data) as BuiltReport) : null;
    return { agencyId: r.agency_id, status: r.status as ReportStatus, publishedOn: r.published_on, findings: built?.report.findings ?? [] };
  });
}

/** Open and overdue requests, and concluded review cases since a date, per agency (oversight). */
export const openRequestCounts = (ctx: Ctx, agencyIds: number[], today: string) => requestsRead.openRequestCounts(ctx.db, agencyIds, today);
export const concludedCases = (ctx: Ctx, agencyIds: number[], since: string) => reviewsRead.concludedCases(ctx.db, agencyIds, since);
export const outcomeCounts = (ctx: Ctx, agencyIds: number[], year: number) => requestsRead.countOutcomes(ctx.db, agencyIds, reportPeriod(year));

export { getAgencyById, requestRowLabels, OUTCOME_KEYS };

// ---------------------------------------------------------------------------------------------
// Output: the report in every format, from the same model.

export const REPORT_FORMATS = ['json', 'html', 'docx', 'pdf', 'xlsx', 'txt'] as const;
export type ReportOutputFormat = (typeof REPORT_FORMATS)[number];

export const REPORT_CONTENT_TYPES: Record<ReportOutputFormat, string> = {
  json: 'application/json; charset=utf-8',
  html: 'text/html; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  txt: 'text/plain; charset=utf-8',
};

/** The usual lead-in (statistics period, where to read it, whom to ask), from the agency's contact block. */
export function reportPreface(agency: Agency, year: number, siteName?: string): string {
  const contact = [
    agency.address ? `联系地址：${agency.address}` : '',
    agency.postcode ? `邮编：${agency.postcode}` : '',
    agency.phone ? `联系电话：${agency.phone}` : '',
    agency.email ? `电子邮箱：${agency.email}` : '',
  ].filter(Boolean);
  return (
    // The format of the report's own year (src/law/report-format.ts): the 2019 trial format for 2020 and earlier.
    (formatForYear(year) === '2021'
      ? '本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）要求编制。'
      : '本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《中华人民共和国政府信息公开工作年度报告格式（试行）》（国办公开办函〔2019〕60号）要求编制。') +
    `本报告所列数据的统计期限自${year}年1月1日起至${year}年12月31日止。` +
    `本报告电子版可在${siteName ?? '政府门户网站'}“政府信息公开年报”专栏查阅${agency.website ? `（${agency.website}）` : ''}。` +
    (contact.length ? `如对本报告有疑问，请与${agency.officeName ?? agency.name}联系（${contact.join('，')}）。` : '')
  );
}

/** The contract's Report JSON: exactly the model (agency, year, format, tables, narrative, findings). */
export const reportJson = (report: AnnualReport): AnnualReport => reportContractJson(report);

export async function renderReport(
  report: AnnualReport,
  format: ReportOutputFormat,
  opts: { preface?: string; dateLine?: string; rollup?: boolean; draft?: boolean } = {},
): Promise<Buffer> {
  const render = await import('./reports.render.js');
  // A working copy is marked 草稿 with its open findings; a roll-up is titled （汇总）.
  return render.renderAs(report, format, { ...opts, draft: opts.draft ? { findings: report.findings } : undefined });
}

/** The date line (落款) of a published report: '2023年1月20日'. */
export function chineseDateLine(iso: string | null | undefined): string | undefined {
  if (!iso) return undefined;
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** The prose and the scope (units summed) of the agency's working copy for the year, if one was started. */
export async function savedOptions(ctx: Ctx, agency: Agency, year: number): Promise<{ narrative?: Narrative; rollup?: string[] }> {
  const row = await repo.findReport(ctx.db, agency.id, year);
  return row ? { narrative: JSON.parse(row.narrative) as Narrative, rollup: scopeOption(row, agency) } : {};
}
