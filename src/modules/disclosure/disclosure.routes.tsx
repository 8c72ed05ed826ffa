/**
 * 主动公开 on the web: the JSON API (/api/v1/items…), the office (/office/items, /office/categories), and the
 * portal (/agencies/:code, its catalogue, /catalogue, /items/:id, attachments, Atom feeds, sitemap.xml).
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { acceptUploads } from '../../http/uploads.js';
import { asBuffer, ButtonsOnly, Form, formRoute, formSchema } from '../../http/forms.js';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { AppError } from '../../errors.js';
import { pageEnv } from '../../http/page-env.js';
import { publicBaseUrl } from '../../http/site-urls.js';
import { formField, redirectWithNotice, requireActor, type App } from '../../http/types.js';
import { DEFAULT_WORD_RULES } from '../../law/screening.js';
import { DISCLOSURE_MODES, VALIDITY_VALUES } from '../../law/catalogue.js';
import { hasRole } from '../accounts/access.js';
import { getAgency, listAgencies, readableAgencies } from '../agencies/agencies.service.js';
import type { Actor } from '../context.js';
import { addAttachment, attachmentPath, removeAttachment } from './attachments.service.js';
import { CategoriesPage, ItemListPage, NewItemPage, OfficeItemPage, type ActionError, type ItemValues } from './disclosure.pages.js';
import * as svc from './disclosure.service.js';
import { atomFeed, sitemapUrl, xmlEscape } from './feeds.js';
import { AgencyDisclosurePage, CataloguePage, ItemPublicPage } from './catalogue.pages.js';

/** The item form (disclosure.pages ItemFields): the use case checks what each value means. */
const ItemForm = formSchema({
  title: Form.optional(Form.text('名称（标题）', { maxLength: 200 })),
  categoryId: Form.optional(Form.integer('所属目录栏目')),
  interprets: Form.optional(Form.text('所解读的政策文件（索引号）', { maxLength: 60 })),
  summary: Form.optional(Form.text('内容概述', { maxLength: 1000 })),
  body: Form.optional(Form.text('正文', { maxLength: 2_000_000, raw: true })),
  generatedOn: Form.optional(Form.date('生成日期')),
  docNumber: Form.optional(Form.text('文号', { maxLength: 100 })),
  publisher: Form.optional(Form.text('发布机构', { maxLength: 100 })),
  subjectCategory: Form.optional(Form.text('主题分类', { maxLength: 40 })),
  genre: Form.optional(Form.text('体裁分类', { maxLength: 40 })),
  disclosureMode: Form.optional(Form.choice('公开方式', DISCLOSURE_MODES, { empty: true })),
  validity: Form.optional(Form.choice('有效性', VALIDITY_VALUES, { empty: true })),
});
const ITEM_FORM_FIELDS = Object.keys(ItemForm.properties).filter((k) => k !== '_csrf');

/** The fields of each workflow form on the item page (disclosure.pages ActionForm): one page, several forms. */
const reason = (title: string) => Form.optional(Form.text(title, { maxLength: 500 }));
const ACTION_FORMS = {
  submit: ButtonsOnly,
  screen: ButtonsOnly,
  override: formSchema({ overrideReason: reason('放行理由') }),
  confidentiality: formSchema({ outcome: Form.optional(Form.choice('保密审查结论', ['pass', 'fail'])), opinion: Form.optional(Form.text('保密审查意见', { maxLength: 1000 })) }),
  approve: formSchema({ approveOpinion: reason('审核意见') }),
  return: formSchema({ returnReason: reason('退回理由') }),
  'sign-off': formSchema({ publishedOn: Form.optional(Form.date('发布日期')) }),
  withdraw: formSchema({ withdrawReason: reason('撤回理由') }),
  validity: formSchema({ newValidity: Form.optional(Form.choice('有效性', VALIDITY_VALUES)) }),
};
const CategoryForm = formSchema({ name: Form.optional(Form.text('栏目名称', { maxLength: 40 })) });
const CategoryEditForm = formSchema({ name: Form.optional(Form.text('栏目名称', { maxLength: 40 })), position: Form.optional(Form.integer('排序', { digits: 6 })) });
const ScreeningWordForm = formSchema({
  word: Form.optional(Form.text('词语', { maxLength: 50 })),
  suggestion: Form.optional(Form.text('建议改为', { maxLength: 50 })),
  kind: Form.optional(Form.choice('类型', ['wrong_word', 'sensitive_wording'])),
});
const AttachmentForm = formSchema({ file: Form.optional(Form.file('附件')) });

const formValues = (body: unknown): ItemValues => {
  const out: ItemValues = {};
  for (const f of ITEM_FORM_FIELDS) out[f] = f === 'body' ? rawField(body, f) : formField(body, f) ?? '';
  return out;
};

function rawField(body: unknown, name: string): string {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '';
}

