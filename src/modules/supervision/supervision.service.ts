/**
 * 督办: an oversight office (a supervisor's agency) demands that an agency below it act — on named overdue
 * requests, on a late or faulty annual report (the findings of the report rules, as `gongkai check` gives them),
 * or on a free-text matter — by a deadline. The agency answers with text and files; the office accepts the
 * answer (closed) or returns it (the agency answers again). Every step is in the audit log and notified to the
 * other side; both sides list them; counts per agency and year feed 考核 and the export.
 *
 * Who: the office is the supervisor's agency; the agency must be strictly below it (else 403, nothing written).
 * The agency's staff (any role but supervisor) answer; the office's supervisors accept or return.
 */
import { createHash } from 'node:crypto';
import { extname } from 'node:path';
import { AppError, invalid, notFound } from '../../errors.js';
import { isIsoDate } from '../../law/calendar.js';
import { canRead, isAdmin } from '../accounts/access.js';
import { getAgency, getAgencyById, readableAgencies, type Agency } from '../agencies/agencies.service.js';
import { appendAudit } from '../audit-log/audit-log.service.js';
import { todayCst, type Actor, type Ctx, type Grant } from '../context.js';
import { ALLOWED_EXTENSIONS_LABEL, ALLOWED_TYPES, sniff } from '../disclosure/attachments.service.js';
import { notifyRole } from '../notifications/notifications.service.js';
import { OVERSIGHT_STATE_LABELS, oversight } from '../oversight/oversight.service.js';
import { requestsByIds, requestsByTrackingNos } from '../requests/notices.service.js';
import * as repo from './supervision.repository.js';

export type { SupervisionRow, StepRow, YearCount } from './supervision.repository.js';

export const MATTERS = ['requests', 'report', 'other'] as const;
export type Matter = (typeof MATTERS)[number];
export const MATTER_LABELS: Record<Matter, string> = {
  requests: '依申请公开超期未答复',
  report: '年度报告逾期或存在错误',
  other: '其他事项',
};
export const SUPERVISION_STATUS_LABELS: Record<repo.SupervisionRow['status'], string> = {
  open: '待答复',
  answered: '已答复，待审核',
  returned: '已退回，待重新答复',
  accepted: '已办结',
};
export const STEP_LABELS: Record<string, string> = { open: '发起督办', answer: '答复', return: '退回', accept: '认可办结' };

const MAX_FILES = 5;

/** The supervisor grant that makes the actor an office over `agency` (nearest ancestor), if any. */
function officeGrant(actor: Actor, agency: { id: number; path: string }): Grant | undefined {
  return actor.grants
    .filter((g) => g.role === 'supervisor' && g.agencyId !== agency.id && agency.path.startsWith(g.agencyPath))
    .sort((a, b) => b.agencyPath.length - a.agencyPath.length)[0];
}

/** Any supervisor grant on the office itself or above it. */
function isOfficeOf(actor: Actor, office: { id: number; path: string }): boolean {
  return actor.grants.some((g) => g.role === 'supervisor' && office.path.startsWith(g.agencyPath));
}

/** The agency's own staff: any role but supervisor on the agency itself. */
function isStaffOf(actor: Actor, agencyId: number): boolean {
  return actor.grants.some((g) => g.agencyId === agencyId && g.role !== 'supervisor' && g.role !== 'admin');
}

const line = (v: unknown, max: number) => (typeof v === 'string' ? v.replace(/\s+/g, ' ').trim().slice(0, max) : '');
const text = (v: unknown, max: number) => (typeof v === 'string' ? v.replace(/\r\n/g, '\n').trim().slice(0, max) : '');

export interface OpenInput {
  agency?: string;
  matter?: string;
  title?: string;
  details?: string;
  /** matter = requests: tracking numbers (array, or one per line). */
  trackingNos?: string | string[];
  /** matter = report: the report's year. */
  reportYear?: string | number;
  deadline?: string;
}

