/**
 * 行政复议和行政诉讼 (条例第51条; table 四 of the annual report): cases about the agency's disclosure work,
 * linked to the request they concern. Kind: reconsideration | litigation_direct (未经复议直接起诉) |
 * litigation_after_reconsideration (复议后起诉); result: upheld (维持) | corrected (纠正) | other | pending
 * (尚未审结). A 纠正 result reopens the original request for re-handling (requests.service).
 */
import { isRowId } from '../../db/dialect.js';
import { AppError, invalid, notFound, type FieldError } from '../../errors.js';
import { isIsoDate } from '../../law/calendar.js';
import { assertCanRead, hasRole } from '../accounts/access.js';
import { getAgency, getAgencyById, readableAgencies, type Agency } from '../agencies/agencies.service.js';
import { assertYearsOpen } from '../year-lock/year-lock.service.js';
import { appendAudit } from '../audit-log/audit-log.service.js';
import type { Actor, Ctx } from '../context.js';
import { findRequestForReview, officialCalendar, reopenForRehandling, requestSummary } from '../requests/requests.service.js';
import * as repo from './reviews.repository.js';
import type { ReviewCase } from './reviews.repository.js';

export type { ReviewCase };

export const REVIEW_KINDS = ['reconsideration', 'litigation_direct', 'litigation_after_reconsideration'] as const;
export const REVIEW_KIND_LABELS: Record<(typeof REVIEW_KINDS)[number], string> = {
  reconsideration: '行政复议',
  litigation_direct: '行政诉讼（未经复议直接起诉）',
  litigation_after_reconsideration: '行政诉讼（复议后起诉）',
};
export const REVIEW_RESULTS = ['upheld', 'corrected', 'other', 'pending'] as const;
export const REVIEW_RESULT_LABELS: Record<(typeof REVIEW_RESULTS)[number], string> = {
  upheld: '结果维持',
  corrected: '结果纠正',
  other: '其他结果',
  pending: '尚未审结',
};

export interface ReviewInput {
  agency?: string;
  /** The request it concerns: by id or by tracking number. */
  requestId?: number | null;
  trackingNo?: string;
  kind?: string;
  caseNo?: string;
  body?: string;
  filedOn?: string;
  result?: string;
  concludedOn?: string;
  notes?: string;
}

const clean = (s: string | undefined | null) => (s && s.trim() ? s.trim() : null);

function assertCanRecord(actor: Actor, agency: { id: number; path: string }): void {
  if (!hasRole(actor, agency, ['handler'])) throw new AppError('forbidden', '您没有登记该机构行政复议和行政诉讼案件的权限（需要依申请公开承办人角色）');
}

async function resolve(ctx: Ctx, actor: Actor, input: ReviewInput, existing?: ReviewCase) {
  const f: FieldError[] = [];
  const kind = input.kind ?? existing?.kind;
  const result = input.result ?? existing?.result ?? 'pending';
  const filedOn = input.filedOn ?? existing?.filedOn;
  const concludedOn = input.concludedOn !== undefined ? clean(input.concludedOn) : (existing?.concludedOn ?? null);
  if (!kind || !(REVIEW_KINDS as readonly string[]).includes(kind)) f.push({ field: 'kind', message: '请选择案件类型：行政复议、直接起诉或复议后起诉' });
  if (!(REVIEW_RESULTS as readonly string[]).includes(result)) f.push({ field: 'result', message: '结果应为维持、纠正、其他或尚未审结之一' });
  if (!isIsoDate(filedOn)) f.push({ field: 'filedOn', message: '请填写受理（立案）日期，格式 YYYY-MM-DD' });
  if (result === 'pending' && concludedOn) f.push({ field: 'concludedOn', message: '尚未审结的案件不应填写审结日期' });
  if (result !== 'pending' && !concludedOn) f.push({ field: 'concludedOn', message: '已审结的案件请填写审结日期' });
  if (concludedOn && !isIsoDate(concludedOn)) f.push({ field: 'concludedOn', message: '审结日期格式应为 YYYY-MM-DD' });
  if (concludedOn && isIsoDate(filedOn) && isIsoDate(concludedOn) && concludedOn < filedOn) f.push({ field: 'concludedOn', message: `审结日期 ${concludedOn} 早于受理日期 ${filedOn}` });

  let request: Awaited<ReturnType<typeof requestSummary>>;
  const tracking = clean(input.trackingNo);
  if (tracking) {
    request = await findRequestForReview(ctx, actor, tracking);
    if (!request) f.push({ field: 'trackingNo', message: `未找到登记编号为“${tracking}”的申请` });
  } else if (input.requestId) {
    request = await requestSummary(ctx.db, input.requestId);
    if (!request) f.push({ field: 'trackingNo', message: '所涉申请不存在' });
  } else if (existing?.requestId && input.requestId !== null) request = await requestSummary(ctx.db, existing.requestId);

  let agency: Agency | undefined;
  if (request) agency = await getAgencyById(ctx, request.agencyId);
  else if (existing) agency = await getAgencyById(ctx, existing.agencyId);
  else if (input.agency) agency = await getAgency(ctx, input.agency).catch(() => undefined);
  else agency = await getAgencyById(ctx, actor.agencyId);
  if (!agency) f.push({ field: 'agency', message: `机构“${input.agency}”不存在` });
  if (request && isIsoDate(filedOn) && filedOn < request.receivedOn) f.push({ field: 'filedOn', message: `受理日期 ${filedOn} 早于所涉申请的收到日期 ${request.receivedOn}` });
  if (request && existing && request.agencyId !== existing.agencyId) f.push({ field: 'trackingNo', message: '所涉申请不属于本案件的机构' });
  if (f.length) throw invalid(f.map((x) => x.message).join('；'), f, 'review.invalid');
  return {
    agency: agency!,
    request,
    values: { requestId: request?.id ?? null, kind: kind!, caseNo: input.caseNo !== undefined ? clean(input.caseNo) : (existing?.caseNo ?? null), body: input.body !== undefined ? clean(input.body) : (existing?.body ?? null), filedOn: filedOn!, result, concludedOn: result === 'pending' ? null : concludedOn, notes: input.notes !== undefined ? clean(input.notes) : (existing?.notes ?? null) },
  };
}