const intParam = (v: unknown): number | undefined => {
  const n = typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : typeof v === 'number' && Number.isInteger(v) ? v : NaN;
  return Number.isFinite(n) && n > 0 ? n : undefined;
};

const idOf = (req: FastifyRequest): number => {
  const id = intParam((req.params as { id?: string }).id);
  if (!id) throw new AppError('not_found', '信息不存在');
  return id;
};

/**
 * A public page with an ETag from the data it shows: a matching If-None-Match is answered 304 without
 * rendering; otherwise the page is rendered with cache 'public'.
 */
function publicPage(req: FastifyRequest, reply: FastifyReply, data: unknown, render: () => VNode<any>) {
  const notice = (req.query as Record<string, unknown> | undefined)?.notice;
  const tag = `W/"${createHash('sha1').update(JSON.stringify([req.url, req.largeText, notice ?? null, data])).digest('base64url')}"`;
  reply.header('etag', tag);
  reply.header('cache-control', 'public, max-age=60');
  const inm = req.headers['if-none-match'];
  if (inm && inm.split(/\s*,\s*/).includes(tag)) return reply.code(304).send();
  return reply.page(render(), { cache: 'public' });
}

function xml(req: FastifyRequest, reply: FastifyReply, type: string, body: string) {
  const tag = `W/"${createHash('sha1').update(body).digest('base64url')}"`;
  reply.header('etag', tag);
  reply.header('cache-control', 'public, max-age=300');
  reply.type(type);
  const inm = req.headers['if-none-match'];
  if (inm && inm.split(/\s*,\s*/).includes(tag)) return reply.code(304).send();
  return reply.send(body);
}

// ---------------------------------------------------------------------------------------------
// API shapes

const ItemJson = Type.Object({
  id: Type.Integer(),
  indexNo: Type.String(),
  title: Type.String(),
  summary: Type.String(),
  body: Type.String({ description: '正文（经过净化的 HTML）' }),
  bodyText: Type.String(),
  category: Type.String(),
  categoryId: Type.Integer(),
  generatedOn: Type.Union([Type.String(), Type.Null()]),
  publishedOn: Type.Union([Type.String(), Type.Null()]),
  docNumber: Type.Union([Type.String(), Type.Null()]),
  publisher: Type.Union([Type.String(), Type.Null()]),
  subjectCategory: Type.Union([Type.String(), Type.Null()]),
  genre: Type.Union([Type.String(), Type.Null()]),
  disclosureMode: Type.String(),
  validity: Type.String(),
  status: Type.String(),
  dueOn: Type.Union([Type.String(), Type.Null()]),
  late: Type.Union([Type.Boolean(), Type.Null()]),
  agency: Type.Object({ code: Type.String(), name: Type.String() }),
  interpretsItemId: Type.Union([Type.Integer(), Type.Null()]),
  policy: Type.Union([Type.Object({ id: Type.Integer(), title: Type.String(), url: Type.String() }), Type.Null()]),
  interpretations: Type.Array(Type.Object({ id: Type.Integer(), title: Type.String(), url: Type.String() })),
  attachments: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), size: Type.Integer(), mediaType: Type.String(), url: Type.String() })),
  withdrawnReason: Type.Union([Type.String(), Type.Null()]),
  url: Type.String({ description: '门户页面地址' }),
});

const NullableString = () => Type.Union([Type.String(), Type.Null()]);

/** One page of an agency's catalogue (published items). */
const CatalogueJson = Type.Object({
  total: Type.Integer(),
  page: Type.Integer(),
  pages: Type.Integer(),
  items: Type.Array(
    Type.Object({
      id: Type.Integer(), indexNo: Type.String(), title: Type.String(), category: Type.String(), publishedOn: NullableString(),
      docNumber: NullableString(), validity: Type.String(), url: Type.String({ description: '门户页面地址' }),
    }),
  ),
});

const CategoryJson = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  kind: Type.String({ description: 'statutory 条例规定的栏目；column 机关自设栏目' }),
  statuteRef: Type.Union([Type.String({ description: '所依据的条款' }), Type.Null()]),
  count: Type.Integer({ description: '已发布信息数' }),
});

