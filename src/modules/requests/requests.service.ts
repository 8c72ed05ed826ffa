/**
 * 依申请公开 use cases: a citizen or organisation files a request (portal) or staff register one received
 * otherwise (条例第29条、第31条); handlers act on it (补正, 征求意见, 延期, 收费, 答复 — the contract's actions)
 * while the reply clock (src/law/reply-clock.ts) is recomputed from the events in the same transaction;
 * letters (src/render/letters.ts) are built from the record; a 纠正 review result reopens it (reviews module);
 * 更正 requests (第41条) are their own kind.
 *
 * Personal data of applicants is shown only to handlers of the agency (and admins); never written to the
 * audit log (field names only).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isRowId } from '../../db/dialect.js';
import { AppError, invalid, notFound, type FieldError } from '../../errors.js';
import type { Executor } from '../../db/database.js';
import { isIsoDate, type Calendar } from '../../law/calendar.js';
import { FEE_METHODS, FEE_METHOD_LABELS, computeFee, type FeeMethod, type FeeResult } from '../../law/fees.js';
import {
  APPLICANT_KIND_LABELS,
  OUTCOMES,
  REQUEST_CHANNELS,
  isApplicantKind,
  isOutcomeKey,
  isRequestChannel,
  outcomeDisplayLabel,
  type OutcomeKey,
} from '../../law/outcomes.js';
import { CLOCK_ACTIONS, CLOCK_ACTION_LABELS, REPLY_CLOCK_REFUSALS, type ActionRefusal, type ClockEvent, type RefusalCode } from '../../law/reply-clock.js';
import { isValidIdNumber, maskEmail, maskIdNumber, maskPhone } from '../../law/screening.js';
import type { LetterInput, LetterKind } from '../../render/letters.js';
import { assertCanRead, canRead, hasRole, isAdmin } from '../accounts/access.js';
import { getAgency, getAgencyById, readableAgencies, type Agency } from '../agencies/agencies.service.js';
import { assertYearsOpen } from '../reports/reports.service.js';
import { appendAudit, type AuditInput } from '../audit-log/audit-log.service.js';
import { loadCalendar } from '../calendar/calendar.service.js';
import { todayCst, type Actor, type Ctx } from '../context.js';
import { clockView, currentClock, refusalsOf, type ClockView } from './requests.clock.js';
import * as repo from './requests.repository.js';
import type { Applicant, EventRow, RequestRow, ReviewCaseRow } from './requests.repository.js';

export type { Applicant, EventRow, RequestRow, ReviewCaseRow, ClockView };

// ---------------------------------------------------------------------------------------------
// Vocabulary of the forms (第29条)

export const REQUEST_KINDS = ['disclosure', 'record_correction'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];
export const REQUEST_KIND_LABELS: Record<RequestKind, string> = {
  disclosure: '政府信息公开申请',
  record_correction: '更正申请（条例第四十一条）',
};

export const ID_TYPES = ['resident_id', 'passport', 'hk_mo_tw', 'other'] as const;
export const ID_TYPE_LABELS: Record<(typeof ID_TYPES)[number], string> = {
  resident_id: '居民身份证',
  passport: '护照',
  hk_mo_tw: '港澳台居民居住证或通行证',
  other: '其他有效身份证件',
};

/** 第29条第（三）项: 获取信息的方式 (form) and 途径 (delivery). */
export const FORMS_WANTED = ['paper', 'electronic'] as const;
export const FORM_WANTED_LABELS: Record<(typeof FORMS_WANTED)[number], string> = { paper: '纸质文本', electronic: '电子文档' };
export const DELIVERIES = ['post', 'email', 'pickup', 'online'] as const;
export const DELIVERY_LABELS: Record<(typeof DELIVERIES)[number], string> = { post: '邮寄', email: '电子邮件', pickup: '当面领取', online: '网上获取（在查询页面查看）' };

/** How a letter was served (送达方式). */
export const SERVICE_METHODS = ['post', 'email', 'in_person', 'online', 'fax'] as const;
export const SERVICE_METHOD_LABELS: Record<(typeof SERVICE_METHODS)[number], string> = {
  post: '邮寄送达',
  email: '电子邮件送达',
  in_person: '直接送达',
  online: '网上送达（查询页面）',
  fax: '传真送达',
};

/** 更正 (第41条) results; not rows of table 三. */
export const RECORD_OUTCOMES = ['record.corrected', 'record.rejected', 'record.transferred'] as const;
export const RECORD_OUTCOME_LABELS: Record<(typeof RECORD_OUTCOMES)[number], string> = {
  'record.corrected': '审核属实，予以更正并告知申请人',
  'record.rejected': '经审核，记录准确，不予更正',
  'record.transferred': '不属于本机关职能范围，转送有权更正的行政机关处理并告知申请人',
};

export const STATUS_LABELS: Record<string, string> = {
  open: '办理中',
  correction_pending: '等待补正',
  paused: '期限中止',
  replied: '已答复',
  reopened: '重新办理',
};

/** Actions beyond the contract's clock actions. */
export const EXTRA_ACTIONS = ['deliver', 'note', 'transfer'] as const;
export const ACTION_LABELS: Record<string, string> = {
  ...CLOCK_ACTION_LABELS,
  receive: '收到申请',
  assign: '指定承办人',
  deliver: '送达文书',
  note: '办理备注',
  transfer: '转送有权更正的机关',
  reopen: '重新办理（复议或诉讼纠正）',
};

export const LETTER_KIND_LABELS: Record<LetterKind, string> = {
  receipt: '申请登记回执',
  correction: '补正申请告知书',
  consultation: '第三方意见征询函',
  extension: '延期答复告知书',
  fee: '信息处理费收费通知书',
  reply: '答复告知书',
};

export function outcomeLabel(key: string | null): string | null {
  if (!key) return null;
  if (isOutcomeKey(key)) return outcomeDisplayLabel(key);
  return (RECORD_OUTCOME_LABELS as Record<string, string>)[key] ?? key;
}

// ---------------------------------------------------------------------------------------------
// Helpers

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const norm = (s: string | null | undefined) => (s ?? '').replace(/[\s\p{P}\p{S}]/gu, '').toLowerCase();

type PublicActor = { public: string };
type AnyActor = Actor | PublicActor;

function actorId(a: AnyActor): number | null {
  return 'userId' in a ? a.userId : null;
}

/** Handlers of the agency (and admins) see and act; they alone see personal data. */
export function canHandle(actor: Actor | null, agency: { id: number; path: string }): boolean {
  return !!actor && hasRole(actor, agency, ['handler']);
}

function agencyRef(r: RequestRow) {
  return { id: r.agencyId, path: r.agencyPath };
}

