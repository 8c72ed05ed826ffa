/**
 * 依申请公开 over HTTP: the JSON API of the contract (POST/GET /api/v1/requests, actions, letters), the portal
 * form (/apply) and the applicant's private tracking page (/track/:trackingNo?key=…), the office pages
 * (/office/requests…) and the calendar page (/office/calendar).
 */
import { createHmac } from 'node:crypto';
import { Type, type TSchema } from '@sinclair/typebox';
import { h } from 'preact';
import { AppError } from '../../errors.js';
import { Form, formRoute, formSchema } from '../../http/forms.js';
import { pageEnv } from '../../http/page-env.js';
import { publicBaseUrl } from '../../http/site-urls.js';
import { formField, redirectWithNotice, requireActor, type App, type FastifyReply, type FastifyRequest } from '../../http/types.js';
import type { LetterInput, LetterKind } from '../../render/letters.js';
import { isAdmin } from '../accounts/access.js';
import { listAgencies } from '../agencies/agencies.service.js';
import { issueChallenge, spendChallenge, verifyChallenge } from '../challenge/challenge.service.js';
import { ApplyPage, RequestDetailPage, RequestListPage, RequestNewPage, type Values } from './requests.pages.js';
import { listReplyFiles } from './requests.applicant.js';
import trackRoutes, { parseLetterFile, sendLetter } from './requests.track.routes.js';
import * as service from './requests.service.js';
import { LETTER_KIND_LABELS, LETTER_KINDS, STATUS_LABELS, newAccessKey, outcomeLabel, type RequestInput, type RequestView } from './requests.service.js';

// ---------------------------------------------------------------------------------------------
// JSON shapes