export async function openSupervision(ctx: Ctx, actor: Actor, input: OpenInput): Promise<number> {
  const agency = await getAgency(ctx, line(input.agency, 60));
  const grant = officeGrant(actor, agency);
  if (!grant) throw new AppError('forbidden', `只有${agency.name}的上级监督检查机构可以对其发起督办`, { reason: 'supervision.outside_tree' });
  const today = todayCst(ctx.now());
  const fields: { field: string; message: string }[] = [];
  const matter = line(input.matter, 20) as Matter;
  if (!MATTERS.includes(matter)) fields.push({ field: 'matter', message: '请选择督办事项类型' });
  const deadline = line(input.deadline, 10);
  if (!isIsoDate(deadline)) fields.push({ field: 'deadline', message: '请填写办理期限（YYYY-MM-DD）' });
  else if (deadline < today) fields.push({ field: 'deadline', message: `办理期限不能早于今天（${today}）` });
  let title = line(input.title, 200);
  const details = text(input.details, 5000);
  let requestIds: number[] | null = null;
  let reportYear: number | null = null;
  let findings: string | null = null;
  if (matter === 'requests') {
    const nos = [...new Set((Array.isArray(input.trackingNos) ? input.trackingNos : String(input.trackingNos ?? '').split(/[\s,，、；;]+/)).map((s) => String(s).trim()).filter(Boolean))].slice(0, 200);
    const found = await requestsByTrackingNos(ctx, agency.id, nos);
    const missing = nos.filter((n) => !found.some((f) => f.trackingNo === n));
    if (!nos.length) fields.push({ field: 'trackingNos', message: '请填写被督办申请的受理编号' });
    else if (missing.length) fields.push({ field: 'trackingNos', message: `${agency.name}没有这些受理编号的申请：${missing.slice(0, 5).join('、')}` });
    requestIds = found.map((f) => f.id).sort((a, b) => a - b);
    title ||= `${found.length} 件依申请公开申请超期未答复`;
  } else if (matter === 'report') {
    const y = Number(input.reportYear);
    if (!Number.isInteger(y) || y < 2008 || y > Number(today.slice(0, 4))) fields.push({ field: 'reportYear', message: '请填写年度报告的年度' });
    else {
      reportYear = y;
      const row = (await oversight(ctx, actor, { year: y })).rows.find((r) => r.agency.id === agency.id);
      if (row) {
        findings = JSON.stringify({
          reportState: OVERSIGHT_STATE_LABELS[row.reportState],
          deadline: row.deadline,
          findings: row.findings.filter((f) => f.severity !== 'info').slice(0, 30).map((f) => ({ severity: f.severity, message: f.message })),
        });
        title ||= `${y}年度政府信息公开工作年度报告（${OVERSIGHT_STATE_LABELS[row.reportState]}，${row.findings.filter((f) => f.severity === 'error').length} 处错误）`;
      }
    }
  } else if (matter === 'other') {
    if (!title) fields.push({ field: 'title', message: '请填写督办事项' });
    if (!details) fields.push({ field: 'details', message: '请填写督办要求' });
  }
  if (fields.length) throw invalid(fields.map((f) => f.message).join('；'), fields, 'supervision.invalid');
  const at = ctx.now();
  const id = await ctx.db.transaction().execute(async (tx) => {
    const id = await repo.insert(tx, {
      office_agency_id: grant.agencyId,
      agency_id: agency.id,
      year: Number(today.slice(0, 4)),
      matter,
      title,
      details: details || '请按期办理并书面答复。',
      request_ids: requestIds ? JSON.stringify(requestIds) : null,
      report_year: reportYear,
      findings,
      deadline,
      status: 'open',
      first_answered_on: null,
      accepted_on: null,
      opened_by: actor.userId,
      created_at: at.toISOString(),
      updated_at: at.toISOString(),
    });
    await repo.insertStep(tx, { supervisionId: id, step: 'open', on: today, text: details || '请按期办理并书面答复。', actorId: actor.userId, at: at.toISOString() });
    await appendAudit(tx, { actor, agencyId: agency.id, action: 'supervision.open', entity: 'supervision', entityId: id, data: { office: grant.agencyCode, matter, title, deadline, requestIds, reportYear }, at });
    return id;
  });
  await notifyRole(ctx, { key: `supervision.open:s${id}`, agencyId: agency.id, roles: ['approver', 'handler', 'editor'], title: `督办：${title}`, body: `上级监督检查机构对本机构发起督办（${MATTER_LABELS[matter]}），请于 ${deadline} 前答复。`, link: `/office/supervision/${id}` });
  return id;
}