/** The last screening of an item's content and what still stands before approval. */
const ScreeningJson = Type.Object({
  status: Type.String({ description: 'draft | in_review | approved | published | withdrawn' }),
  screening: Type.Union([
    Type.Object({
      id: Type.Integer(),
      itemId: Type.Integer(),
      contentHash: Type.String(),
      hitCount: Type.Integer(),
      hits: Type.Array(
        Type.Object({
          kind: Type.String({ description: 'id_number | mobile_phone | bank_card | wrong_word | sensitive_wording' }),
          start: Type.Integer(),
          end: Type.Integer(),
          match: Type.String({ description: '命中内容（个人信息已部分隐去）' }),
          excerpt: Type.String(),
          message: Type.String(),
          suggestion: Type.Optional(Type.String()),
        }),
      ),
      runBy: Type.Union([Type.Integer(), Type.Null()]),
      runAt: Type.String(),
      overrideReason: NullableString(),
      overrideBy: Type.Union([Type.Integer(), Type.Null()]),
      overrideAt: NullableString(),
    }),
    Type.Null(),
  ]),
  current: Type.Boolean({ description: '筛查结果对应当前内容' }),
  blockers: Type.Array(Type.String(), { description: '审核通过前尚待完成的事项' }),
  steps: Type.Array(
    Type.Object({
      id: Type.Integer(), itemId: Type.Integer(), step: Type.String(), outcome: NullableString(), opinion: NullableString(), contentHash: NullableString(),
      actorId: Type.Union([Type.Integer(), Type.Null()]), actorName: Type.String(), at: Type.String(),
    }),
  ),
});

function itemJson(p: svc.PublicItem) {
  const i = p.item;
  return {
    id: i.id, indexNo: i.indexNo, title: i.title, summary: i.summary, body: i.bodyHtml, bodyText: i.bodyText, category: i.categoryName, categoryId: i.categoryId,
    generatedOn: i.generatedOn, publishedOn: i.publishedOn, docNumber: i.docNumber, publisher: i.publisher, subjectCategory: i.subjectCategory, genre: i.genre,
    disclosureMode: i.disclosureMode, validity: i.validity, status: i.status, dueOn: i.dueOn, late: i.late, agency: { code: p.agency.code, name: p.agency.name },
    interpretsItemId: i.interpretsItemId, policy: p.policy, interpretations: p.interpretations.map((r) => ({ id: r.id, title: r.title, url: r.url })),
    attachments: p.attachments.map((a) => ({ id: a.id, name: a.fileName, size: a.size, mediaType: a.mediaType, url: `/attachments/${a.id}` })),
    withdrawnReason: i.withdrawnReason, url: svc.itemUrl(i.id),
  };
}

const ItemInputJson = Type.Object({
  agency: Type.Optional(Type.String({ description: '机构代码（默认为令牌所属机构）' })),
  title: Type.Optional(Type.String()),
  summary: Type.Optional(Type.String()),
  body: Type.Optional(Type.String()),
  categoryId: Type.Optional(Type.Integer()),
  category: Type.Optional(Type.String({ description: '目录栏目名称（与 categoryId 二选一）' })),
  generatedOn: Type.Optional(Type.String()),
  docNumber: Type.Optional(Type.String()),
  publisher: Type.Optional(Type.String()),
  subjectCategory: Type.Optional(Type.String()),
  genre: Type.Optional(Type.String()),
  disclosureMode: Type.Optional(Type.String()),
  validity: Type.Optional(Type.String()),
  interprets: Type.Optional(Type.String({ description: '所解读政策文件的索引号或 id' })),
});
type ItemInputBody = typeof ItemInputJson.static;
/** A new draft: a title and a catalogue column (categoryId, or category by name) are required. */
const ItemCreateJson = Type.Unsafe<ItemInputBody>({
  ...ItemInputJson,
  required: ['title'],
  anyOf: [{ required: ['categoryId'] }, { required: ['category'] }],
});

const ACTIONS = ['submit', 'screen', 'override', 'confidentiality', 'approve', 'return', 'sign_off', 'withdraw', 'validity'] as const;

