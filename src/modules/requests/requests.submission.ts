/**
 * Filing (public) and registering (staff) a request (条例第29条、第31条): the form's checks, the applicant's
 * key, the duplicate keys, the tracking number and the one transaction that stores it all.
 */
import { createHash, randomBytes } from 'node:crypto';
import { groupCommit } from '../../db/group-commit.js';
import { nextSerial } from '../../db/serials.js';
import type { Executor } from '../../db/database.js';
import { AppError, invalid, type FieldError } from '../../errors.js';
import { isIsoDate } from '../../law/calendar.js';
import { REQUEST_CHANNELS, isApplicantKind, isRequestChannel, receiptDate } from '../../law/outcomes.js';
import { isValidIdNumber } from '../../law/screening.js';
import { getAgency, getAgencyById, type Agency } from '../agencies/agencies.service.js';
import { appendAudit, type AuditInput } from '../audit-log/audit-log.service.js';
import { loadCalendar } from '../calendar/calendar.service.js';
import { assertYearsOpen } from '../year-lock/year-lock.service.js';
import { todayCst, type Ctx } from '../context.js';
import { actorId, agencyRef, canHandle, sha256, type AnyActor } from './requests.access.js';
import { clockView } from './requests.clock.js';
import * as repo from './requests.repository.js';
import type { Applicant, EventRow, RequestRow } from './requests.repository.js';
import { DELIVERIES, FORMS_WANTED, ID_TYPES, REQUEST_KINDS, type RequestKind } from './requests.vocabulary.js';
import { buildView, viewOf, type RequestView } from './requests.views.js';

const norm = (s: string | null | undefined) => (s ?? '').replace(/[\s\p{P}\p{S}]/gu, '').toLowerCase();

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
  /**
   * The portal: at most this many online filings by the same applicant per day (any agency) FROM THE SAME
   * ORIGIN (`origin`: a keyed hash of the client address). Not counted across addresses: a name and an ID
   * number are anyone's to type, so a count over them alone let anyone use up another person's filings.
   */
  perApplicantDailyLimit?: number;
  origin?: string;
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

async function nextTrackingNo(tx: Executor, kind: string, receivedOn: string, agencyId: number): Promise<string> {
  const prefix = `${kind === 'record_correction' ? 'GZS' : 'YSQ'}${receivedOn.slice(0, 4)}${String(agencyId).padStart(3, '0')}`;
  // A batch continues the serials it has given (src/db/serials.ts); PostgreSQL: the agency's row is locked.
  const n = await nextSerial(tx, prefix, () => repo.lastSerial(tx, prefix));
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
  // 第31条(三): an online application is received the day both sides confirm it — the portal confirms it at once.
  const filedToday = todayCst(ctx.now());
  const receivedOn = opts.strict ? (receiptDate({ channel: 'online', submittedOn: filedToday, confirmedOn: filedToday }) ?? filedToday) : input.receivedOn;
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
  // Dates the law cannot apply to (contract: 422): a receipt after today (Beijing time) or before the first
  // year the official calendar covers.
  const todayNow = todayCst(ctx.now());
  if (receivedOn! > todayNow) {
    const message = `收到申请之日 ${receivedOn} 晚于今天（${todayNow}，北京时间），请核对`;
    throw new AppError('unprocessable', message, { reason: 'request.received_in_future', fields: [{ field: 'receivedOn', message }] });
  }
  if (cal.coveredYears.length && Number(receivedOn!.slice(0, 4)) < cal.coveredYears[0]!) {
    const message = `收到申请之日 ${receivedOn} 早于工作日日历覆盖的第一年（${cal.coveredYears[0]} 年），无法计算答复期限，请核对`;
    throw new AppError('unprocessable', message, { reason: 'request.received_too_early', fields: [{ field: 'receivedOn', message }] });
  }
  // Staff reaching this point handle the agency (checked above): they see everything; the public, masked.
  const full = 'userId' in actor;
  const keys = duplicateKeys(input.subject, input.description);
  const run = () =>
    groupCommit(ctx.db, async (tx): Promise<Submitted> => {
      if (ctx.engine === 'postgres') await repo.lockAgencyForSerial(tx, agency!.id);
      const at = ctx.now();
      await assertYearsOpen(tx, agency!, [receivedOn]);
      const applicantKey = applicantKeyOf(applicant);
      if (
        opts.perApplicantDailyLimit !== undefined &&
        opts.origin &&
        applicantKey &&
        (await repo.countOnlineFilingsFrom(tx, applicantKey, opts.origin, receivedOn!)) >= opts.perApplicantDailyLimit
      ) {
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
        splitItems: 1,
        firstOutcome: null,
        firstRepliedOn: null,
        reopenedOn: null,
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
      if (opts.origin && applicantKey) await repo.insertOnlineFiling(tx, { requestId: id, origin: opts.origin, applicantKey, receivedOn: receivedOn! });
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