export interface Upload {
  fileName: string;
  data: Buffer;
  truncated: boolean;
}

async function load(ctx: Ctx, id: number): Promise<repo.SupervisionRow> {
  const s = Number.isInteger(id) && id > 0 && id <= 2_147_483_647 ? await repo.findById(ctx.db, id) : undefined;
  if (!s) throw notFound('督办');
  return s;
}

export async function answerSupervision(ctx: Ctx, actor: Actor, id: number, input: { text?: string; files?: Upload[] }, limits: { maxBytes: number }): Promise<void> {
  const s = await load(ctx, id);
  if (!isStaffOf(actor, s.agencyId)) throw new AppError('forbidden', `只有${s.agencyName}的工作人员可以答复该督办`);
  if (s.status !== 'open' && s.status !== 'returned') throw new AppError('conflict', `该督办${SUPERVISION_STATUS_LABELS[s.status]}，不能再答复`, { reason: 'supervision.not_open' });
  const body = text(input.text, 10_000);
  const fields: { field: string; message: string }[] = [];
  if (!body) fields.push({ field: 'text', message: '请填写答复内容' });
  const files = (input.files ?? []).filter((f) => f.fileName || f.data.length);
  if (files.length > MAX_FILES) fields.push({ field: 'files', message: `最多上传 ${MAX_FILES} 个文件` });
  const checked: { fileName: string; mediaType: string; data: Buffer }[] = [];
  for (const f of files) {
    const name = f.fileName.replace(/^.*[\\/]/, '').slice(-120) || '附件';
    const ext = extname(name).slice(1).toLowerCase();
    const allowed = ALLOWED_TYPES[ext];
    if (f.truncated || f.data.length > limits.maxBytes) fields.push({ field: 'files', message: `文件“${name}”超过大小上限` });
    else if (!f.data.length) fields.push({ field: 'files', message: `文件“${name}”是空的` });
    else if (!allowed) fields.push({ field: 'files', message: `不允许上传 .${ext || '（无扩展名）'} 文件；允许：${ALLOWED_EXTENSIONS_LABEL}` });
    else if (sniff(f.data) !== allowed.kind) fields.push({ field: 'files', message: `文件“${name}”的内容与扩展名 .${ext} 不符` });
    else checked.push({ fileName: name, mediaType: allowed.mediaType, data: f.data });
  }
  if (fields.length) throw invalid(fields.map((f) => f.message).join('；'), fields, 'supervision.answer');
  const at = ctx.now();
  const today = todayCst(at);
  await ctx.db.transaction().execute(async (tx) => {
    const cur = (await repo.findById(tx, id))!;
    if (cur.status !== 'open' && cur.status !== 'returned') throw new AppError('conflict', '该督办已答复', { reason: 'supervision.not_open' });
    const stepId = await repo.insertStep(tx, { supervisionId: id, step: 'answer', on: today, text: body, actorId: actor.userId, at: at.toISOString() });
    const stored = [];
    for (const f of checked) {
      const sha256 = createHash('sha256').update(f.data).digest('hex');
      await repo.insertFile(tx, { supervisionId: id, stepId, fileName: f.fileName, mediaType: f.mediaType, data: f.data, sha256, at: at.toISOString() });
      stored.push({ fileName: f.fileName, size: f.data.length, sha256 });
    }
    await repo.update(tx, id, { status: 'answered', first_answered_on: cur.firstAnsweredOn ?? today, updated_at: at.toISOString() });
    await appendAudit(tx, { actor, agencyId: s.agencyId, action: 'supervision.answer', entity: 'supervision', entityId: id, data: { files: stored, onTime: today <= s.deadline }, at });
  });
  await notifyRole(ctx, { key: `supervision.answer:s${id}:${at.toISOString()}`, agencyId: s.officeAgencyId, roles: ['supervisor'], title: `督办已答复：${s.title}`, body: `${s.agencyName}已答复督办“${s.title}”（期限 ${s.deadline}），请审核。`, link: `/office/supervision/${id}` });
}