export async function createReviewCase(ctx: Ctx, actor: Actor, input: ReviewInput): Promise<ReviewCase> {
  const { agency, values } = await resolve(ctx, actor, input);
  assertCanRecord(actor, agency);
  const cal = await officialCalendar(ctx);
  return ctx.db.transaction().execute(async (tx) => {
    const at = ctx.now();
    await assertYearsOpen(tx, agency.id, [values.filedOn, values.concludedOn]);
    const id = await repo.insert(tx, { ...values, agencyId: agency.id }, at.toISOString());
    if (values.result === 'corrected' && values.requestId) await reopenForRehandling(ctx, tx, cal, actor, values.requestId, values.concludedOn!, id);
    await appendAudit(tx, { actor, agencyId: agency.id, action: 'review.create', entity: 'review_case', entityId: id, data: { kind: values.kind, result: values.result, filedOn: values.filedOn, concludedOn: values.concludedOn, requestId: values.requestId }, at });
    return (await repo.findById(tx, id))!;
  });
}

export async function updateReviewCase(ctx: Ctx, actor: Actor, id: number, input: ReviewInput): Promise<ReviewCase> {
  const existing = await getReviewCase(ctx, actor, id);
  const { agency, values } = await resolve(ctx, actor, input, existing);
  assertCanRecord(actor, agency);
  const cal = await officialCalendar(ctx);
  return ctx.db.transaction().execute(async (tx) => {
    const at = ctx.now();
    await assertYearsOpen(tx, agency.id, [existing.filedOn, existing.concludedOn, values.filedOn, values.concludedOn]);
    await repo.update(tx, id, values, at.toISOString());
    if (values.result === 'corrected' && existing.result !== 'corrected' && values.requestId) await reopenForRehandling(ctx, tx, cal, actor, values.requestId, values.concludedOn!, id);
    const changed = Object.keys(values).filter((k) => (values as Record<string, unknown>)[k] !== (existing as unknown as Record<string, unknown>)[k]);
    await appendAudit(tx, { actor, agencyId: agency.id, action: 'review.update', entity: 'review_case', entityId: id, data: { changed, result: values.result, concludedOn: values.concludedOn }, at });
    return (await repo.findById(tx, id))!;
  });
}

export async function getReviewCase(ctx: Ctx, actor: Actor, id: number): Promise<ReviewCase> {
  const c = isRowId(id) ? await repo.findById(ctx.db, id) : undefined;
  if (!c) throw notFound('案件');
  const agency = await getAgencyById(ctx, c.agencyId);
  assertCanRead(actor, agency);
  return c;
}

export interface ReviewList {
  cases: ReviewCase[];
  agencies: Agency[];
  counts: { kind: string; result: string; n: number }[];
  canRecord: boolean;
}

export async function listReviewCases(ctx: Ctx, actor: Actor, q: { agency?: string; year?: number; kind?: string; result?: string }): Promise<ReviewList> {
  const agencies = await readableAgencies(ctx, actor);
  let ids = agencies.map((a) => a.id);
  if (q.agency) {
    const a = agencies.find((x) => x.code === q.agency);
    if (!a) throw new AppError('forbidden', '您无权查看该机构的案件');
    ids = [a.id];
  }
  const [cases, counts] = await Promise.all([repo.list(ctx.db, { agencyIds: ids, year: q.year, kind: q.kind, result: q.result }), repo.countByKindResult(ctx.db, ids)]);
  return { cases, agencies, counts, canRecord: agencies.some((a) => hasRole(actor, a, ['handler'])) };
}