/** The applicant as a given reader may see it: masked unless `full`. */
export function applicantFor(a: Applicant, full: boolean): Applicant {
  if (full) return a;
  return {
    ...a,
    idNumber: a.idNumber ? maskIdNumber(a.idNumber) : null,
    phone: a.phone ? maskPhone(a.phone) : null,
    email: a.email ? maskEmail(a.email) : null,
    address: a.address ? '（已隐藏）' : null,
    postcode: a.postcode ? '******' : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Filing and registering (第29条、第31条)

export interface RequestInput {
  agency?: string;
  kind?: string;
  channel?: string;
  /** Staff: 收到申请之日 (第31条). Public: the day of the online confirmation (today). */
  receivedOn?: string;
  applicant: {
    kind?: string;
    name?: string;
    idType?: string;
    idNumber?: string;
    orgCode?: string;
    contact?: string;
    phone?: string;
    email?: string;
    address?: string;
    postcode?: string;
  };
  subject?: string;
  description?: string;
  docNumber?: string;
  formWanted?: string;
  delivery?: string;
}

const blank = (s: string | undefined | null) => !s || !s.trim();
const clean = (s: string | undefined | null) => (blank(s) ? null : s!.trim());

/**
 * Checks a request's fields. `strict` (the public portal) asks for everything 第29条 lists: identity proof,
 * a contact, the form wanted; staff and the API may register what the application gave.
 */
export function validateRequestInput(input: RequestInput, strict: boolean): FieldError[] {
  const f: FieldError[] = [];
  const a = input.applicant ?? {};
  const kind = input.kind ?? 'disclosure';
  if (!(REQUEST_KINDS as readonly string[]).includes(kind)) f.push({ field: 'kind', message: `申请类型“${kind}”不存在` });
  if (!strict) {
    if (!input.channel || !isRequestChannel(input.channel)) f.push({ field: 'channel', message: `请选择申请方式（${REQUEST_CHANNELS.join('、')} 之一）` });
    if (!isIsoDate(input.receivedOn)) f.push({ field: 'receivedOn', message: '请填写收到申请之日（格式 YYYY-MM-DD）' });
  }
  if (!isApplicantKind(a.kind)) f.push({ field: 'applicantKind', message: '请选择申请人类型（自然人或法人、其他组织的类别）' });
  if (blank(a.name)) f.push({ field: 'name', message: a.kind && a.kind !== 'natural_person' ? '请填写申请单位名称' : '请填写申请人姓名' });
  else if (a.name!.trim().length > 100) f.push({ field: 'name', message: '姓名或名称过长（不超过 100 字）' });
  const person = a.kind === 'natural_person';
  if (a.idType && !(ID_TYPES as readonly string[]).includes(a.idType)) f.push({ field: 'idType', message: '证件类型不正确' });
  if (!blank(a.idNumber)) {
    const id = a.idNumber!.trim().toUpperCase();
    if (id.length > 40 || !/^[0-9A-Z()（）-]+$/.test(id)) f.push({ field: 'idNumber', message: '证件号码格式不正确' });
    else if (strict && person && (a.idType ?? 'resident_id') === 'resident_id' && !isValidIdNumber(id)) {
      f.push({ field: 'idNumber', message: '居民身份证号码不正确（应为 18 位，请核对最后一位校验码）' });
    }
  } else if (strict && person) f.push({ field: 'idNumber', message: '请填写身份证件号码（条例第二十九条：申请人的身份证明）' });
  if (!blank(a.orgCode) && !/^[0-9A-Z]{18}$/.test(a.orgCode!.trim().toUpperCase())) f.push({ field: 'orgCode', message: '统一社会信用代码应为 18 位数字或大写字母' });
  if (strict && !person && a.kind) {
    if (blank(a.orgCode)) f.push({ field: 'orgCode', message: '请填写统一社会信用代码（条例第二十九条：申请人的身份证明）' });
    if (blank(a.contact)) f.push({ field: 'contact', message: '请填写联系人姓名' });
  }
  if (!blank(a.phone) && !/^[0-9+\-() ]{5,20}$/.test(a.phone!.trim())) f.push({ field: 'phone', message: '联系电话格式不正确（5–20 位数字，可含 - 与括号）' });
  if (!blank(a.email) && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(a.email!.trim())) f.push({ field: 'email', message: '电子邮箱格式不正确' });
  if (!blank(a.postcode) && !/^\d{6}$/.test(a.postcode!.trim())) f.push({ field: 'postcode', message: '邮政编码应为 6 位数字' });
  if (!blank(a.address) && a.address!.trim().length > 200) f.push({ field: 'address', message: '通信地址过长（不超过 200 字）' });
  if (strict && blank(a.phone) && blank(a.email) && blank(a.address)) f.push({ field: 'phone', message: '请至少填写一种联系方式（电话、电子邮箱或通信地址）' });
  const isCorrection = kind === 'record_correction';
  if (blank(input.subject)) f.push({ field: 'subject', message: isCorrection ? '请填写需要更正的政府信息记录' : '请填写所需政府信息的名称' });
  else if (input.subject!.trim().length > 200) f.push({ field: 'subject', message: '名称过长（不超过 200 字）' });
  if (strict && blank(input.description)) f.push({ field: 'description', message: isCorrection ? '请说明记录哪里不准确、应如何更正及所附证据' : '请填写所需政府信息的内容描述（文号或便于查询的其他特征性描述）' });
  if ((input.description ?? '').length > 5000) f.push({ field: 'description', message: '内容描述过长（不超过 5000 字）' });
  if (input.formWanted && !(FORMS_WANTED as readonly string[]).includes(input.formWanted)) f.push({ field: 'formWanted', message: '获取信息的方式不正确' });
  if (input.delivery && !(DELIVERIES as readonly string[]).includes(input.delivery)) f.push({ field: 'delivery', message: '获取信息的途径不正确' });
  if (strict && !isCorrection) {
    if (!input.formWanted) f.push({ field: 'formWanted', message: '请选择获取信息的方式' });
    if (!input.delivery) f.push({ field: 'delivery', message: '请选择获取信息的途径' });
  }
  if (strict && input.delivery === 'email' && blank(a.email)) f.push({ field: 'email', message: '选择电子邮件获取信息时，请填写电子邮箱' });
  if (strict && input.delivery === 'post' && blank(a.address)) f.push({ field: 'address', message: '选择邮寄获取信息时，请填写通信地址' });
  return f;
}

/** "Same applicant" for fees per month and duplicates: a hash of the identity, never the identity itself. */
export function applicantKeyOf(a: Applicant): string {
  const id = a.kind === 'natural_person' ? a.idNumber?.toUpperCase() : a.orgCode?.toUpperCase();
  const basis = id ? `id:${id}` : `name:${norm(a.name)}|${norm(a.phone ?? a.email ?? '')}`;
  return sha256(`${a.kind === 'natural_person' ? 'p' : 'o'}|${basis}`);
}

/**
 * The duplicate check's keys (stored with the request): its subject, and its description when that has at
 * least 6 characters, without whitespace, punctuation and symbols, lower-cased, hashed. Two requests with
 * the same key ask for the same information. Migration 20261128160000 computed them for earlier requests.
 */
export function duplicateKeys(subject: string | undefined, description: string | undefined): { subjectKey: string; descriptionKey: string | null } {
  const d = norm(description);
  return { subjectKey: keyOf(norm(subject)), descriptionKey: d.length >= 6 ? keyOf(d) : null };
}
const keyOf = (s: string) => createHash('sha256').update(s).digest('base64url').slice(0, 22);

export interface SubmitOptions {
  /** The portal: every 第29条 field is required; the receipt date is today (online confirmation). */
  strict: boolean;
  /** The private link's key (random; only its sha256 is stored). */
  accessKey: string;
  idempotencyKey?: string;
  /** The portal: at most this many online filings by the same applicant per day (any agency). */
  perApplicantDailyLimit?: number;
}

export interface Submitted {
  request: RequestRow;
  /** False when an earlier submit with the same idempotency key already created it. */
  created: boolean;
  /**
   * The request as the submitter sees it (what getRequest would answer for a staff member, masked for the
   * public), built from what was just written: no second read.
   */
  view: RequestView;
}

/** Random bytes for keys, drawn 256 keys at a time from the CSPRNG (one call per key cost ~6 µs); never reused. */
let keyBytes = Buffer.alloc(0);
let keyAt = 0;

export function newAccessKey(): string {
  if (keyAt + 18 > keyBytes.length) {
    keyBytes = randomBytes(18 * 256);
    keyAt = 0;
  }
  keyAt += 18;
  return keyBytes.toString('base64url', keyAt - 18, keyAt);
}

/**
 * The serials a transaction has given out, per prefix. Once a submission has taken one, no other transaction
 * can add to that prefix before this one ends (SQLite: one writer; PostgreSQL: the agency's row is locked), so
 * the next submission of the same batch continues from it instead of asking the database again.
 */
const serialsInTransaction = new WeakMap<Executor, Map<string, number>>();

async function nextTrackingNo(tx: Executor, kind: string, receivedOn: string, agencyId: number): Promise<string> {
  const prefix = `${kind === 'record_correction' ? 'GZS' : 'YSQ'}${receivedOn.slice(0, 4)}${String(agencyId).padStart(3, '0')}`;
  let given = tx.isTransaction ? serialsInTransaction.get(tx) : undefined;
  const n = (given?.get(prefix) ?? (await repo.lastSerial(tx, prefix))) + 1;
  if (tx.isTransaction) {
    if (!given) serialsInTransaction.set(tx, (given = new Map()));
    given.set(prefix, n);
  }
  if (String(n).length > repo.SERIAL_DIGITS) {
    throw new AppError('unprocessable', `${receivedOn.slice(0, 4)} 年本机关的申请编号已用尽（每年 ${'9'.repeat(repo.SERIAL_DIGITS)} 件）`, { reason: 'request.serial_exhausted' });
  }
  return `${prefix}${String(n).padStart(repo.SERIAL_DIGITS, '0')}`;
}

/**
 * Files (public) or registers (staff) a request. Creates the request, its 'receive' event, computes the clock
 * and appends the audit entry, in one transaction. A repeated idempotency key returns the first request.
 */
export async function submitRequest(ctx: Ctx, actor: AnyActor, input: RequestInput, opts: SubmitOptions): Promise<Submitted> {
  const idem = clean(opts.idempotencyKey);
  if (idem && (idem.length > 100 || !/^[A-Za-z0-9_-]+$/.test(idem))) throw invalid('重复提交校验码不正确，请刷新页面后重新提交', [{ field: 'idempotencyKey', message: '校验码不正确' }]);
  /** An earlier submit with the same key created it: that request, read back. */
  const replay = async (prior: RequestRow): Promise<Submitted> => {
    const full = 'userId' in actor && canHandle(actor, agencyRef(prior));
    return { request: prior, created: false, view: await buildView(ctx.db, await loadCalendar(ctx), prior, todayCst(ctx.now()), full, full) };
  };
  if (idem) {
    const prior = await repo.findByIdempotencyKey(ctx.db, idem);
    if (prior) return replay(prior);
  }
  const receivedOn = opts.strict ? todayCst(ctx.now()) : input.receivedOn;
  const fields = validateRequestInput({ ...input, receivedOn, channel: opts.strict ? 'online' : input.channel }, opts.strict);
  let agency: Agency | undefined;
  if (!input.agency) {
    if ('userId' in actor) agency = await getAgencyById(ctx, actor.agencyId);
    else fields.unshift({ field: 'agency', message: '请选择受理申请的行政机关' });
  } else {
    agency = await getAgency(ctx, input.agency).catch(() => undefined);
    if (!agency) fields.unshift({ field: 'agency', message: `行政机关“${input.agency}”不存在` });
  }
  if (fields.length) throw invalid(fields.map((x) => x.message).join('；'), fields, 'request.invalid');
  if ('userId' in actor && !canHandle(actor, agency!)) throw new AppError('forbidden', `您没有在“${agency!.name}”登记政府信息公开申请的权限（需要依申请公开承办人角色）`);

  const a = input.applicant;
  const person = a.kind === 'natural_person';
  const applicant: Applicant = {
    kind: a.kind!,
    name: a.name!.trim(),
    idType: clean(a.idNumber) ? (clean(a.idType) ?? (person ? 'resident_id' : null)) : null,
    idNumber: clean(a.idNumber)?.toUpperCase() ?? null,
    orgCode: person ? null : (clean(a.orgCode)?.toUpperCase() ?? null),
    contact: person ? null : clean(a.contact),
    phone: clean(a.phone),
    email: clean(a.email),
    address: clean(a.address),
    postcode: clean(a.postcode),
  };
  const kind = (input.kind ?? 'disclosure') as RequestKind;
  const cal = await loadCalendar(ctx);
  // Staff reaching this point handle the agency (checked above): they see everything; the public, masked.
  const full = 'userId' in actor;
  const keys = duplicateKeys(input.subject, input.description);
  const run = () =>
    groupCommit(ctx, async (tx): Promise<Submitted> => {
      if (ctx.engine === 'postgres') await repo.lockAgencyForSerial(tx, agency!.id);
      const at = ctx.now();
      await assertYearsOpen(tx, agency!, [receivedOn]);
      const applicantKey = applicantKeyOf(applicant);
      if (opts.perApplicantDailyLimit !== undefined && (await repo.countOnlineByApplicantOn(tx, applicantKey, receivedOn!)) >= opts.perApplicantDailyLimit) {
        const message = `同一申请人每天在网上提交的申请不能超过 ${opts.perApplicantDailyLimit} 件，请明天再提交；如确有需要，请通过信函或当面向行政机关提出`;
        throw new AppError('rate_limited', message, { reason: 'request.daily_limit', fields: [{ field: 'name', message }] });
      }
      // The applicant's latest requests at this agency (a bound: an applicant with hundreds is compared with
      // the most recent ones, repo.DUPLICATE_WINDOW).
      const prior = kind === 'disclosure' ? await repo.findLatestDuplicate(tx, agency!.id, applicantKey, keys) : undefined;
      const duplicateOf = prior?.id ?? null;
      const trackingNo = await nextTrackingNo(tx, kind, receivedOn!, agency!.id);
      // The clock of a new request follows from its one 'receive' event: computed here and stored with the
      // insert (what recompute would write after reading the event back).
      const channel = opts.strict ? 'online' : input.channel!;
      const receive = { type: 'receive', on: receivedOn!, data: { channel }, actorId: actorId(actor), at: at.toISOString() };
      const today = todayCst(at);
      const events: EventRow[] = [{ id: 0, requestId: 0, type: receive.type, on: receive.on, data: receive.data, actorId: receive.actorId, actorName: 'userId' in actor ? actor.displayName : null, createdAt: receive.at }];
      const view = clockView(cal, receivedOn!, events, kind === 'disclosure', today);
      // The row as written: what findById reads back (a test holds the two equal). One literal, no spreads: it
      // is also the answer.
      const stamp = at.toISOString();
      const request: RequestRow = {
        id: 0,
        agencyId: agency!.id,
        agencyCode: agency!.code,
        agencyName: agency!.name,
        agencyPath: agency!.path,
        trackingNo,
        accessKeyHash: sha256(opts.accessKey),
        kind,
        channel,
        receivedOn: receivedOn!,
        submittedAt: stamp,
        applicant,
        applicantKey,
        subject: input.subject!.trim(),
        description: (input.description ?? '').trim(),
        docNumber: clean(input.docNumber),
        formWanted: clean(input.formWanted),
        delivery: clean(input.delivery),
        status: view.status,
        dueOn: view.state === 'awaiting_correction' ? null : view.dueOn,
        calendarFlag: view.calendarFlag,
        outcome: null,
        repliedOn: null,
        replyText: null,
        feeMethod: null,
        feePages: null,
        feeYuan: 0,
        feePaidOn: null,
        handlerId: null,
        handlerName: null,
        duplicateOf,
        transferredTo: null,
        idempotencyKey: idem,
        createdAt: stamp,
        updatedAt: stamp,
      };
      const id = await repo.insertRequest(tx, request, keys);
      request.id = id;
      events[0]!.id = await repo.insertEvent(tx, { requestId: id, ...receive });
      events[0]!.requestId = id;
      const row = { channel, receivedOn: receivedOn! };
      await appendAudit(tx, {
        actor: actor as AuditInput['actor'],
        agencyId: agency!.id,
        action: opts.strict ? 'request.submit' : 'request.register',
        entity: 'request',
        entityId: id,
        // Field names only: never the applicant's personal data.
        data: { trackingNo, kind, channel: row.channel, receivedOn: row.receivedOn, applicantKind: applicant.kind, fields: Object.entries(applicant).filter(([, v]) => v !== null).map(([k]) => k), dueOn: view.dueOn, calendarFlag: !!view.calendarFlag },
        at,
      });
      // A new request has no review case yet; its duplicate, if any, was just looked up.
      return { request, created: true, view: viewOf(request, events, view, prior, [], today, full, full) };
    });
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (e) {
      // A concurrent submit with the same idempotency key, or the same tracking serial: look again.
      if (idem) {
        const prior = await repo.findByIdempotencyKey(ctx.db, idem);
        if (prior) return replay(prior);
      }
      if (attempt >= 2 || e instanceof AppError) throw e;
    }
  }
}

type Work<T> = (tx: Executor) => Promise<T>;
interface Job {
  work: Work<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}
const batches = new WeakMap<object, { jobs: Job[]; running: boolean }>();
/** Submissions committed together at most (one fsync for all of them). */
const MAX_BATCH = 200;

/**
 * Runs `work` in a transaction, committed together with the submissions that arrive while the previous
 * batch is being written: one transaction, one durable commit (one fsync) for all of them. On SQLite one
 * connection serialises all writes; on PostgreSQL every submission locks the audit chain head (and its
 * agency's serial) until it commits, so they are serialised as well — in both, per-commit cost is what
 * limits the rate, and sharing it is what raises it. Each caller is answered only after the commit, so
 * nothing is reported stored before it is durable. No savepoints: if any submission of a batch fails,
 * the batch is rolled back and its submissions run one by one (see drain).
 */
function groupCommit<T>(ctx: Ctx, work: Work<T>): Promise<T> {
  let q = batches.get(ctx.db);
  if (!q) batches.set(ctx.db, (q = { jobs: [], running: false }));
  const queue = q;
  return new Promise<T>((resolve, reject) => {
    queue.jobs.push({ work, resolve: resolve as (v: unknown) => void, reject });
    if (!queue.running) void drain(ctx, queue);
  });
}

async function drain(ctx: Ctx, q: { jobs: Job[]; running: boolean }): Promise<void> {
  q.running = true;
  try {
    while (q.jobs.length) {
      // Let the requests already read from the network (and those that waited for the last commit) reach
      // the queue first: one turn of the event loop, no timer, so a lone submission is not delayed.
      await new Promise((resolve) => setImmediate(resolve));
      const jobs = q.jobs.splice(0, MAX_BATCH);
      if (jobs.length === 1) {
        const j = jobs[0]!;
        await ctx.db.transaction().execute(j.work).then(j.resolve, j.reject);
        continue;
      }
      // Optimistic: all in one transaction. If any submission fails, the whole batch is rolled back and each
      // runs alone in its own transaction (the work closures only touch their transaction, so re-running
      // them is safe), so one bad submission never takes the others with it.
      const values: unknown[] = [];
      try {
        await ctx.db.transaction().execute(async (tx) => {
          for (const j of jobs) values.push(await j.work(tx));
        });
      } catch {
        for (const j of jobs) await ctx.db.transaction().execute(j.work).then(j.resolve, j.reject);
        continue;
      }
      jobs.forEach((j, i) => j.resolve(values[i]));
    }
  } finally {
    q.running = false;
  }
}

/** Recomputes the clock from the events and stores status, due_on and calendar_flag (same transaction). */
async function recompute(tx: Executor, cal: Calendar, r: RequestRow, today: string, at: string): Promise<ClockView> {
  const events = await repo.listEvents(tx, r.id);
  const view = clockView(cal, r.receivedOn, events, r.kind === 'disclosure', today);
  await repo.updateRequest(tx, r.id, { status: view.status, due_on: view.state === 'awaiting_correction' ? null : view.dueOn, calendar_flag: view.calendarFlag }, at);
  return view;
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface RequestView {
  request: RequestRow;
  events: EventRow[];
  clock: ClockView;
  /** The reader handles this agency's requests: may act and see personal data. */
  canHandle: boolean;
  applicant: Applicant;
  reviewCases: ReviewCaseRow[];
  suggestion: { outcome: string; reason: string } | null;
  letters: LetterKind[];
  fee: { method: string | null; amount: number; deadline?: string; paidOn: string | null } | null;
}

function lettersAvailable(r: RequestRow, events: EventRow[]): LetterKind[] {
  if (r.kind !== 'disclosure') return ['receipt'];
  const has = (t: string) => events.some((e) => e.type === t);
  const out: LetterKind[] = ['receipt'];
  if (has('request_correction')) out.push('correction');
  if (has('start_consultation')) out.push('consultation');
  if (has('extend')) out.push('extension');
  if (has('notify_fee')) out.push('fee');
  if (r.outcome && isOutcomeKey(r.outcome) && r.repliedOn) out.push('reply');
  return out;
}

async function buildView(db: Executor, cal: Calendar, r: RequestRow, today: string, full: boolean, handle: boolean): Promise<RequestView> {
  const events = await repo.listEvents(db, r.id);
  const clock = clockView(cal, r.receivedOn, events, r.kind === 'disclosure', today);
  const prior = clock.state !== 'replied' && r.kind === 'disclosure' && r.duplicateOf ? await repo.findById(db, r.duplicateOf) : undefined;
  return viewOf(r, events, clock, prior, await repo.reviewCasesOf(db, r.id), today, full, handle);
}

/** The view of a request from its row, events, clock, the request it duplicates (if read) and its review cases. */
function viewOf(
  r: RequestRow,
  events: EventRow[],
  clock: ClockView,
  prior: { trackingNo: string; repliedOn: string | null } | undefined,
  reviewCases: ReviewCaseRow[],
  today: string,
  full: boolean,
  handle: boolean,
): RequestView {
  let suggestion: RequestView['suggestion'] = null;
  if (clock.state !== 'replied' && r.kind === 'disclosure') {
    if (r.duplicateOf) {
      if (prior && prior.repliedOn) {
        suggestion = { outcome: 'not_processed.duplicate', reason: `同一申请人曾申请公开相同政府信息（${prior.trackingNo}，已于 ${prior.repliedOn} 答复），可按重复申请不予重复处理（条例第三十六条第（六）项）` };
      }
    }
    const lapse = clock.clock?.lapse;
    if (lapse && today >= lapse.on) {
      suggestion = {
        outcome: lapse.outcome,
        reason: lapse.outcome === 'other.correction_overdue' ? `补正期限已于 ${clock.clock!.correction?.deadline} 届满，申请人未补正，可按逾期不补正办结（条例第三十条）` : `缴费期限已于 ${clock.clock!.fee?.deadline} 届满，申请人未缴费，可按逾期未缴费办结`,
      };
    }
  }
  const fee = r.feeMethod ? { method: r.feeMethod, amount: r.feeYuan, ...(clock.clock?.fee?.deadline ? { deadline: clock.clock.fee.deadline } : {}), paidOn: r.feePaidOn } : null;
  return {
    request: r,
    events,
    clock,
    canHandle: handle,
    applicant: applicantFor(r.applicant, full),
    reviewCases,
    suggestion,
    letters: lettersAvailable(r, events),
    fee,
  };
}

async function loadForStaff(ctx: Ctx, actor: Actor, id: number): Promise<RequestRow> {
  const r = isRowId(id) ? await repo.findById(ctx.db, id) : undefined;
  if (!r) throw notFound('申请');
  assertCanRead(actor, agencyRef(r));
  return r;
}

export async function getRequest(ctx: Ctx, actor: Actor, id: number): Promise<RequestView> {
  const r = await loadForStaff(ctx, actor, id);
  const handle = canHandle(actor, agencyRef(r));
  return buildView(ctx.db, await loadCalendar(ctx), r, todayCst(ctx.now()), handle, handle);
}

/** The applicant's private link: the tracking number and the key. A wrong key reveals nothing. */
export async function getRequestByTracking(ctx: Ctx, trackingNo: string, key: string): Promise<RequestView> {
  const r = trackingNo && key ? await repo.findByTrackingNo(ctx.db, trackingNo.trim().toUpperCase()) : undefined;
  const a = Buffer.from(sha256(key ?? ''));
  const b = Buffer.from(r?.accessKeyHash ?? sha256(randomBytes(8).toString('hex')));
  if (!r || !r.accessKeyHash || !timingSafeEqual(a, b)) throw notFound('该申请（查询编号或查询码不正确）');
  return buildView(ctx.db, await loadCalendar(ctx), r, todayCst(ctx.now()), false, false);
}

export interface ListQuery {
  agency?: string;
  status?: string;
  kind?: string;
  q?: string;
  mine?: boolean;
  page?: number;
  pageSize?: number;
}

export interface ListedRequest {
  request: RequestRow;
  overdue: boolean;
  dueSoon: boolean;
  workingDaysLeft: number | null;
}

export interface RequestList {
  items: ListedRequest[];
  total: number;
  page: number;
  pages: number;
  agencies: Agency[];
  counts: { open: number; overdue: number; dueSoon: number; correctionPending: number; paused: number; flagged: number };
}

export async function listRequests(ctx: Ctx, actor: Actor, q: ListQuery): Promise<RequestList> {
  const agencies = await readableAgencies(ctx, actor);
  let ids = agencies.map((a) => a.id);
  if (q.agency) {
    const a = agencies.find((x) => x.code === q.agency);
    if (!a) throw new AppError('forbidden', '您无权查看该机构的申请');
    ids = [a.id];
  }
  const pageSize = Math.min(Math.max(q.pageSize ?? 50, 1), 200);
  const page = Math.max(q.page ?? 1, 1);
  const filter: repo.ListFilter = { agencyIds: ids, status: q.status ?? 'open', kind: q.kind, q: q.q?.trim() || undefined, handlerId: q.mine ? actor.userId : undefined, limit: pageSize, offset: (page - 1) * pageSize };
  const [rows, total, byStatus] = await Promise.all([repo.listRequests(ctx.db, filter), repo.countRequests(ctx.db, filter), repo.countOpenByStatus(ctx.db, ids)]);
  const cal = await loadCalendar(ctx);
  const today = todayCst(ctx.now());
  const items = rows.map((r): ListedRequest => {
    let left: number | null = null;
    if (r.dueOn && (r.status === 'open' || r.status === 'reopened')) {
      try {
        left = today <= r.dueOn ? cal.workingDaysBetween(today, r.dueOn) : -cal.workingDaysBetween(r.dueOn, today);
      } catch {
        left = null;
      }
    }
    const overdue = r.status === 'replied' ? !!(r.dueOn && r.repliedOn && r.repliedOn > r.dueOn) : left !== null && left < 0;
    return { request: r, overdue, dueSoon: !overdue && left !== null && left <= 5, workingDaysLeft: left };
  });
  // Counters over all open requests (SQL): overdue = due before today; due soon = due within 5 working days.
  let soonLimit = today;
  try {
    soonLimit = cal.addWorkingDays(today, 5);
  } catch {
    /* calendar gap: count only the overdue */
  }
  const [overdue, dueByLimit] = await Promise.all([repo.countDueBy(ctx.db, ids, today, true), repo.countDueBy(ctx.db, ids, soonLimit)]);
  const open = Object.values(byStatus).reduce((s, n) => s + n, 0);
  const flagged = rows.filter((r) => r.calendarFlag).length;
  return {
    items,
    total,
    page,
    pages: Math.max(1, Math.ceil(total / pageSize)),
    agencies,
    counts: { open, overdue, dueSoon: dueByLimit - overdue, correctionPending: byStatus.correction_pending ?? 0, paused: byStatus.paused ?? 0, flagged },
  };
}

/** Agencies where the actor may register requests (handler role). */
export async function registrableAgencies(ctx: Ctx, actor: Actor): Promise<Agency[]> {
  const all = await readableAgencies(ctx, actor);
  return all.filter((a) => canHandle(actor, a));
}

export async function handlersFor(ctx: Ctx, actor: Actor, id: number): Promise<{ id: number; name: string }[]> {
  const r = await loadForStaff(ctx, actor, id);
  return repo.handlersOf(ctx.db, r.agencyId);
}

// ---------------------------------------------------------------------------------------------
// Acting (the contract's ACTIONs, plus deliver / note / transfer)

export interface ActionInput {
  type?: string;
  on?: string;
  items?: string[] | string;
  periodWorkingDays?: number;
  party?: string;
  /** 第三方 interest, for the consultation letter. */
  interest?: string;
  days?: number;
  reason?: string;
  method?: string;
  pages?: number;
  /** 按件: how many applications the request is split into (一事一申请), default 1. */
  count?: number;
  paymentMethod?: string;
  outcome?: string;
  /** The reply's reasons / text. */
  replyText?: string;
  deliveryMethod?: string;
  referral?: string;
  /** 更正: the competent agency. */
  to?: string;
  /** deliver: which letter, how, and when it was served. */
  letter?: string;
  serviceMethod?: string;
  note?: string;
}

const VALIDATION_REFUSALS: ReadonlySet<RefusalCode> = new Set([
  'INVALID_DATE',
  'UNKNOWN_ACTION',
  'DATE_BEFORE_RECEIPT',
  'DATE_BEFORE_PREVIOUS_ACTION',
  'EXTENSION_DAYS_INVALID',
  'OUTCOME_INVALID',
  'CORRECTION_PERIOD_INVALID',
  'CONSULTATION_PARTY_AMBIGUOUS',
]);

function refusalError(r: ActionRefusal, field: string): AppError {
  const reason = `request.${r.code.toLowerCase()}`;
  const fields = [{ field, message: r.message }];
  if (r.code === 'CALENDAR_NOT_COVERED') return new AppError('calendar_not_covered', r.message, { reason, fields });
  if (VALIDATION_REFUSALS.has(r.code)) return new AppError('validation', r.message, { reason, fields });
  return new AppError('conflict', r.message, { reason, fields });
}

function fieldOfRefusal(code: RefusalCode): string {
  if (code === 'OUTCOME_INVALID' || code === 'CORRECTION_NOT_OVERDUE' || code === 'FEE_NOT_OVERDUE') return 'outcome';
  if (code.startsWith('EXTENSION_DAYS')) return 'days';
  if (code === 'CONSULTATION_PARTY_AMBIGUOUS') return 'party';
  return 'on';
}

const str = (v: unknown, max = 2000) => (typeof v === 'string' && v.trim() ? v.trim().slice(0, max) : undefined);
const int = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : undefined);

export async function performAction(ctx: Ctx, actor: Actor, id: number, input: ActionInput): Promise<RequestView> {
  const type = str(input?.type, 40) ?? '';
  const known = [...CLOCK_ACTIONS, ...EXTRA_ACTIONS] as string[];
  if (!known.includes(type)) {
    throw new AppError('validation', `${REPLY_CLOCK_REFUSALS.UNKNOWN_ACTION}：“${type}”（应为 ${known.join('、')} 之一）`, { reason: 'request.unknown_action', fields: [{ field: 'type', message: '未知的办理操作' }] });
  }
  const on = input.on;
  if (!isIsoDate(on)) throw invalid(`${REPLY_CLOCK_REFUSALS.INVALID_DATE}：${String(on ?? '（未填写）')}`, [{ field: 'on', message: '请填写日期（YYYY-MM-DD）' }], 'request.invalid_date');

  const r = await loadForStaff(ctx, actor, id);
  if (!canHandle(actor, agencyRef(r))) throw new AppError('forbidden', '您没有办理该申请的权限（需要该机构的依申请公开承办人角色）');
  const disclosure = r.kind === 'disclosure';
  const cal = await loadCalendar(ctx);

  // Build the event (the clock's fields plus what the letters need).
  let clockType = type;
  const data: Record<string, unknown> = {};
  const patch: repo.RequestPatch = {};
  switch (type) {
    case 'request_correction': {
      const items = (Array.isArray(input.items) ? input.items : typeof input.items === 'string' ? input.items.split(/\r?\n/) : []).map((s) => String(s).trim()).filter(Boolean);
      if (items.length) data.items = items.slice(0, 20);
      const p = int(input.periodWorkingDays);
      if (p !== undefined) data.periodWorkingDays = p;
      break;
    }
    case 'start_consultation':
    case 'end_consultation': {
      const party = str(input.party, 200);
      if (party) data.party = party;
      if (type === 'start_consultation' && !party) throw invalid('请填写被征求意见的第三方或其他机关的名称', [{ field: 'party', message: '请填写被征求意见方' }], 'request.party_required');
      const interest = str(input.interest, 200);
      if (interest) data.interest = interest;
      break;
    }
    case 'extend': {
      const days = input.days === undefined || (input.days as unknown) === '' ? 20 : int(input.days);
      data.days = days;
      const reason = str(input.reason, 500);
      if (reason) data.reason = reason;
      break;
    }
    case 'notify_fee': {
      if (!disclosure) throw new AppError('conflict', '更正申请不收取信息处理费', { reason: 'request.fee_not_applicable' });
      const method = input.method as FeeMethod;
      if (!FEE_METHODS.includes(method)) throw invalid('请选择收费方式：按件计收（per_request）或按量计收（per_page），一件申请只能适用其中一种（国办函〔2020〕109号第三条）', [{ field: 'method', message: '请选择收费方式' }], 'request.fee_method');
      let fee: FeeResult;
      if (method === 'per_page') {
        const pages = int(input.pages);
        if (pages === undefined || !Number.isInteger(pages) || pages < 1 || pages > 1_000_000) throw invalid('按量计收需要填写页数（正整数）', [{ field: 'pages', message: '请填写页数（正整数）' }], 'request.fee_pages');
        fee = computeFee({ method, pages });
        data.pages = pages;
      } else {
        const count = input.count === undefined || (input.count as unknown) === '' ? 1 : int(input.count);
        if (count === undefined || !Number.isInteger(count) || count < 1 || count > 100) throw invalid('拆分计算的件数应为 1–100 的整数', [{ field: 'count', message: '件数应为正整数' }], 'request.fee_count');
        const ordinal = await repo.countInMonthUpTo(ctx.db, r.agencyId, r.applicantKey ?? '', r.receivedOn, r.id);
        fee = computeFee({ method, ordinal, count });
        data.ordinal = ordinal;
        data.count = count;
      }
      if (fee.amount === 0) {
        throw new AppError('unprocessable', `按${FEE_METHOD_LABELS[method]}计算，本申请不收费（${fee.explanation}），无需发出收费通知`, { reason: 'request.fee_zero', fields: [{ field: 'method', message: '本申请不收费' }] });
      }
      data.method = method;
      data.amount = fee.amount;
      data.explanation = fee.explanation;
      const pm = str(input.paymentMethod, 300);
      if (pm) data.paymentMethod = pm;
      patch.fee_method = method;
      patch.fee_pages = method === 'per_page' ? (data.pages as number) : null;
      patch.fee_yuan = fee.amount;
      patch.fee_paid_on = null;
      break;
    }
    case 'receive_payment':
      patch.fee_paid_on = on;
      break;
    case 'transfer':
    case 'reply': {
      let outcome = type === 'transfer' ? 'record.transferred' : str(input.outcome, 80);
      if (!outcome) throw invalid('请选择办理结果', [{ field: 'outcome', message: '请选择办理结果' }], 'request.outcome_required');
      if (disclosure && !isOutcomeKey(outcome)) {
        throw invalid(`${REPLY_CLOCK_REFUSALS.OUTCOME_INVALID}：“${outcome}”`, [{ field: 'outcome', message: '办理结果不是年度报告表三的21项之一' }], 'request.unknown_outcome');
      }
      if (!disclosure && !(RECORD_OUTCOMES as readonly string[]).includes(outcome)) {
        throw invalid(`更正申请的办理结果应为 ${RECORD_OUTCOMES.join('、')} 之一：“${outcome}”`, [{ field: 'outcome', message: '更正申请的办理结果不正确' }], 'request.unknown_outcome');
      }
      if (outcome === 'record.transferred') {
        const to = str(input.to, 200);
        if (!to) throw invalid('请填写有权更正的行政机关名称', [{ field: 'to', message: '请填写转送的机关' }], 'request.transfer_to');
        data.to = to;
        patch.transferred_to = to;
      }
      clockType = 'reply';
      data.outcome = outcome;
      for (const k of ['replyText', 'deliveryMethod', 'referral'] as const) {
        const v = str(input[k], 5000);
        if (v) data[k] = v;
      }
      patch.outcome = outcome;
      patch.replied_on = on;
      patch.reply_text = (data.replyText as string | undefined) ?? null;
      outcome = outcome as string;
      break;
    }
    case 'deliver': {
      const letter = str(input.letter, 40) as LetterKind | undefined;
      const events = await repo.listEvents(ctx.db, r.id);
      const available = lettersAvailable(r, events);
      if (!letter || !available.includes(letter)) throw invalid(`请选择已制作的文书（${available.map((k) => LETTER_KIND_LABELS[k]).join('、')}）`, [{ field: 'letter', message: '请选择文书' }], 'request.letter');
      const method = str(input.serviceMethod, 40);
      if (!method || !(SERVICE_METHODS as readonly string[]).includes(method)) throw invalid('请选择送达方式', [{ field: 'serviceMethod', message: '请选择送达方式' }], 'request.service_method');
      if (on < r.receivedOn) throw invalid(`${REPLY_CLOCK_REFUSALS.DATE_BEFORE_RECEIPT}：${on} 早于收到申请之日 ${r.receivedOn}`, [{ field: 'on', message: '送达日期早于收到申请之日' }], 'request.date_before_receipt');
      const made = letterDate(r, events, letter);
      if (made && on < made) throw invalid(`送达日期 ${on} 早于文书日期 ${made}`, [{ field: 'on', message: '送达日期早于文书日期' }], 'request.service_before_letter');
      data.letter = letter;
      data.serviceMethod = method;
      break;
    }
    case 'note': {
      const note = str(input.note, 2000);
      if (!note) throw invalid('请填写备注内容', [{ field: 'note', message: '请填写备注' }], 'request.note');
      if (on < r.receivedOn) throw invalid(`${REPLY_CLOCK_REFUSALS.DATE_BEFORE_RECEIPT}：${on} 早于收到申请之日 ${r.receivedOn}`, [{ field: 'on', message: '日期早于收到申请之日' }], 'request.date_before_receipt');
      data.note = note;
      break;
    }
  }

  return ctx.db.transaction().execute(async (tx) => {
    const cur = (await repo.findById(tx, r.id))!;
    // A published report locks its year: neither the action's date nor a reply it replaces may fall in it.
    await assertYearsOpen(tx, cur.agencyId, [on, type === 'reply' ? cur.repliedOn : null]);
    const events = await repo.listEvents(tx, r.id);
    if (clockType !== 'deliver' && clockType !== 'note') {
      const next = { type: clockType, on, ...data } as unknown as ClockEvent;
      const clockEvent = { ...next } as Record<string, unknown>;
      if (!disclosure && clockType === 'reply') delete clockEvent.outcome;
      const refusals = refusalsOf(cal, cur.receivedOn, events, clockEvent as unknown as ClockEvent, disclosure);
      if (refusals.length) throw refusalError(refusals[0]!, fieldOfRefusal(refusals[0]!.code));
    }
    const at = ctx.now();
    await repo.insertEvent(tx, { requestId: r.id, type: clockType, on, data, actorId: actor.userId, at: at.toISOString() });
    if (Object.keys(patch).length) await repo.updateRequest(tx, r.id, patch, at.toISOString());
    const updated = (await repo.findById(tx, r.id))!;
    const view = await recompute(tx, cal, updated, todayCst(at), at.toISOString());
    await appendAudit(tx, {
      actor,
      agencyId: r.agencyId,
      action: `request.${type}`,
      entity: 'request',
      entityId: r.id,
      data: {
        trackingNo: r.trackingNo,
        on,
        ...(data.outcome ? { outcome: data.outcome } : {}),
        ...(data.days !== undefined ? { days: data.days } : {}),
        ...(data.method ? { method: data.method, amount: data.amount } : {}),
        ...(data.letter ? { letter: data.letter, serviceMethod: data.serviceMethod } : {}),
        ...(data.items ? { items: (data.items as string[]).length } : {}),
        dueOn: view.dueOn,
        status: view.status,
      },
      at,
    });
    const fresh = (await repo.findById(tx, r.id))!;
    return buildView(tx, cal, fresh, todayCst(at), true, true);
  });
}

export async function assignHandler(ctx: Ctx, actor: Actor, id: number, handlerId: number | null): Promise<RequestView> {
  const r = await loadForStaff(ctx, actor, id);
  if (!canHandle(actor, agencyRef(r))) throw new AppError('forbidden', '您没有办理该申请的权限');
  if (handlerId !== null) {
    const handlers = await repo.handlersOf(ctx.db, r.agencyId);
    if (!handlers.some((h) => h.id === handlerId)) throw invalid('请选择本机关的依申请公开承办人', [{ field: 'handlerId', message: '承办人不正确' }], 'request.handler');
  }
  const cal = await loadCalendar(ctx);
  return ctx.db.transaction().execute(async (tx) => {
    const at = ctx.now();
    await repo.updateRequest(tx, r.id, { handler_id: handlerId }, at.toISOString());
    await repo.insertEvent(tx, { requestId: r.id, type: 'assign', on: todayCst(at), data: { handlerId }, actorId: actor.userId, at: at.toISOString() });
    await appendAudit(tx, { actor, agencyId: r.agencyId, action: 'request.assign', entity: 'request', entityId: r.id, data: { trackingNo: r.trackingNo, handlerId }, at });
    return buildView(tx, cal, (await repo.findById(tx, r.id))!, todayCst(at), true, true);
  });
}

// ---------------------------------------------------------------------------------------------
// Re-handling after a 纠正 review result (called by the reviews module inside its transaction)

export interface RequestSummary {
  id: number;
  agencyId: number;
  agencyPath: string;
  trackingNo: string;
  subject: string;
  receivedOn: string;
  repliedOn: string | null;
  status: string;
  kind: string;
}

export async function requestSummary(db: Executor, id: number): Promise<RequestSummary | undefined> {
  const r = await repo.findById(db, id);
  return r && { id: r.id, agencyId: r.agencyId, agencyPath: r.agencyPath, trackingNo: r.trackingNo, subject: r.subject, receivedOn: r.receivedOn, repliedOn: r.repliedOn, status: r.status, kind: r.kind };
}

/** Looks a request up by tracking number for a review case (the staff member must be able to read it). */
export async function findRequestForReview(ctx: Ctx, actor: Actor, trackingNo: string): Promise<RequestSummary | undefined> {
  const r = await repo.findByTrackingNo(ctx.db, trackingNo.trim().toUpperCase());
  if (!r || !canRead(actor, agencyRef(r))) return undefined;
  return requestSummary(ctx.db, r.id);
}

/** The official calendar (load it before opening the transaction that calls reopenForRehandling). */
export const officialCalendar = (ctx: Ctx) => loadCalendar(ctx);

/**
 * A 纠正 result: the request is handled again. Its first reply (outcome, replied_on) stays in the record until
 * the new reply replaces it; status becomes 'reopened' and a new handling period starts from `on`.
 */
export async function reopenForRehandling(ctx: Ctx, tx: Executor, cal: Calendar, actor: Actor, requestId: number, on: string, caseId: number): Promise<void> {
  const r = await repo.findById(tx, requestId);
  if (!r) throw notFound('申请');
  if (r.status !== 'replied') return; // still being handled: nothing to reopen
  await assertYearsOpen(tx, r.agencyId, [r.repliedOn, on]);
  if (r.repliedOn && on < r.repliedOn) throw invalid(`结案日期 ${on} 早于原答复日期 ${r.repliedOn}`, [{ field: 'concludedOn', message: '结案日期早于原答复日期' }], 'review.before_reply');
  const at = ctx.now();
  await repo.insertEvent(tx, { requestId, type: 'reopen', on, data: { caseId }, actorId: actor.userId, at: at.toISOString() });
  const view = await recompute(tx, cal, r, todayCst(at), at.toISOString());
  await appendAudit(tx, { actor, agencyId: r.agencyId, action: 'request.reopen', entity: 'request', entityId: requestId, data: { trackingNo: r.trackingNo, on, caseId, dueOn: view.dueOn }, at });
}

/** After a calendar year is loaded: recompute every request whose clock could not be computed. */
export async function recomputeFlagged(ctx: Ctx): Promise<number> {
  const cal = await loadCalendar(ctx);
  const ids = await repo.listFlagged(ctx.db);
  let fixed = 0;
  for (const id of ids) {
    await ctx.db.transaction().execute(async (tx) => {
      const r = (await repo.findById(tx, id))!;
      const at = ctx.now();
      const v = await recompute(tx, cal, r, todayCst(at), at.toISOString());
      if (!v.calendarFlag) fixed++;
    });
  }
  return fixed;
}

// ---------------------------------------------------------------------------------------------
// Letters (src/render/letters.ts)

function letterDate(r: RequestRow, events: EventRow[], kind: LetterKind): string | null {
  const last = (t: string) => [...events].reverse().find((e) => e.type === t)?.on ?? null;
  switch (kind) {
    case 'receipt':
      return r.receivedOn;
    case 'correction':
      return last('request_correction');
    case 'consultation':
      return last('start_consultation');
    case 'extension':
      return last('extend');
    case 'fee':
      return last('notify_fee');
    case 'reply':
      return r.repliedOn;
  }
}

const LETTER_NO_PREFIX: Record<LetterKind, string> = {
  receipt: '依申请登记',
  correction: '补正告知',
  consultation: '征询',
  extension: '延期告知',
  fee: '收费通知',
  reply: '依申请答复',
};

async function letterInputOf(ctx: Ctx, view: RequestView, kind: LetterKind): Promise<LetterInput> {
  const r = view.request;
  if (!view.letters.includes(kind)) throw notFound('该文书（尚未办理相应事项）');
  const agency = await getAgencyById(ctx, r.agencyId);
  const events = view.events;
  const date = letterDate(r, events, kind) ?? r.receivedOn;
  const last = (t: string) => [...events].reverse().find((e) => e.type === t);
  const trace = view.clock.trace;
  const dueAfter = (action: string) => [...trace].reverse().find((s) => s.action === action)?.dueOn;
  const input: LetterInput = {
    kind,
    agency: {
      name: agency.name,
      office: agency.officeName ?? `${agency.name}政府信息公开工作机构`,
      address: agency.address ?? '',
      postcode: agency.postcode ?? '',
      phone: agency.phone ?? '',
    },
    letterNo: `${LETTER_NO_PREFIX[kind]}〔${date.slice(0, 4)}〕${Number(r.trackingNo.slice(-5))}号`,
    date,
    applicantName: r.applicant.name,
    subject: r.subject,
    trackingNo: r.trackingNo,
    receivedOn: r.receivedOn,
    channel: r.channel as LetterInput['channel'],
  };
  const corr = last('request_correction');
  if (corr) input.correctionRequestedOn = corr.on;
  switch (kind) {
    case 'receipt':
      input.dueOn = trace[0]?.dueOn || undefined;
      break;
    case 'correction':
      input.correctionItems = (corr?.data.items as string[] | undefined) ?? undefined;
      input.correctionDays = (corr?.data.periodWorkingDays as number | undefined) ?? 15;
      break;
    case 'consultation': {
      const c = last('start_consultation')!;
      input.thirdParty = c.data.party as string | undefined;
      input.thirdPartyInterest = c.data.interest as string | undefined;
      break;
    }
    case 'extension': {
      const e = last('extend')!;
      input.extensionDays = e.data.days as number;
      input.extensionReason = e.data.reason as string | undefined;
      input.dueOn = dueAfter('extend') || undefined;
      break;
    }
    case 'fee': {
      const f = last('notify_fee')!;
      input.fee = {
        method: f.data.method as FeeMethod,
        amount: f.data.amount as number,
        units: (f.data.method === 'per_page' ? f.data.pages : (f.data.ordinal as number) + ((f.data.count as number) ?? 1) - 1) as number,
        paymentMethod: (f.data.paymentMethod as string | undefined) ?? '按本机关另行告知的政府非税收入缴款方式缴纳',
        explanation: f.data.explanation as string | undefined,
      };
      break;
    }
    case 'reply': {
      const rep = last('reply')!;
      input.outcome = r.outcome as OutcomeKey;
      if (rep.data.replyText) input.reasons = rep.data.replyText as string;
      if (rep.data.deliveryMethod) input.deliveryMethod = rep.data.deliveryMethod as string;
      if (rep.data.referral) input.referral = rep.data.referral as string;
      break;
    }
  }
  return input;
}

export const LETTER_KINDS: readonly LetterKind[] = ['receipt', 'correction', 'consultation', 'extension', 'fee', 'reply'];

export async function letterForStaff(ctx: Ctx, actor: Actor, id: number, kind: LetterKind): Promise<LetterInput> {
  return letterInputOf(ctx, await getRequest(ctx, actor, id), kind);
}

/** The applicant's own letters (not the consultation letter, which goes to the third party). */
export async function letterForApplicant(ctx: Ctx, trackingNo: string, key: string, kind: LetterKind): Promise<LetterInput> {
  if (kind === 'consultation') throw notFound('该文书');
  return letterInputOf(ctx, await getRequestByTracking(ctx, trackingNo, key), kind);
}

// ---------------------------------------------------------------------------------------------
// Labels for pages and JSON

export { APPLICANT_KIND_LABELS, OUTCOMES, isAdmin };