async function review(ctx: Ctx, actor: Actor, id: number, step: 'accept' | 'return', input: { text?: string }): Promise<void> {
  const s = await load(ctx, id);
  const office = await getAgencyById(ctx, s.officeAgencyId);
  if (!isOfficeOf(actor, office)) throw new AppError('forbidden', `只有${s.officeName}的监督检查人员可以审核该督办的答复`);
  if (s.status !== 'answered') throw new AppError('conflict', `该督办${SUPERVISION_STATUS_LABELS[s.status]}，没有待审核的答复`, { reason: 'supervision.not_answered' });
  const body = text(input.text, 5000);
  if (step === 'return' && !body) throw invalid('请填写退回理由', [{ field: 'text', message: '请填写退回理由' }], 'supervision.return_reason');
  const at = ctx.now();
  const today = todayCst(at);
  await ctx.db.transaction().execute(async (tx) => {
    await repo.insertStep(tx, { supervisionId: id, step, on: today, text: body || '答复已认可，督办办结。', actorId: actor.userId, at: at.toISOString() });
    await repo.update(tx, id, step === 'accept' ? { status: 'accepted', accepted_on: today, updated_at: at.toISOString() } : { status: 'returned', updated_at: at.toISOString() });
    await appendAudit(tx, { actor, agencyId: s.agencyId, action: `supervision.${step}`, entity: 'supervision', entityId: id, data: step === 'return' ? { reason: body } : {}, at });
  });
  await notifyRole(ctx, {
    key: `supervision.${step}:s${id}:${at.toISOString()}`,
    agencyId: s.agencyId,
    roles: ['approver', 'handler', 'editor'],
    title: step === 'accept' ? `督办已办结：${s.title}` : `督办答复被退回：${s.title}`,
    body: step === 'accept' ? `${s.officeName}已认可本机构的答复，督办办结。` : `${s.officeName}退回了本机构的答复：${body}。请于 ${s.deadline} 前重新答复。`,
    link: `/office/supervision/${id}`,
  });
}

export const acceptSupervision = (ctx: Ctx, actor: Actor, id: number, input: { text?: string } = {}) => review(ctx, actor, id, 'accept', input);
export const returnSupervision = (ctx: Ctx, actor: Actor, id: number, input: { text?: string }) => review(ctx, actor, id, 'return', input);

export interface SupervisionView {
  s: repo.SupervisionRow;
  steps: repo.StepRow[];
  requests: { id: number; trackingNo: string; subject: string; dueOn: string | null; status: string }[];
  canAnswer: boolean;
  canReview: boolean;
  overdue: boolean;
}

export async function getSupervision(ctx: Ctx, actor: Actor, id: number): Promise<SupervisionView> {
  const s = await load(ctx, id);
  if (!canRead(actor, { id: s.agencyId, path: s.agencyPath })) throw new AppError('forbidden', '您无权查看该督办');
  const office = await getAgencyById(ctx, s.officeAgencyId);
  const today = todayCst(ctx.now());
  return {
    s,
    steps: await repo.stepsOf(ctx.db, id),
    requests: await requestsByIds(ctx, s.requestIds),
    canAnswer: isStaffOf(actor, s.agencyId) && (s.status === 'open' || s.status === 'returned'),
    canReview: isOfficeOf(actor, office) && s.status === 'answered',
    overdue: s.status !== 'accepted' && !s.firstAnsweredOn && today > s.deadline,
  };
}

export async function supervisionFile(ctx: Ctx, actor: Actor, fileId: number) {
  const f = Number.isInteger(fileId) && fileId > 0 && fileId <= 2_147_483_647 ? await repo.findFile(ctx.db, fileId) : undefined;
  if (!f) throw notFound('文件');
  const s = await load(ctx, f.supervisionId);
  if (!canRead(actor, { id: s.agencyId, path: s.agencyPath })) throw new AppError('forbidden', '您无权查看该文件');
  return f;
}

