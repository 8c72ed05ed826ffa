/** Office pages and JSON API of the registries that feed table 二. */
import { Form, formRoute, formSchema } from '../../http/forms.js';
import { Type, type TSchema } from '@sinclair/typebox';
import { h } from 'preact';
import { AppError } from '../../errors.js';
import { formField, redirectWithNotice, requireActor, type App, type FastifyReply, type FastifyRequest } from '../../http/types.js';
import { pageEnv } from '../../http/page-env.js';
import { hasRole } from '../accounts/access.js';
import { getAgencyById, readableAgencies } from '../agencies/agencies.service.js';
import { todayCst } from '../context.js';
import { RegistriesPage, type FormName } from './registries.pages.js';
import * as service from './registries.service.js';

const Agency = Type.Optional(Type.String({ maxLength: 40, description: '机构代码；省略时为令牌所属机构' }));
const DateStr = (description: string) => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description });
const NullableString = () => Type.Union([Type.String(), Type.Null()]);
const NullableId = () => Type.Union([Type.Integer(), Type.Null()]);
// The registered entries as the API answers them (the repository's rows).
const DocumentJson = Type.Object({
  id: Type.Integer(), agencyId: Type.Integer(), kind: Type.String({ description: 'rule | normative_document' }), title: Type.String(),
  docNumber: NullableString(), issuedOn: Type.String(), abolishedOn: NullableString(), itemId: NullableId(),
});
const DecisionJson = Type.Object({
  id: Type.Integer(), agencyId: Type.Integer(), kind: Type.String({ description: 'licensing | penalty | enforcement' }), decidedOn: Type.String(), count: Type.Integer(),
  docNumber: NullableString(), subject: NullableString(), source: Type.String({ description: 'entry 逐件或按批登记；imported_total 导入的年度汇总数' }),
});
const FeeJson = Type.Object({ id: Type.Integer(), agencyId: Type.Integer(), collectedOn: Type.String(), amountFen: Type.Integer({ description: '金额（分）' }), item: NullableString() });
const NewMediaJson = Type.Object({
  id: Type.Integer(), agencyId: Type.Integer(), channel: Type.String(), account: NullableString(), publishedOn: Type.String(), count: Type.Integer(), title: NullableString(), itemId: NullableId(),
});
const IssuedAbolishedInForce = Type.Object({ issued: Type.Number(), abolished: Type.Number(), inForce: Type.Number() });
const OverviewJson = Type.Object({
  agency: Type.Object({ code: Type.String(), name: Type.String() }),
  year: Type.Integer(),
  proactive: Type.Object(
    {
      rules: IssuedAbolishedInForce,
      normativeDocuments: IssuedAbolishedInForce,
      licensing: Type.Object({ decisions: Type.Number() }),
      penalties: Type.Object({ decisions: Type.Number() }),
      enforcement: Type.Object({ decisions: Type.Number() }),
      fees: Type.Object({ amount10kYuan: Type.Number() }),
    },
    { description: '表二（主动公开政府信息情况）' },
  ),
  newMedia: Type.Object(Object.fromEntries(service.CHANNELS.map((c) => [c, Type.Integer()])), { description: '各新媒体渠道发布条数' }),
});
const tags = ['registries'];

