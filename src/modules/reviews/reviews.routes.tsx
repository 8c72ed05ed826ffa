/** 行政复议和行政诉讼 over HTTP: JSON API (/api/v1/review-cases) and the office pages (/office/reviews). */
import { Type } from '@sinclair/typebox';
import { h } from 'preact';
import { AppError } from '../../errors.js';
import { Form, formRoute, formSchema } from '../../http/forms.js';
import { pageEnv } from '../../http/page-env.js';
import { formField, redirectWithNotice, requireActor, type App, type FastifyReply, type FastifyRequest } from '../../http/types.js';
import { ReviewDetailPage, ReviewListPage } from './reviews.pages.js';
import * as service from './reviews.service.js';
import { REVIEW_KINDS, REVIEW_RESULTS, type ReviewCase, type ReviewInput } from './reviews.service.js';

const ReviewBody = Type.Object(
  {
    agency: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
    trackingNo: Type.Optional(Type.String()),
    kind: Type.Optional(Type.String({ description: 'reconsideration | litigation_direct | litigation_after_reconsideration' })),
    caseNo: Type.Optional(Type.String()),
    body: Type.Optional(Type.String({ description: '复议机关或人民法院' })),
    filedOn: Type.Optional(Type.String()),
    result: Type.Optional(Type.String({ description: 'upheld | corrected | other | pending' })),
    concludedOn: Type.Optional(Type.String()),
    notes: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);

const NullableString = (o?: { description: string }) => Type.Union([Type.String(o), Type.Null()]);

/** A review case as the API answers it (caseJson). */
const CaseJson = Type.Object({
  id: Type.Integer(),
  agency: Type.String({ description: '机构代码' }),
  requestId: Type.Union([Type.Integer(), Type.Null()]),
  trackingNo: NullableString({ description: '所涉申请的查询编号' }),
  kind: Type.String({ description: 'reconsideration | litigation_direct | litigation_after_reconsideration' }),
  caseNo: NullableString(),
  body: NullableString({ description: '复议机关或人民法院' }),
  filedOn: Type.String(),
  result: Type.String({ description: 'upheld | corrected | other | pending' }),
  concludedOn: NullableString(),
  notes: NullableString(),
});

export const caseJson = (c: ReviewCase) => ({
  id: c.id,
  agency: c.agencyCode,
  requestId: c.requestId,
  trackingNo: c.trackingNo,
  kind: c.kind,
  caseNo: c.caseNo,
  body: c.body,
  filedOn: c.filedOn,
  result: c.result,
  concludedOn: c.concludedOn,
  notes: c.notes,
});

/** The fields of the case form (reviews.pages CaseFields); the list page's form also names the agency. */
const caseFields = {
  trackingNo: Form.optional(Form.text('所涉申请的登记编号', { maxLength: 40 })),
  kind: Form.optional(Form.choice('案件类型', REVIEW_KINDS, { empty: true })),
  caseNo: Form.optional(Form.text('案号', { maxLength: 100 })),
  body: Form.optional(Form.text('复议机关或人民法院', { maxLength: 100 })),
  filedOn: Form.optional(Form.date('受理（立案）日期')),
  result: Form.optional(Form.choice('结果', REVIEW_RESULTS, { empty: true })),
  concludedOn: Form.optional(Form.date('审结日期')),
  notes: Form.optional(Form.text('备注', { maxLength: 2000 })),
};
const NewCaseForm = formSchema({ agency: Form.optional(Form.text('被申请（被诉）机关', { maxLength: 40 })), ...caseFields });
const CaseForm = formSchema(caseFields);

const FIELDS = ['agency', ...Object.keys(caseFields)] as const;

/** What was typed, as the form shows it again (checked or not). */
function formInput(body: unknown): Record<string, string> {
  const v: Record<string, string> = {};
  for (const k of FIELDS) v[k] = formField(body, k) ?? '';
  return v;
}

const toInput = (v: Record<string, string>): ReviewInput => ({ ...v, agency: v.agency || undefined, trackingNo: v.trackingNo || undefined });

export default async function reviewsRoutes(app: App) {
  app.get(
    '/api/v1/review-cases',
    { schema: { tags: ['reviews'], summary: '行政复议和行政诉讼案件（表四）', querystring: Type.Object({ agency: Type.Optional(Type.String()), year: Type.Optional(Type.Integer()), kind: Type.Optional(Type.String()), result: Type.Optional(Type.String()) }), response: { 200: Type.Object({ items: Type.Array(CaseJson) }) } } },
    async (req) => {
      const list = await service.listReviewCases(app.ctx, requireActor(req), req.query);
      return { items: list.cases.map(caseJson) };
    },
  );
  app.post(
    '/api/v1/review-cases',
    {
      schema: {
        tags: ['reviews'],
        summary: '登记行政复议或行政诉讼案件',
        body: ReviewBody,
        response: { 201: { ...CaseJson, description: '登记的案件' } },
      },
    },
    async (req, reply) => {
    const c = await service.createReviewCase(app.ctx, requireActor(req), req.body as ReviewInput);
    reply.code(201);
    return caseJson(c);
    },
  );
  app.get('/api/v1/review-cases/:id', { schema: { tags: ['reviews'], summary: '案件详情', params: Type.Object({ id: Type.Integer() }), response: { 200: CaseJson } } }, async (req) =>
    caseJson(await service.getReviewCase(app.ctx, requireActor(req), (req.params as { id: number }).id)),
  );
  app.patch('/api/v1/review-cases/:id', { schema: { tags: ['reviews'], summary: '更新案件（结果、审结日期）；结果为纠正时原申请重新办理', params: Type.Object({ id: Type.Integer() }), body: ReviewBody, response: { 200: CaseJson } } }, async (req) =>
    caseJson(await service.updateReviewCase(app.ctx, requireActor(req), (req.params as { id: number }).id, req.body as ReviewInput)),
  );

  const listPage = async (req: FastifyRequest, reply: FastifyReply, values?: Record<string, string>, errors?: { field: string; message: string }[], status = 200) => {
    const actor = requireActor(req);
    const q = req.query as Record<string, string>;
    const year = Number(q.year) || undefined;
    const list = await service.listReviewCases(app.ctx, actor, { agency: q.agency || undefined, year, kind: q.filterKind || undefined, result: q.filterResult || undefined });
    return reply.page(h(ReviewListPage, { env: pageEnv(req), list, query: q, values: values ?? { trackingNo: q.request ?? '' }, errors }), { status });
  };
  app.get('/office/reviews', { schema: { hide: true } }, async (req, reply) => listPage(req, reply));
  const listAgain = (req: FastifyRequest, reply: FastifyReply, e: AppError) => listPage(req, reply, formInput(req.body), e.fields ?? [{ field: 'kind', message: e.message }], 400);
  app.post('/office/reviews', formRoute(NewCaseForm, { invalid: listAgain }), async (req, reply) => {
    const actor = requireActor(req);
    try {
      const c = await service.createReviewCase(app.ctx, actor, toInput(formInput(req.body)));
      return redirectWithNotice(reply, `/office/reviews/${c.id}`, c.result === 'corrected' && c.requestId ? '案件已登记；结果为纠正，原申请已重新办理' : '案件已登记');
    } catch (e) {
      if (e instanceof AppError && e.code === 'validation') return listAgain(req, reply, e);
      throw e;
    }
  });

  const detailPage = async (req: FastifyRequest, reply: FastifyReply, id: number, values?: Record<string, string>, errors?: { field: string; message: string }[], status = 200) => {
    const c = await service.getReviewCase(app.ctx, requireActor(req), id);
    return reply.page(h(ReviewDetailPage, { env: pageEnv(req), c, values, errors }), { status });
  };
  app.get('/office/reviews/:id', { schema: { hide: true } }, async (req, reply) => detailPage(req, reply, Number((req.params as { id: string }).id)));
  const detailAgain = (req: FastifyRequest, reply: FastifyReply, e: AppError) =>
    detailPage(req, reply, Number((req.params as { id: string }).id), formInput(req.body), e.fields ?? [{ field: 'result', message: e.message }], 400);
  app.post('/office/reviews/:id', formRoute(CaseForm, { invalid: detailAgain }), async (req, reply) => {
    const actor = requireActor(req);
    const id = Number((req.params as { id: string }).id);
    try {
      const c = await service.updateReviewCase(app.ctx, actor, id, { ...toInput(formInput(req.body)), agency: undefined });
      return redirectWithNotice(reply, `/office/reviews/${c.id}`, '已保存');
    } catch (e) {
      if (e instanceof AppError && e.code === 'validation') return detailAgain(req, reply, e);
      throw e;
    }
  });
}