/** What the actor may see: supervisions on agencies below its supervisor grants, and on its own agencies. */
export async function listSupervisions(ctx: Ctx, actor: Actor, opts: { year?: number } = {}): Promise<repo.SupervisionRow[]> {
  return repo.list(ctx.db, {
    all: isAdmin(actor),
    paths: actor.grants.filter((g) => g.role === 'supervisor').map((g) => g.agencyPath),
    agencyIds: actor.grants.map((g) => g.agencyId),
    year: opts.year,
    limit: 2000,
  });
}

/** Counts per agency and year over the agencies the actor may read (or the given ones). */
export async function supervisionCounts(ctx: Ctx, actor: Actor, opts: { year?: number; agencies?: Agency[] } = {}): Promise<(repo.YearCount & { agency: Agency })[]> {
  const agencies = opts.agencies ?? (await readableAgencies(ctx, actor));
  const byId = new Map(agencies.map((a) => [a.id, a]));
  const counts = await repo.countsByAgencyYear(ctx.db, agencies.map((a) => a.id), opts.year);
  return counts.map((c) => ({ ...c, agency: byId.get(c.agencyId)! }));
}

/** The agencies below the actor's supervisor grants (where it may open a 督办). */
export async function supervisableAgencies(ctx: Ctx, actor: Actor): Promise<Agency[]> {
  return (await readableAgencies(ctx, actor)).filter((a) => officeGrant(actor, a));
}

/** The rows of the export (CSV / XLSX), in Chinese. */
export const EXPORT_HEADER = ['编号', '督办机构', '被督办机构', '年度', '事项类型', '督办事项', '办理期限', '状态', '首次答复日期', '是否按期答复', '办结日期'];
export function exportRows(rows: repo.SupervisionRow[], today: string): (string | number)[][] {
  return rows.map((s) => [
    s.id,
    s.officeName,
    s.agencyName,
    s.year,
    MATTER_LABELS[s.matter],
    s.title,
    s.deadline,
    SUPERVISION_STATUS_LABELS[s.status],
    s.firstAnsweredOn ?? '',
    s.firstAnsweredOn ? (s.firstAnsweredOn <= s.deadline ? '是' : '否（逾期答复）') : today > s.deadline ? '否（逾期未答复）' : '未到期',
    s.acceptedOn ?? '',
  ]);
}

/** 考核: per agency, 督办 opened in the year and how many first answered by their deadline. */
export async function supervisionTimeliness(ctx: Ctx, agencyIds: number[], year: number): Promise<{ agencyId: number; opened: number; onTime: number }[]> {
  return (await repo.countsByAgencyYear(ctx.db, agencyIds, year)).map((c) => ({ agencyId: c.agencyId, opened: c.opened, onTime: c.answeredOnTime }));
}

/** The 督办 of one agency opened in the year (the records behind supervisionTimeliness). */
export async function supervisionsOfAgency(ctx: Ctx, agencyId: number, year: number): Promise<repo.SupervisionRow[]> {
  return repo.list(ctx.db, { all: false, paths: [], agencyIds: [agencyId], year, limit: 1000 });
}

/** The 工作台's share: 督办 the actor's agencies must answer, and answers the actor's office must review. */
export async function supervisionsToAct(ctx: Ctx, actor: Actor): Promise<{ toAnswer: repo.SupervisionRow[]; toReview: repo.SupervisionRow[] }> {
  const rows = await listSupervisions(ctx, actor);
  const offices = actor.grants.filter((g) => g.role === 'supervisor');
  return {
    toAnswer: rows.filter((s) => (s.status === 'open' || s.status === 'returned') && isStaffOf(actor, s.agencyId)),
    toReview: rows.filter((s) => s.status === 'answered' && offices.some((g) => g.agencyId === s.officeAgencyId || s.agencyPath.startsWith(g.agencyPath))),
  };
}