export default async function registriesRoutes(app: App) {
  // -------------------------------------------------------------------------------------------------------
  // JSON API for other systems (OA, 执法 and 收费 systems, 新媒体 platforms)

  app.post(
    '/api/v1/registries/documents',
    {
      schema: {
        tags, summary: '登记规章或行政规范性文件（制发、废止日期）',
        body: Type.Object({
          agency: Agency,
          kind: Type.Union([Type.Literal('rule'), Type.Literal('normative_document')], { description: 'rule 规章；normative_document 行政规范性文件' }),
          title: Type.String({ minLength: 1, maxLength: 300 }),
          docNumber: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
          issuedOn: DateStr('制发日期'),
          abolishedOn: Type.Optional(Type.Union([DateStr('废止日期'), Type.Null()])),
          itemId: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
        }),
        response: { 201: DocumentJson },
      },
    },
    async (req, reply) => {
      const { agency, ...input } = req.body;
      const d = await service.addDocument(app.ctx, requireActor(req), agency, input);
      return reply.code(201).send(d);
    },
  );

  app.post(
    '/api/v1/registries/documents/:id/abolish',
    {
      schema: {
        tags, summary: '登记文件废止（abolishedOn 为 null 时撤销废止登记）',
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        body: Type.Object({ abolishedOn: Type.Union([DateStr('废止日期'), Type.Null()]) }),
        response: { 200: DocumentJson },
      },
    },
    async (req) => service.abolishDocument(app.ctx, requireActor(req), req.params.id, req.body.abolishedOn),
  );

  app.post(
    '/api/v1/registries/decisions',
    {
      schema: {
        tags, summary: '登记行政许可、行政处罚、行政强制决定（逐件、按批计数，或 year 导入年度汇总数）',
        body: Type.Object({
          agency: Agency,
          kind: Type.Union([Type.Literal('licensing'), Type.Literal('penalty'), Type.Literal('enforcement')]),
          decidedOn: Type.Optional(DateStr('决定日期（逐件或按批）')),
          year: Type.Optional(Type.Integer({ minimum: 2008, maximum: 2100, description: '导入年度汇总数时的年度（记于该年 12 月 31 日）' })),
          count: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000, default: 1 })),
          docNumber: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
          subject: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
        }),
        response: { 201: DecisionJson },
      },
    },
    async (req, reply) => {
      const { agency, ...input } = req.body;
      return reply.code(201).send(await service.addDecisions(app.ctx, requireActor(req), agency, input));
    },
  );

  app.post(
    '/api/v1/registries/fees',
    {
      schema: {
        tags, summary: '登记行政事业性收费（amountYuan 元，或 amountFen 分）',
        body: Type.Object({
          agency: Agency,
          collectedOn: DateStr('收费日期'),
          amountYuan: Type.Optional(Type.Union([Type.String({ pattern: '^\\d{1,12}(\\.\\d{1,2})?$' }), Type.Number({ minimum: 0 })])),
          amountFen: Type.Optional(Type.Integer({ minimum: 0 })),
          item: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
        }),
        response: { 201: FeeJson },
      },
    },
    async (req, reply) => {
      const { agency, ...input } = req.body;
      return reply.code(201).send(await service.addFee(app.ctx, requireActor(req), agency, input));
    },
  );

  app.post(
    '/api/v1/registries/new-media',
    {
      schema: {
        tags, summary: '登记新媒体发布（逐条，或 count 按批计数）',
        body: Type.Object({
          agency: Agency,
          channel: Type.Union(service.CHANNELS.map((c) => Type.Literal(c)), { description: 'wechat 微信公众号；douyin 抖音；toutiao 今日头条；weibo 微博；app 客户端；video 视频号；other 其他' }),
          publishedOn: DateStr('发布日期'),
          count: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000, default: 1 })),
          account: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
          title: Type.Optional(Type.Union([Type.String({ maxLength: 300 }), Type.Null()])),
          itemId: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
        }),
        response: { 201: NewMediaJson },
      },
    },
    async (req, reply) => {
      const { agency, ...input } = req.body;
      return reply.code(201).send(await service.addNewMedia(app.ctx, requireActor(req), agency, input));
    },
  );

  app.get(
    '/api/v1/agencies/:code/registries/:year',
    {
      schema: {
        tags, summary: '某机构某年度的表二统计与新媒体发布条数（按登记计算）',
        params: Type.Object({ code: Type.String({ maxLength: 40 }), year: Type.Integer({ minimum: 2008, maximum: 2100 }) }),
        response: { 200: OverviewJson },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const view = await service.registryOverview(app.ctx, actor, req.params.code, req.params.year, () => false);
      return { agency: { code: view.agency.code, name: view.agency.name }, year: view.year, proactive: view.proactive, newMedia: view.newMedia };
    },
  );

  // -------------------------------------------------------------------------------------------------------
  // Office pages

  async function render(req: FastifyRequest, reply: FastifyReply, extra: { form?: FormName; errors?: { field: string; message: string }[]; values?: Record<string, string>; status?: number } = {}) {
    const actor = requireActor(req);
    const query = req.query as Record<string, string | undefined>;
    const agencies = await readableAgencies(app.ctx, actor);
    if (agencies.length === 0) throw new AppError('forbidden', '您没有可查看的机构');
    const own = agencies.find((a) => a.id === actor.agencyId) ?? agencies[0]!;
    const code = query.agency && agencies.some((a) => a.code === query.agency) ? query.agency : own.code;
    const thisYear = Number(todayCst(app.ctx.now()).slice(0, 4));
    const y = Number(query.year);
    const year = Number.isInteger(y) && y >= 2008 && y <= 2100 ? y : thisYear;
    const view = await service.registryOverview(app.ctx, actor, code, year, (a) => hasRole(actor, a, ['editor', 'approver']));
    return reply.page(h(RegistriesPage, { env: pageEnv(req), view, agencies: agencies.map((a) => ({ code: a.code, name: a.name })), ...extra }), { status: extra.status });
  }

  app.get('/office/registries', { schema: { hide: true } }, async (req, reply) => render(req, reply));

  /** A registry's form: its fields (label and schema); the use case checks what each value means. */
  const formPost = (path: string, form: FormName, shape: Record<string, TSchema>, run: (actor: ReturnType<typeof requireActor>, agency: string | undefined, v: Record<string, string>) => Promise<unknown>, notice: string) => {
    const fields = Object.keys(shape);
    const typed = (body: unknown) => {
      const values: Record<string, string> = {};
      for (const f of fields) values[f] = formField(body, f) ?? '';
      return values;
    };
    const again = (req: FastifyRequest, reply: FastifyReply, e: AppError) =>
      render(req, reply, { form, errors: e.fields ?? [{ field: fields[0]!, message: e.message }], values: typed(req.body), status: 400 });
    const schema = formSchema(Object.fromEntries(fields.map((f) => [f, Form.optional(shape[f]!)])));
    app.post(path, formRoute(schema, { invalid: again }), async (req, reply) => {
      const actor = requireActor(req);
      const query = req.query as Record<string, string | undefined>;
      const values = typed(req.body);
      const agency = query.agency || (await getAgencyById(app.ctx, actor.agencyId)).code;
      try {
        await run(actor, agency, values);
      } catch (e) {
        if (e instanceof AppError && e.code === 'validation') return again(req, reply, e);
        throw e;
      }
      return redirectWithNotice(reply, `/office/registries?agency=${encodeURIComponent(agency)}&year=${encodeURIComponent(query.year ?? '')}`, notice);
    });
  };

  const t = (title: string, maxLength: number) => Form.text(title, { maxLength });
  formPost('/office/registries/documents', 'document', { kind: t('文件类别', 40), title: t('文件名称', 300), docNumber: t('文号', 100), issuedOn: Form.date('印发日期'), abolishedOn: Form.date('废止日期') }, (actor, agency, v) =>
    service.addDocument(app.ctx, actor, agency, { ...v, abolishedOn: v.abolishedOn || null, docNumber: v.docNumber || null }), '文件已登记');
  formPost('/office/registries/decisions', 'decision', { kind: t('决定类别', 40), decidedOn: Form.date('决定日期'), year: t('年度', 10), count: t('件数', 20), docNumber: t('文号', 100), subject: t('事由', 200) }, (actor, agency, v) =>
    service.addDecisions(app.ctx, actor, agency, v), '决定已登记');
  formPost('/office/registries/fees', 'fee', { collectedOn: Form.date('收费日期'), amountYuan: t('金额（元）', 20), item: t('收费事项', 200) }, (actor, agency, v) => service.addFee(app.ctx, actor, agency, v), '收费已登记');
  formPost('/office/registries/new-media', 'media', { channel: t('渠道', 40), account: t('账号名称', 100), publishedOn: Form.date('发布日期'), count: t('条数', 20), title: t('标题', 300) }, (actor, agency, v) => service.addNewMedia(app.ctx, actor, agency, v), '新媒体发布已登记');

  const abolishAgain = (req: FastifyRequest, reply: FastifyReply, e: AppError) => render(req, reply, { form: 'document', errors: e.fields, values: {}, status: 400 });
  app.post('/office/registries/documents/:id/abolish', formRoute(formSchema({ abolishedOn: Form.optional(Form.date('废止日期')) }), { invalid: abolishAgain }), async (req, reply) => {
    const actor = requireActor(req);
    const id = Number((req.params as { id: string }).id);
    const query = req.query as Record<string, string | undefined>;
    const on = req.body.abolishedOn ?? '';
    if (!Number.isInteger(id) || id < 1) throw new AppError('not_found', '该文件登记不存在');
    try {
      await service.abolishDocument(app.ctx, actor, id, on || null);
    } catch (e) {
      if (e instanceof AppError && e.code === 'validation') return abolishAgain(req, reply, e);
      throw e;
    }
    return redirectWithNotice(reply, `/office/registries?agency=${encodeURIComponent(query.agency ?? '')}&year=${encodeURIComponent(query.year ?? '')}`, '废止已登记');
  });
}