const ApplicantBody = Type.Object(
  {
    kind: Type.Optional(Type.String()),
    name: Type.Optional(Type.String()),
    idType: Type.Optional(Type.String()),
    idNumber: Type.Optional(Type.String()),
    orgCode: Type.Optional(Type.String()),
    contact: Type.Optional(Type.String()),
    phone: Type.Optional(Type.String()),
    email: Type.Optional(Type.String()),
    address: Type.Optional(Type.String()),
    postcode: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);

const NewRequestBody = Type.Object(
  {
    agency: Type.Optional(Type.String({ description: '受理机关代码（默认为令牌所属机关）' })),
    kind: Type.Optional(Type.Union([Type.Literal('disclosure'), Type.Literal('record_correction')])),
    channel: Type.String({ description: 'online | letter | in_person | fax | email | other' }),
    receivedOn: Type.String({ description: '收到申请之日 YYYY-MM-DD（条例第31条）' }),
    applicant: ApplicantBody,
    subject: Type.String(),
    description: Type.String(),
    docNumber: Type.Optional(Type.String()),
    formWanted: Type.Optional(Type.String()),
    delivery: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);

const ActionBody = Type.Object(
  {
    type: Type.String({ description: 'request_correction | receive_correction | start_consultation | end_consultation | extend | notify_fee | receive_payment | reply | deliver | note | transfer | split' }),
    on: Type.String({ description: 'YYYY-MM-DD' }),
    items: Type.Optional(Type.Union([Type.Array(Type.String()), Type.String()])),
    periodWorkingDays: Type.Optional(Type.Integer()),
    party: Type.Optional(Type.String()),
    interest: Type.Optional(Type.String()),
    days: Type.Optional(Type.Number()),
    reason: Type.Optional(Type.String()),
    method: Type.Optional(Type.String()),
    pages: Type.Optional(Type.Number()),
    count: Type.Optional(Type.Number({ description: '件数（一事一申请拆分后，1–100）：split 必填；notify_fee 按件时缺省为已拆分的件数' })),
    paymentMethod: Type.Optional(Type.String()),
    outcome: Type.Optional(Type.String()),
    replyText: Type.Optional(Type.String()),
    deliveryMethod: Type.Optional(Type.String()),
    referral: Type.Optional(Type.String()),
    to: Type.Optional(Type.String()),
    letter: Type.Optional(Type.String()),
    serviceMethod: Type.Optional(Type.String()),
    note: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const NullableString = (o?: { description: string }) => Nullable(Type.String(o));

const ApplicantJson = Type.Object({
  kind: Type.String(),
  name: Type.String(),
  idType: NullableString(),
  idNumber: NullableString({ description: '证件号码（无办理权限时部分隐去）' }),
  orgCode: NullableString(),
  contact: NullableString(),
  phone: NullableString(),
  email: NullableString(),
  address: NullableString(),
  postcode: NullableString(),
});

const ClockJson = Type.Object({
  state: Type.String({ description: 'running | paused | awaiting_correction | replied' }),
  countsFrom: Type.String(),
  limitWorkingDays: Type.Integer(),
  extendedWorkingDays: Type.Integer(),
  pausedWorkingDays: Type.Integer(),
  correctionWindowEndsOn: Type.String({ description: '可要求补正的最后一日（条例第30条）' }),
  correctionDeadline: NullableString(),
  lapse: Nullable(Type.Object({ outcome: Type.String(), on: Type.String() })),
  rehandling: Type.Boolean(),
});

const ReviewCaseOfRequestJson = Type.Object({
  id: Type.Integer(),
  agencyId: Type.Integer(),
  requestId: Nullable(Type.Integer()),
  kind: Type.String(),
  caseNo: NullableString(),
  body: NullableString(),
  filedOn: Type.String(),
  result: Type.String(),
  concludedOn: NullableString(),
  notes: NullableString(),
});

const RequestJson = Type.Object({
  id: Type.Integer(),
  trackingNo: Type.String(),
  kind: Type.String({ description: 'disclosure | record_correction' }),
  agency: Type.Object({ code: Type.String(), name: Type.String() }),
  channel: Type.String(),
  status: Type.String(),
  statusLabel: Type.String(),
  receivedOn: Type.String(),
  dueOn: NullableString(),
  dueProvisional: Type.Boolean({ description: 'dueOn 为暂定（所需年份的节假日安排通知尚未载入，按双休日和法定节假日推算）' }),
  overdue: Type.Boolean(),
  dueSoon: Type.Boolean(),
  workingDaysLeft: Nullable(Type.Integer()),
  calendarFlag: NullableString(),
  outcome: NullableString(),
  outcomeLabel: NullableString(),
  repliedOn: NullableString(),
  reopenedOn: NullableString({ description: '因复议或诉讼结果为纠正而重新办理之日；outcome、repliedOn 为重新办理的答复' }),
  firstReply: Nullable(Type.Object({ outcome: NullableString(), outcomeLabel: NullableString(), repliedOn: NullableString() }, { description: '重新办理前的原答复' })),
  fee: Type.Number({ description: '信息处理费（元），无则为 0' }),
  feeMethod: NullableString(),
  feePaidOn: NullableString(),
  feeDeadline: NullableString(),
  applicant: ApplicantJson,
  subject: Type.String(),
  description: Type.String(),
  docNumber: NullableString(),
  formWanted: NullableString(),
  delivery: NullableString(),
  handler: Nullable(Type.Object({ id: Type.Integer(), name: NullableString() })),
  duplicateOf: Nullable(Type.Integer()),
  suggestedOutcome: NullableString(),
  suggestion: NullableString(),
  transferredTo: NullableString(),
  clock: Nullable(ClockJson),
  trace: Type.Array(Type.Object({ on: Type.String(), action: Type.String(), text: Type.String(), dueOn: NullableString() })),
  events: Type.Array(
    Type.Object({
      id: Type.Integer(),
      type: Type.String(),
      on: Type.String(),
      // What an action recorded: its own fields per type (items, party, days, outcome…).
      data: Type.Object({}, { additionalProperties: true }),
      createdAt: Type.String(),
    }),
  ),
  letters: Type.Array(Type.Object({ kind: Type.String(), title: Type.String(), url: Type.String() })),
  reviewCases: Type.Array(ReviewCaseOfRequestJson),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

/** The answer to a registration: the request and the applicant's private tracking link. */
const CreatedRequestJson = Type.Composite([
  RequestJson,
  Type.Object({ trackingKey: Type.String({ description: '查询码（仅此一次返回）' }), trackingUrl: Type.String({ description: '申请人查询链接' }) }),
]);

const RequestListJson = Type.Object({
  total: Type.Integer(),
  page: Type.Integer(),
  pages: Type.Integer(),
  counts: Type.Object({
    open: Type.Integer(),
    overdue: Type.Integer(),
    dueSoon: Type.Integer(),
    correctionPending: Type.Integer(),
    paused: Type.Integer(),
    flagged: Type.Integer(),
  }),
  items: Type.Array(
    Type.Object({
      id: Type.Integer(),
      trackingNo: Type.String(),
      kind: Type.String(),
      agency: Type.String({ description: '机构代码' }),
      subject: Type.String(),
      status: Type.String(),
      receivedOn: Type.String(),
      dueOn: NullableString(),
      dueProvisional: Type.Boolean(),
      workingDaysLeft: Nullable(Type.Integer()),
      overdue: Type.Boolean(),
      dueSoon: Type.Boolean(),
      calendarFlag: NullableString(),
      outcome: NullableString(),
      repliedOn: NullableString(),
      fee: Type.Number(),
      handler: NullableString({ description: '承办人姓名' }),
    }),
  ),
});

/** A letter's file: DOCX (公文格式) or PDF. */
const LetterFile = {
  description: '文书文件',
  content: {
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { schema: { type: 'string', format: 'binary' } },
    'application/pdf': { schema: { type: 'string', format: 'binary' } },
  },
};

export function requestJson(v: RequestView) {
  const r = v.request;
  const c = v.clock;
  return {
    id: r.id,
    trackingNo: r.trackingNo,
    kind: r.kind,
    agency: { code: r.agencyCode, name: r.agencyName },
    channel: r.channel,
    status: c.status,
    statusLabel: STATUS_LABELS[c.status] ?? c.status,
    receivedOn: r.receivedOn,
    dueOn: c.dueOn,
    dueProvisional: c.dueProvisional,
    overdue: c.overdue,
    dueSoon: c.dueSoon,
    workingDaysLeft: c.workingDaysLeft,
    calendarFlag: c.calendarFlag,
    outcome: r.outcome,
    outcomeLabel: outcomeLabel(r.outcome),
    repliedOn: r.repliedOn,
    // Reopened by a 纠正 review result: the first reply (outcome / repliedOn above are the re-handling's).
    reopenedOn: r.reopenedOn,
    firstReply: r.reopenedOn ? { outcome: r.firstOutcome, outcomeLabel: outcomeLabel(r.firstOutcome), repliedOn: r.firstRepliedOn } : null,
    fee: r.feeYuan ?? 0,
    feeMethod: r.feeMethod,
    feePaidOn: r.feePaidOn,
    feeDeadline: v.fee?.deadline ?? null,
    applicant: {
      kind: v.applicant.kind,
      name: v.applicant.name,
      idType: v.applicant.idType,
      idNumber: v.applicant.idNumber,
      orgCode: v.applicant.orgCode,
      contact: v.applicant.contact,
      phone: v.applicant.phone,
      email: v.applicant.email,
      address: v.applicant.address,
      postcode: v.applicant.postcode,
    },
    subject: r.subject,
    description: r.description,
    docNumber: r.docNumber,
    formWanted: r.formWanted,
    delivery: r.delivery,
    handler: r.handlerId ? { id: r.handlerId, name: r.handlerName } : null,
    duplicateOf: r.duplicateOf,
    suggestedOutcome: v.suggestion?.outcome ?? null,
    suggestion: v.suggestion?.reason ?? null,
    transferredTo: r.transferredTo,
    clock: c.clock
      ? {
          state: c.clock.state,
          countsFrom: c.clock.countsFrom,
          limitWorkingDays: c.clock.limitWorkingDays,
          extendedWorkingDays: c.clock.extendedWorkingDays,
          pausedWorkingDays: c.clock.pausedWorkingDays,
          correctionWindowEndsOn: c.clock.correctionWindowEndsOn,
          correctionDeadline: c.clock.correction?.deadline ?? null,
          lapse: c.clock.lapse ?? null,
          rehandling: c.rehandling,
        }
      : null,
    trace: c.trace.map((s) => ({ on: s.on, action: s.action, text: s.text, dueOn: s.dueOn || null })),
    events: v.events.map((e) => ({ id: e.id, type: e.type, on: e.on, data: e.data, createdAt: e.createdAt })),
    letters: v.letters.map((k) => ({ kind: k, title: LETTER_KIND_LABELS[k], url: `/api/v1/requests/${r.id}/letters/${k}.docx` })),
    reviewCases: v.reviewCases,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

// ---------------------------------------------------------------------------------------------
// Forms

const APPLICANT_FORM_FIELDS = ['applicantKind', 'name', 'idType', 'idNumber', 'orgCode', 'contact', 'phone', 'email', 'address', 'postcode'] as const;
const REQUEST_FORM_FIELDS = ['agency', 'kind', 'channel', 'receivedOn', ...APPLICANT_FORM_FIELDS, 'subject', 'docNumber', 'description', 'formWanted', 'delivery'] as const;

const text = (title: string, maxLength: number) => Form.optional(Form.text(title, { maxLength }));

/** The office's registration form (requests.pages RequestNewPage): the use case checks what each value means. */
const NewRequestForm = formSchema({
  agency: text('受理机关', 40),
  kind: text('申请类别', 40),
  channel: text('申请方式', 40),
  receivedOn: Form.optional(Form.date('收到申请之日')),
  applicantKind: text('申请人类型', 40),
  name: text('姓名或名称', 100),
  idType: text('证件类型', 40),
  idNumber: text('证件号码', 40),
  orgCode: text('统一社会信用代码', 18),
  contact: text('联系人', 50),
  phone: text('联系电话', 20),
  email: text('电子邮箱', 100),
  address: text('通讯地址', 200),
  postcode: text('邮政编码', 6),
  subject: text('所需信息的名称', 200),
  docNumber: text('文号', 100),
  description: Form.optional(Form.text('所需信息的内容描述', { maxLength: 5000, raw: true })),
  formWanted: text('信息的指定提供形式', 40),
  delivery: text('获取信息的方式', 40),
});

/**
 * The action forms of the request page (requests.pages ActionForm): each posts `type` and its own fields; the
 * schema is their union, the use case checks which belong to the type.
 */
const ActionFormBody = formSchema({
  type: Form.text('办理事项', { maxLength: 40, required: true }),
  on: Form.optional(Form.date('日期')),
  items: text('需要补正的事项', 5000),
  periodWorkingDays: Form.optional(Form.integer('补正期限（工作日）', { digits: 3 })),
  party: text('第三方', 200),
  interest: text('涉及的权益', 200),
  days: Form.optional(Form.integer('延长的工作日', { digits: 3 })),
  reason: text('理由', 500),
  method: text('收费方式', 40),
  pages: Form.optional(Form.integer('页数', { digits: 7 })),
  count: Form.optional(Form.integer('件数', { digits: 7 })),
  paymentMethod: text('缴费方式', 300),
  outcome: text('办理结果', 80),
  replyText: Form.optional(Form.text('答复内容', { maxLength: 5000, raw: true })),
  deliveryMethod: text('提供方式', 300),
  referral: text('告知的机关', 300),
  to: text('转送的机关', 200),
  letter: text('文书', 40),
  serviceMethod: text('送达方式', 40),
  note: text('备注', 2000),
});
const ACTION_FIELDS = Object.keys(ActionFormBody.properties).filter((k) => k !== '_csrf');

const AssignForm = formSchema({ handlerId: Form.optional(Form.integer('承办人')) });

function formValues(body: unknown, names: readonly string[]): Values {
  const v: Values = {};
  for (const n of names) v[n] = formField(body, n) ?? '';
  return v;
}

function inputFromForm(v: Values): RequestInput {
  const o = (k: string) => v[k] || undefined;
  return {
    agency: o('agency'),
    kind: o('kind'),
    channel: o('channel'),
    receivedOn: o('receivedOn'),
    applicant: { kind: o('applicantKind'), name: o('name'), idType: o('idType'), idNumber: o('idNumber'), orgCode: o('orgCode'), contact: o('contact'), phone: o('phone'), email: o('email'), address: o('address'), postcode: o('postcode') },
    subject: o('subject'),
    description: v.description ?? '',
    docNumber: o('docNumber'),
    formWanted: o('formWanted'),
    delivery: o('delivery'),
  };
}

/** Field errors of a validation failure (the field name of the form), or a generic one. */
function errorsOf(e: AppError, fallback: string) {
  if (e.fields?.length) return e.fields.map((f) => ({ field: f.field.replace(/^applicant\./, ''), message: f.message }));
  return [{ field: fallback, message: e.message }];
}

/** Online filings by the same applicant per day through the portal (abuse limit; staff registration has none). */
export const PORTAL_DAILY_LIMIT = 10;

/** Where a public filing came from, for the per-applicant daily limit: a keyed hash of the client's address. */
export const filingOrigin = (secret: string, ip: string) => createHmac('sha256', secret).update(`origin:${ip}`).digest('base64url').slice(0, 22);

const idParam = (req: FastifyRequest) => Number((req.params as { id: string }).id);

export default async function requestsRoutes(app: App) {
  const trackingKey = (idem: string | undefined) => (idem ? createHmac('sha256', app.config.secret).update(`track:${idem}`).digest('base64url').slice(0, 24) : newAccessKey());
  const trackingLink = (req: FastifyRequest, trackingNo: string, key: string) => {
    const base = publicBaseUrl(app, req);
    return `${base}/track/${encodeURIComponent(trackingNo)}?key=${encodeURIComponent(key)}`;
  };

  // ----- JSON API ---------------------------------------------------------------------------

  app.post(
    '/api/v1/requests',
    { schema: { tags: ['requests'], summary: '登记政府信息公开申请', body: NewRequestBody, response: { 201: CreatedRequestJson } } },
    async (req, reply) => {
      const actor = requireActor(req);
      const b = req.body;
      const key = newAccessKey();
      // The answer is built from what the submission wrote (the same as a GET of it right after).
      const { request, view } = await service.submitRequest(
        app.ctx,
        actor,
        { ...b, applicant: b.applicant ?? {} },
        { strict: false, accessKey: key },
      );
      reply.code(201);
      return { ...requestJson(view), trackingKey: key, trackingUrl: trackingLink(req, request.trackingNo, key) };
    },
  );

  app.get(
    '/api/v1/requests',
    {
      schema: {
        tags: ['requests'],
        summary: '申请列表（按紧急程度排序）',
        querystring: Type.Object({ agency: Type.Optional(Type.String()), status: Type.Optional(Type.String()), kind: Type.Optional(Type.String()), q: Type.Optional(Type.String()), page: Type.Optional(Type.Integer({ minimum: 1 })), pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }),
        response: { 200: RequestListJson },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const q = req.query;
      const list = await service.listRequests(app.ctx, actor, { ...q, status: q.status ?? 'all' });
      return {
        total: list.total,
        page: list.page,
        pages: list.pages,
        counts: list.counts,
        items: list.items.map(({ request: r, overdue, dueSoon, workingDaysLeft }) => ({
          id: r.id,
          trackingNo: r.trackingNo,
          kind: r.kind,
          agency: r.agencyCode,
          subject: r.subject,
          status: r.status,
          receivedOn: r.receivedOn,
          dueOn: r.dueOn,
          dueProvisional: !!(r.dueOn && r.calendarFlag),
          workingDaysLeft,
          overdue,
          dueSoon,
          calendarFlag: r.calendarFlag,
          outcome: r.outcome,
          repliedOn: r.repliedOn,
          fee: r.feeYuan,
          handler: r.handlerName,
        })),
      };
    },
  );

  app.get(
    '/api/v1/requests/:id',
    { schema: { tags: ['requests'], summary: '申请详情（含答复期限计算过程）', params: Type.Object({ id: Type.Integer() }), response: { 200: RequestJson } } },
    async (req) => requestJson(await service.getRequest(app.ctx, requireActor(req), idParam(req))),
  );

  app.post(
    '/api/v1/requests/:id/actions',
    { schema: { tags: ['requests'], summary: '办理操作（补正、征求意见、延期、收费、答复等）', params: Type.Object({ id: Type.Integer() }), body: ActionBody, response: { 200: RequestJson } } },
    async (req) => requestJson(await service.performAction(app.ctx, requireActor(req), idParam(req), req.body)),
  );

  app.post(
    '/api/v1/requests/:id/assign',
    { schema: { tags: ['requests'], summary: '指定承办人', params: Type.Object({ id: Type.Integer() }), body: Type.Object({ handlerId: Type.Union([Type.Integer(), Type.Null()], { description: '承办人账号 id；null 为取消指定' }) }), response: { 200: RequestJson } } },
    async (req) => requestJson(await service.assignHandler(app.ctx, requireActor(req), idParam(req), req.body.handlerId)),
  );

  app.get(
    '/api/v1/requests/:id/letters/:file',
    { schema: { tags: ['requests'], summary: '文书（DOCX，公文格式）：receipt|correction|consultation|extension|fee|reply.docx', params: Type.Object({ id: Type.Integer(), file: Type.String() }), response: { 200: LetterFile } } },
    async (req, reply) => {
      const { kind, format } = parseLetterFile((req.params as { file: string }).file);
      if (format === 'html') throw new AppError('not_found', '文书不存在：请求 .docx 或 .pdf');
      return sendLetter(reply, await service.letterForStaff(app.ctx, requireActor(req), idParam(req), kind), format);
    },
  );

  // ----- Portal -------------------------------------------------------------------------------

  const applyPage = async (req: FastifyRequest, reply: FastifyReply, values: Values, errors?: { field: string; message: string }[], status = 200) => {
    const agencies = await listAgencies(app.ctx);
    const idem = values.idempotencyKey && /^[A-Za-z0-9_-]{16,100}$/.test(values.idempotencyKey) ? values.idempotencyKey : newAccessKey();
    const challenge = await issueChallenge({ secret: app.config.secret, now: app.ctx.now() });
    return reply.page(h(ApplyPage, { env: pageEnv(req), agencies, values, errors, idempotencyKey: idem, challenge }), { status });
  };

  app.get('/apply', { schema: { hide: true } }, async (req, reply) => applyPage(req, reply, { agency: String((req.query as Values).agency ?? '') }));
  app.get('/agencies/:code/apply', { schema: { hide: true } }, async (req, reply) => applyPage(req, reply, { agency: (req.params as { code: string }).code }));

  app.post('/apply', { schema: { hide: true }, config: { rateLimit: { max: 10, timeWindow: '10 minutes' } } }, async (req, reply) => {
    const values = formValues(req.body, [...REQUEST_FORM_FIELDS, 'idempotencyKey']);
    // The self-hosted challenge first: nothing else is looked at for a submission that does not pass it.
    // A retry of the same submission (same idempotency key) may carry the same token again.
    try {
      await verifyChallenge({
        secret: app.config.secret,
        now: app.ctx.now(),
        token: formField(req.body, 'challenge'),
        altcha: formField(req.body, 'altcha'),
        answer: formField(req.body, 'challengeAnswer'),
        bindTo: values.idempotencyKey || undefined,
      });
      await spendChallenge(app.shared, formField(req.body, 'challenge')!, values.idempotencyKey || undefined);
    } catch (e) {
      if (e instanceof AppError && e.code === 'validation') return applyPage(req, reply, values, errorsOf(e, 'challenge'), 400);
      throw e;
    }
    if (formField(req.body, 'website')) {
      // The honeypot was filled: a robot. Nothing is stored.
      return applyPage(req, reply, values, [{ field: 'agency', message: '提交未被受理，请勿自动填写表单' }], 400);
    }
    const idem = values.idempotencyKey || undefined;
    const key = trackingKey(idem);
    try {
      const { request, created } = await service.submitRequest(app.ctx, { public: 'portal' }, inputFromForm(values), {
        strict: true,
        accessKey: key,
        idempotencyKey: idem,
        perApplicantDailyLimit: PORTAL_DAILY_LIMIT,
        // The client's address (as GONGKAI_TRUST_PROXY lets it be known), kept only as a keyed hash.
        origin: filingOrigin(app.config.secret, req.ip),
      });
      const url = `/track/${encodeURIComponent(request.trackingNo)}?key=${encodeURIComponent(key)}&filed=1`;
      void created;
      return reply.redirect(url, 303);
    } catch (e) {
      if (e instanceof AppError && (e.code === 'validation' || e.code === 'rate_limited')) return applyPage(req, reply, values, errorsOf(e, 'agency'), e.status);
      throw e;
    }
  });

  await app.register(trackRoutes);

  // ----- Office -------------------------------------------------------------------------------

  app.get('/office/requests', { schema: { hide: true } }, async (req, reply) => {
    const actor = requireActor(req);
    const q = req.query as Values;
    const query: Values = {};
    for (const k of ['status', 'agency', 'kind', 'q', 'mine']) if (q[k]) query[k] = String(q[k]);
    const list = await service.listRequests(app.ctx, actor, { ...query, mine: query.mine === '1', page: Number(q.page) || 1 });
    const canRegister = (await service.registrableAgencies(app.ctx, actor)).length > 0;
    return reply.page(h(RequestListPage, { env: pageEnv(req), list, query, canRegister }));
  });

  const newPage = async (req: FastifyRequest, reply: FastifyReply, values: Values, errors?: { field: string; message: string }[], status = 200) => {
    const actor = requireActor(req);
    const agencies = await service.registrableAgencies(app.ctx, actor);
    if (!agencies.length) throw new AppError('forbidden', '您没有登记政府信息公开申请的权限（需要依申请公开承办人角色）');
    return reply.page(h(RequestNewPage, { env: pageEnv(req), agencies, values, errors }), { status });
  };

  app.get('/office/requests/new', { schema: { hide: true } }, async (req, reply) => newPage(req, reply, {}));

  const newAgain = (req: FastifyRequest, reply: FastifyReply, e: AppError) => newPage(req, reply, formValues(req.body, REQUEST_FORM_FIELDS), errorsOf(e, 'subject'), 400);
  app.post('/office/requests/new', formRoute(NewRequestForm, { invalid: newAgain }), async (req, reply) => {
    const actor = requireActor(req);
    const values = formValues(req.body, REQUEST_FORM_FIELDS);
    const key = newAccessKey();
    try {
      const { request } = await service.submitRequest(app.ctx, actor, inputFromForm(values), { strict: false, accessKey: key });
      // The private link is shown once (only its hash is stored): carried in the redirect's query.
      return reply.redirect(`/office/requests/${request.id}?notice=${encodeURIComponent(`已登记，登记编号 ${request.trackingNo}`)}&key=${encodeURIComponent(key)}`, 303);
    } catch (e) {
      if (e instanceof AppError && e.code === 'validation') return newAgain(req, reply, e);
      throw e;
    }
  });

  const detailPage = async (req: FastifyRequest, reply: FastifyReply, id: number, failed?: { type: string; errors: { field: string; message: string }[] }, values?: Values, status = 200) => {
    const actor = requireActor(req);
    const view = await service.getRequest(app.ctx, actor, id);
    const handlers = view.canHandle ? await service.handlersFor(app.ctx, actor, id) : [];
    const key = (req.query as Values).key;
    const link = view.canHandle && typeof key === 'string' && key ? trackingLink(req, view.request.trackingNo, key) : undefined;
    const files = await listReplyFiles(app.ctx, view.request);
    return reply.page(h(RequestDetailPage, { env: pageEnv(req), view, handlers, failed, values, link, files }), { status });
  };

  app.get('/office/requests/:id', { schema: { hide: true } }, async (req, reply) => detailPage(req, reply, idParam(req)));

  const actionAgain = (req: FastifyRequest, reply: FastifyReply, e: AppError) => {
    const values = formValues(req.body, ACTION_FIELDS);
    return detailPage(req, reply, idParam(req), { type: values.type ?? '', errors: errorsOf(e, 'on') }, values, e.status);
  };
  app.post('/office/requests/:id/actions', formRoute(ActionFormBody, { invalid: actionAgain }), async (req, reply) => {
    const actor = requireActor(req);
    const id = idParam(req);
    const values = formValues(req.body, ACTION_FIELDS);
    const input: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(values)) if (v !== '') input[k] = v;
    try {
      const view = await service.performAction(app.ctx, actor, id, input);
      return redirectWithNotice(reply, `/office/requests/${id}`, `已办理：${service.ACTION_LABELS[values.type ?? ''] ?? values.type}${view.clock.dueOn && view.clock.state !== 'replied' ? `；答复期限 ${view.clock.dueOn}` : ''}`);
    } catch (e) {
      if (e instanceof AppError && ['validation', 'conflict', 'unprocessable', 'calendar_not_covered'].includes(e.code)) {
        return actionAgain(req, reply, e);
      }
      throw e;
    }
  });

  app.post('/office/requests/:id/assign', formRoute(AssignForm), async (req, reply) => {
    const actor = requireActor(req);
    const id = idParam(req);
    const raw = req.body.handlerId ?? '';
    await service.assignHandler(app.ctx, actor, id, raw ? Number(raw) : null);
    return redirectWithNotice(reply, `/office/requests/${id}`, '承办人已更新');
  });
}