export default async function disclosureRoutes(app: App) {
  const ctx = app.ctx;

  await acceptUploads(app, { files: 1, fields: 10, fieldSize: 100_000, parts: 12 });

  async function resolveCategory(agencyCode: string, b: ItemInputBody): Promise<number | undefined> {
    if (b.categoryId !== undefined) return b.categoryId;
    if (b.category === undefined) return undefined;
    const agency = await getAgency(ctx, agencyCode);
    return (await svc.categoriesOf(ctx, agency.id)).find((c) => c.name === b.category)?.id ?? -1;
  }

  // -------------------------------------------------------------------------------------------
  // JSON API

  app.get(
    '/api/v1/items/:id',
    { schema: { tags: ['items'], summary: '主动公开信息（含目录信息、解读关联与附件）', security: [], params: Type.Object({ id: Type.String() }), response: { 200: ItemJson } } },
    async (req) => itemJson(await svc.publicItem(ctx, idOf(req), req.actor)),
  );

  app.get(
    '/api/v1/agencies/:code/items',
    {
      schema: {
        tags: ['items'], summary: '机构的政府信息公开目录（已发布信息）', security: [],
        params: Type.Object({ code: Type.String() }),
        querystring: Type.Object({ category: Type.Optional(Type.Integer()), year: Type.Optional(Type.Integer()), validity: Type.Optional(Type.String()), page: Type.Optional(Type.Integer({ minimum: 1 })) }),
        response: { 200: CatalogueJson },
      },
    },
    async (req) => {
      const q = req.query as { category?: number; year?: number; validity?: string; page?: number };
      const c = await svc.catalogue(ctx, { agencyCode: (req.params as { code: string }).code, categoryId: q.category, year: q.year, validity: q.validity, page: q.page });
      return {
        total: c.total, page: c.page, pages: c.pages,
        items: c.rows.map((r) => ({ id: r.id, indexNo: r.indexNo, title: r.title, category: r.categoryName, publishedOn: r.publishedOn, docNumber: r.docNumber, validity: r.validity, url: svc.itemUrl(r.id) })),
      };
    },
  );

  app.get(
    '/api/v1/agencies/:code/categories',
    { schema: { tags: ['items'], summary: '机构的信息公开目录栏目', security: [], params: Type.Object({ code: Type.String() }), response: { 200: Type.Array(CategoryJson) } } },
    async (req) => {
      const agency = await getAgency(ctx, (req.params as { code: string }).code);
      return (await svc.categoriesOf(ctx, agency.id)).map((c) => ({ id: c.id, name: c.name, kind: c.kind, statuteRef: c.statuteRef, count: c.count }));
    },
  );

  app.post(
    '/api/v1/items',
    { schema: { tags: ['items'], summary: '起草主动公开信息（草稿）', body: ItemCreateJson, response: { 201: ItemJson } } },
    async (req, reply) => {
      const actor = requireActor(req);
      const b = req.body as ItemInputBody;
      const code = b.agency ?? actor.grants.find((g) => g.agencyId === actor.agencyId)?.agencyCode ?? '';
      const item = await svc.createDraft(ctx, actor, code, { ...b, categoryId: await resolveCategory(code, b) });
      reply.code(201);
      return itemJson(await svc.publicItem(ctx, item.id, actor));
    },
  );

  app.patch(
    '/api/v1/items/:id',
    { schema: { tags: ['items'], summary: '修改草稿或待审核信息（未给出的字段保持不变）', params: Type.Object({ id: Type.String() }), body: ItemInputJson, response: { 200: ItemJson } } },
    async (req) => {
      const actor = requireActor(req);
      const id = idOf(req);
      const cur = await svc.publicItem(ctx, id, actor);
      const b = req.body as ItemInputBody;
      const i = cur.item;
      const merged: svc.ItemInput = {
        title: b.title ?? i.title, summary: b.summary ?? i.summary, body: b.body ?? i.bodyHtml, categoryId: (await resolveCategory(cur.agency.code, b)) ?? i.categoryId,
        generatedOn: b.generatedOn ?? i.generatedOn ?? '', docNumber: b.docNumber ?? i.docNumber ?? '', publisher: b.publisher ?? i.publisher ?? '',
        subjectCategory: b.subjectCategory ?? i.subjectCategory ?? '', genre: b.genre ?? i.genre ?? '', disclosureMode: b.disclosureMode ?? i.disclosureMode,
        validity: b.validity ?? i.validity, interprets: b.interprets ?? (i.interpretsItemId ? String(i.interpretsItemId) : ''),
      };
      await svc.updateItem(ctx, actor, id, merged);
      return itemJson(await svc.publicItem(ctx, id, actor));
    },
  );

  app.get(
    '/api/v1/items/:id/screening',
    { schema: { tags: ['items'], summary: '最近一次内容筛查结果与审核前待办', params: Type.Object({ id: Type.String() }), response: { 200: ScreeningJson } } },
    async (req) => {
      const v = await svc.officeItem(ctx, requireActor(req), idOf(req));
      return { status: v.item.status, screening: v.screening ?? null, current: v.screeningCurrent, blockers: v.blockers, steps: v.steps };
    },
  );

  app.post(
    '/api/v1/items/:id/actions',
    {
      schema: {
        tags: ['items'],
        summary: '审核发布流程：submit 提交审核、screen 筛查、override 放行（reason）、confidentiality 保密审查（outcome pass|fail，opinion）、approve 审核通过、return 退回（reason）、sign_off 签发发布（publishedOn）、withdraw 撤回（reason）、validity 变更有效性',
        params: Type.Object({ id: Type.String() }),
        body: Type.Object({
          type: Type.Union(ACTIONS.map((a) => Type.Literal(a))),
          reason: Type.Optional(Type.String()),
          opinion: Type.Optional(Type.String()),
          outcome: Type.Optional(Type.String()),
          publishedOn: Type.Optional(Type.String()),
          validity: Type.Optional(Type.String()),
        }),
        response: { 200: ItemJson },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const id = idOf(req);
      const b = req.body as { type: (typeof ACTIONS)[number]; reason?: string; opinion?: string; outcome?: string; publishedOn?: string; validity?: string };
      await runAction(actor, id, b.type, b);
      return itemJson(await svc.publicItem(ctx, id, actor));
    },
  );

  async function runAction(actor: Actor, id: number, type: string, b: { reason?: string; opinion?: string; outcome?: string; publishedOn?: string; validity?: string }) {
    switch (type) {
      case 'submit': return void (await svc.submitForReview(ctx, actor, id));
      case 'screen': return void (await svc.screenItem(ctx, actor, id));
      case 'override': return svc.overrideScreen(ctx, actor, id, b.reason);
      case 'confidentiality': return svc.confidentialityReview(ctx, actor, id, { outcome: b.outcome, opinion: b.opinion });
      case 'approve': return svc.approveReview(ctx, actor, id, b.opinion);
      case 'return': return svc.returnItem(ctx, actor, id, b.reason);
      case 'sign_off': case 'sign-off': return void (await svc.signOff(ctx, actor, id, { publishedOn: b.publishedOn }));
      case 'withdraw': return svc.withdrawItem(ctx, actor, id, b.reason);
      case 'validity': return svc.changeValidity(ctx, actor, id, b.validity);
      default: throw new AppError('not_found', '操作不存在');
    }
  }

  // -------------------------------------------------------------------------------------------
  // Office

  app.get('/office/items', { schema: { hide: true } }, async (req, reply) => {
    const actor = requireActor(req);
    const q = req.query as Record<string, string | undefined>;
    const filter = { agency: q.agency || undefined, status: q.status || undefined, late: q.late || undefined, q: q.q?.slice(0, 100) || undefined };
    const r = await svc.officeList(ctx, actor, { ...filter, page: intParam(q.page) });
    return reply.page(<ItemListPage env={pageEnv(req)} {...r} filter={filter} />);
  });

  const newItemPage = async (req: FastifyRequest, values: ItemValues, errors?: { field: string; message: string }[]) => {
    const actor = requireActor(req);
    const code = (req.query as { agency?: string }).agency;
    const draftable = (await readableAgencies(ctx, actor)).filter((a) => hasRole(actor, a, ['editor']));
    if (!draftable.length) throw new AppError('forbidden', '您没有起草主动公开信息的权限');
    const agency = code ? draftable.find((a) => a.code === code) : draftable.length === 1 ? draftable[0] : undefined;
    if (code && !agency) throw new AppError('forbidden', '您没有在该机构起草主动公开信息的权限');
    const categories = agency ? await svc.categoriesOf(ctx, agency.id) : [];
    return <NewItemPage env={pageEnv(req)} agency={agency} agencies={draftable} categories={categories} values={values} errors={errors} />;
  };

  app.get('/office/items/new', { schema: { hide: true } }, async (req, reply) => reply.page(await newItemPage(req, {})));

  const newItemAgain = async (req: FastifyRequest, reply: FastifyReply, e: AppError) =>
    reply.page(await newItemPage(req, formValues(req.body), e.fields?.length ? e.fields : [{ field: 'title', message: e.message }]), { status: e.status });
  app.post('/office/items', formRoute(ItemForm, { invalid: newItemAgain }), async (req, reply) => {
    const actor = requireActor(req);
    const code = (req.query as { agency?: string }).agency ?? '';
    try {
      const item = await svc.createDraft(ctx, actor, code, formValues(req.body));
      return redirectWithNotice(reply, `/office/items/${item.id}`, `草稿已保存，索引号 ${item.indexNo}`);
    } catch (e) {
      if (e instanceof AppError && (e.code === 'validation' || e.code === 'conflict' || e.code === 'unprocessable')) return newItemAgain(req, reply, e);
      throw e;
    }
  });

  const itemPage = async (req: FastifyRequest, id: number, extra: { values?: ItemValues; errors?: { field: string; message: string }[]; actionError?: ActionError } = {}) => {
    const view = await svc.officeItem(ctx, requireActor(req), id);
    return <OfficeItemPage env={pageEnv(req)} view={view} {...extra} />;
  };

  app.get('/office/items/:id', { schema: { hide: true } }, async (req, reply) => reply.page(await itemPage(req, idOf(req))));

  const itemAgain = async (req: FastifyRequest, reply: FastifyReply, e: AppError) =>
    reply.page(await itemPage(req, idOf(req), { values: formValues(req.body), errors: e.fields?.length ? e.fields : [{ field: 'title', message: e.message }] }), { status: e.status });
  app.post('/office/items/:id', formRoute(ItemForm, { invalid: itemAgain }), async (req, reply) => {
    const actor = requireActor(req);
    const id = idOf(req);
    try {
      await svc.updateItem(ctx, actor, id, formValues(req.body));
      return redirectWithNotice(reply, `/office/items/${id}`, '已保存修改');
    } catch (e) {
      if (e instanceof AppError && (e.code === 'validation' || e.code === 'conflict')) return itemAgain(req, reply, e);
      throw e;
    }
  });

  const NOTICES: Record<string, string> = {
    submit: '已提交审核，内容筛查已运行', screen: '已重新筛查', override: '已放行筛查结果并记录理由', confidentiality: '保密审查意见已记录',
    approve: '审核通过，等待签发', return: '已退回修改', 'sign-off': '已签发发布', withdraw: '已撤回', validity: '有效性已变更',
  };
  const actionAgain = async (req: FastifyRequest, reply: FastifyReply, action: string, e: AppError) => {
    const values: Record<string, string> = {};
    for (const k of ['overrideReason', 'returnReason', 'withdrawReason', 'opinion', 'approveOpinion', 'outcome', 'publishedOn']) values[k] = formField(req.body, k) ?? '';
    return reply.page(await itemPage(req, idOf(req), { actionError: { form: action, message: e.message, values } }), { status: e.status });
  };
  for (const action of Object.keys(NOTICES) as (keyof typeof ACTION_FORMS)[]) {
    app.post(`/office/items/:id/${action}`, formRoute(ACTION_FORMS[action], { invalid: (req, reply, e) => actionAgain(req, reply, action, e) }), async (req, reply) => {
      const actor = requireActor(req);
      const id = idOf(req);
      // Each form names its fields apart (one page holds several forms; ids must be unique).
      const f = (name: string) => formField(req.body, name);
      const b = {
        reason: f('overrideReason') ?? f('returnReason') ?? f('withdrawReason'),
        opinion: f('opinion') ?? f('approveOpinion'),
        outcome: f('outcome'),
        publishedOn: f('publishedOn'),
        validity: f('newValidity'),
      };
      try {
        await runAction(actor, id, action, b);
        return redirectWithNotice(reply, `/office/items/${id}`, NOTICES[action]);
      } catch (e) {
        if (e instanceof AppError && ['validation', 'conflict', 'unprocessable', 'calendar_not_covered'].includes(e.code)) return actionAgain(req, reply, action, e);
        throw e;
      }
    });
  }

  const attachmentAgain = async (req: FastifyRequest, reply: FastifyReply, e: AppError) =>
    reply.page(await itemPage(req, idOf(req), { actionError: { form: 'attachments', message: e.message } }), { status: e.status });
  app.post('/office/items/:id/attachments', formRoute(AttachmentForm, { invalid: attachmentAgain }), async (req, reply) => {
    const actor = requireActor(req);
    const id = idOf(req);
    const file = req.body.file;
    try {
      const a = await addAttachment(ctx, actor, id, { fileName: file?.fileName ?? '', data: file ? asBuffer(file.data) : Buffer.alloc(0), truncated: !!file?.truncated }, { maxBytes: app.config.maxUploadBytes, dataDir: app.config.dataDir });
      return redirectWithNotice(reply, `/office/items/${id}#attachments`, `附件“${a.fileName}”已上传`);
    } catch (e) {
      if (e instanceof AppError && ['validation', 'conflict', 'payload_too_large', 'unsupported_media'].includes(e.code)) return attachmentAgain(req, reply, e);
      throw e;
    }
  });

  app.post('/office/items/:id/attachments/:aid/delete', formRoute(ButtonsOnly), async (req, reply) => {
    const actor = requireActor(req);
    const aid = intParam((req.params as { aid: string }).aid);
    if (!aid) throw new AppError('not_found', '附件不存在');
    const itemId = await removeAttachment(ctx, actor, aid, app.config.dataDir);
    return redirectWithNotice(reply, `/office/items/${itemId}#attachments`, '附件已删除');
  });

  const categoriesPage = async (req: FastifyRequest, extra: { errors?: { field: string; message: string }[]; values?: Record<string, string> } = {}) => {
    const actor = requireActor(req);
    const readable = await readableAgencies(ctx, actor);
    if (!readable.length) throw new AppError('forbidden', '您无权查看信息公开目录');
    const code = (req.query as { agency?: string }).agency;
    const agency = (code ? readable.find((a) => a.code === code) : readable.find((a) => a.id === actor.agencyId) ?? readable[0]);
    if (!agency) throw new AppError('forbidden', '您无权查看该机构的信息公开目录');
    const [categories, words] = await Promise.all([svc.categoriesOf(ctx, agency.id), svc.listScreeningWords(ctx, actor, agency.code)]);
    return (
      <CategoriesPage
        env={pageEnv(req)} agency={agency} agencies={readable} categories={categories} canManage={hasRole(actor, agency, ['editor', 'approver'])}
        canWords={hasRole(actor, agency, ['reviewer', 'approver'])} words={words.own} defaults={DEFAULT_WORD_RULES} {...extra}
      />
    );
  };
  const agencyQuery = (req: FastifyRequest) => (req.query as { agency?: string }).agency ?? '';
  const backToCategories = (req: FastifyRequest, hash = '') => `/office/categories?agency=${encodeURIComponent(agencyQuery(req))}${hash}`;
  const formError = async (req: FastifyRequest, reply: FastifyReply, e: unknown, values: Record<string, string>, field: string) => {
    if (e instanceof AppError && ['validation', 'conflict', 'unprocessable'].includes(e.code)) {
      return reply.page(await categoriesPage(req, { errors: e.fields?.length ? e.fields : [{ field, message: e.message }], values }), { status: e.status });
    }
    throw e;
  };

  app.get('/office/categories', { schema: { hide: true } }, async (req, reply) => reply.page(await categoriesPage(req)));

  const categoriesAgain = async (req: FastifyRequest, reply: FastifyReply, e: AppError) =>
    formError(req, reply, e, { name: formField(req.body, 'name') ?? '', word: formField(req.body, 'word') ?? '', suggestion: formField(req.body, 'suggestion') ?? '', kind: formField(req.body, 'kind') ?? 'wrong_word' }, 'name');
  app.post('/office/categories', formRoute(CategoryForm, { invalid: categoriesAgain }), async (req, reply) => {
    const values = { name: formField(req.body, 'name') ?? '' };
    try {
      const c = await svc.addCategory(ctx, requireActor(req), agencyQuery(req), values);
      return redirectWithNotice(reply, backToCategories(req), `栏目“${c.name}”已新增`);
    } catch (e) {
      return formError(req, reply, e, values, 'name');
    }
  });

  app.post('/office/categories/:id', formRoute(CategoryEditForm, { invalid: (req, reply, e) => formError(req, reply, e, {}, 'name') }), async (req, reply) => {
    const id = intParam((req.params as { id: string }).id) ?? 0;
    const name = req.body.name;
    const pos = req.body.position;
    try {
      await svc.renameCategory(ctx, requireActor(req), id, { name, position: pos ? Number(pos) : undefined });
      return redirectWithNotice(reply, backToCategories(req), '栏目已保存');
    } catch (e) {
      return formError(req, reply, e, {}, 'name');
    }
  });

  app.post('/office/categories/:id/delete', formRoute(ButtonsOnly), async (req, reply) => {
    try {
      await svc.deleteCategory(ctx, requireActor(req), intParam((req.params as { id: string }).id) ?? 0);
      return redirectWithNotice(reply, backToCategories(req), '栏目已删除');
    } catch (e) {
      return formError(req, reply, e, {}, 'name');
    }
  });

  app.post('/office/screening-words', formRoute(ScreeningWordForm, { invalid: categoriesAgain }), async (req, reply) => {
    const values = { word: req.body.word ?? '', suggestion: req.body.suggestion ?? '', kind: req.body.kind ?? 'wrong_word' };
    try {
      await svc.addScreeningWord(ctx, requireActor(req), agencyQuery(req), values);
      return redirectWithNotice(reply, backToCategories(req, '#words'), `“${values.word}”已加入错敏词表`);
    } catch (e) {
      return formError(req, reply, e, values, 'word');
    }
  });

  app.post('/office/screening-words/:id/delete', formRoute(ButtonsOnly), async (req, reply) => {
    await svc.removeScreeningWord(ctx, requireActor(req), agencyQuery(req), intParam((req.params as { id: string }).id) ?? 0);
    return redirectWithNotice(reply, backToCategories(req, '#words'), '已从错敏词表删除');
  });

  // -------------------------------------------------------------------------------------------
  // Portal

  app.get('/agencies/:code', { schema: { hide: true } }, async (req, reply) => {
    const o = await svc.agencyOverview(ctx, (req.params as { code: string }).code);
    return publicPage(req, reply, [o.agency, o.categories, o.latest.map((r) => [r.id, r.updatedAt])], () => (
      <AgencyDisclosurePage env={pageEnv(req)} agency={o.agency} categories={o.categories} latest={o.latest} />
    ));
  });

  const catalogueQuery = (req: FastifyRequest) => {
    const q = req.query as Record<string, string | undefined>;
    const year = intParam(q.year);
    return { categoryId: intParam(q.category), year: year && year >= 1900 && year <= 2999 ? year : undefined, validity: q.validity || undefined, page: intParam(q.page) };
  };

  app.get('/agencies/:code/catalogue', { schema: { hide: true } }, async (req, reply) => {
    const c = await svc.catalogue(ctx, { agencyCode: (req.params as { code: string }).code, ...catalogueQuery(req) });
    return publicPage(req, reply, [c.agency, c.categories, c.years, c.total, c.rows.map((r) => [r.id, r.updatedAt])], () => <CataloguePage env={pageEnv(req)} v={c} />);
  });

  app.get('/catalogue', { schema: { hide: true } }, async (req, reply) => {
    const c = await svc.catalogue(ctx, catalogueQuery(req));
    return publicPage(req, reply, [c.years, c.total, c.rows.map((r) => [r.id, r.updatedAt])], () => <CataloguePage env={pageEnv(req)} v={c} />);
  });

  app.get('/items/:id', { schema: { hide: true } }, async (req, reply) => {
    const p = await svc.publicItem(ctx, idOf(req), req.actor);
    if (p.item.status !== 'published') {
      // A staff preview: never cached.
      return reply.page(<ItemPublicPage env={pageEnv(req)} p={p} />);
    }
    return publicPage(req, reply, [p.item.updatedAt, p.agency, p.policy, p.interpretations, p.attachments.map((a) => a.id)], () => <ItemPublicPage env={pageEnv(req)} p={p} />);
  });

  app.get('/attachments/:id', { schema: { hide: true } }, async (req, reply) => {
    const id = intParam((req.params as { id: string }).id);
    if (!id) throw new AppError('not_found', '附件不存在');
    const { attachment: a, item } = await svc.attachmentFor(ctx, id, req.actor);
    const path = attachmentPath(app.config.dataDir, a);
    if (!existsSync(path)) throw new AppError('not_found', '附件文件不存在');
    const tag = `"${a.sha256}"`;
    reply.header('etag', tag);
    reply.header('cache-control', item.status === 'published' ? 'public, max-age=3600' : 'no-store');
    if (req.headers['if-none-match'] === tag) return reply.code(304).send();
    reply.type(a.mediaType);
    reply.header('content-length', a.size);
    reply.header('content-disposition', `attachment; filename="${a.fileName.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(a.fileName)}`);
    return reply.send(createReadStream(path));
  });

  app.get('/agencies/:code/feed.xml', { schema: { hide: true } }, async (req, reply) => {
    const code = (req.params as { code: string }).code;
    const f = await svc.feed(ctx, code);
    return xml(req, reply, 'application/atom+xml; charset=utf-8', atomFeed({ baseUrl: publicBaseUrl(app, req), selfPath: `/agencies/${encodeURIComponent(code)}/feed.xml`, ...f, now: ctx.now().toISOString() }));
  });

  app.get('/agencies/:code/categories/:id/feed.xml', { schema: { hide: true } }, async (req, reply) => {
    const { code, id } = req.params as { code: string; id: string };
    const cid = intParam(id);
    if (!cid) throw new AppError('not_found', '栏目不存在');
    const f = await svc.feed(ctx, code, cid);
    return xml(req, reply, 'application/atom+xml; charset=utf-8', atomFeed({ baseUrl: publicBaseUrl(app, req), selfPath: `/agencies/${encodeURIComponent(code)}/categories/${cid}/feed.xml`, ...f, now: ctx.now().toISOString() }));
  });

  const SITEMAP_ITEMS = 40_000;
  const pagesSitemap = async (base: string) => {
    const agencies = await listAgencies(ctx);
    const urls = ['/', '/agencies', '/catalogue', '/guide', '/reports', '/apply', '/search'].map((p) => sitemapUrl(base, p));
    for (const a of agencies) {
      const c = `/agencies/${encodeURIComponent(a.code)}`;
      urls.push(sitemapUrl(base, c), sitemapUrl(base, `${c}/catalogue`), sitemapUrl(base, `${c}/guide`), sitemapUrl(base, `${c}/reports`));
    }
    return urls;
  };
  const urlset = (urls: string[]) => `<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`;

  app.get('/sitemap.xml', { schema: { hide: true } }, async (req, reply) => {
    const base = publicBaseUrl(app, req);
    const total = await svc.countPublished(ctx);
    if (total <= SITEMAP_ITEMS) {
      const urls = await pagesSitemap(base);
      for (const r of await svc.publishedSlice(ctx, 0, SITEMAP_ITEMS)) urls.push(sitemapUrl(base, svc.itemUrl(r.id), r.updatedAt));
      return xml(req, reply, 'application/xml; charset=utf-8', urlset(urls));
    }
    const parts = ['/sitemap-pages.xml', ...Array.from({ length: Math.ceil(total / SITEMAP_ITEMS) }, (_, i) => `/sitemap-items-${i + 1}.xml`)];
    return xml(
      req, reply, 'application/xml; charset=utf-8',
      `<?xml version="1.0" encoding="utf-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${parts.map((p) => `  <sitemap><loc>${xmlEscape(base + p)}</loc></sitemap>`).join('\n')}\n</sitemapindex>\n`,
    );
  });

  app.get('/sitemap-pages.xml', { schema: { hide: true } }, async (req, reply) => xml(req, reply, 'application/xml; charset=utf-8', urlset(await pagesSitemap(publicBaseUrl(app, req)))));

  app.get('/sitemap-items-:n.xml', { schema: { hide: true } }, async (req, reply) => {
    const n = intParam((req.params as { n: string }).n);
    if (!n) throw new AppError('not_found', '页面不存在');
    const rows = await svc.publishedSlice(ctx, (n - 1) * SITEMAP_ITEMS, SITEMAP_ITEMS);
    if (!rows.length) throw new AppError('not_found', '页面不存在');
    return xml(req, reply, 'application/xml; charset=utf-8', urlset(rows.map((r) => sitemapUrl(publicBaseUrl(app, req), svc.itemUrl(r.id), r.updatedAt))));
  });

}
