import { Type } from '@sinclair/typebox';
import { h } from 'preact';
import { AppError } from '../../errors.js';
import { formField, redirectWithNotice, requireActor, type App, type FastifyReply, type FastifyRequest } from '../../http/types.js';
import { Form, formRoute, formSchema } from '../../http/forms.js';
import { pageEnv } from '../../http/page-env.js';
import { assertAdmin, assertCanRead, canWriteAgency, isAdmin } from '../accounts/access.js';
import * as service from './agencies.service.js';
import { AgenciesPage, AgencyPage, CONTACT_FIELDS } from './agencies.pages.js';

/** The new agency form (agencies.pages AgenciesPage): the use case checks the code, the kind and the parent. */
const NewAgencyForm = formSchema({
  code: Form.optional(Form.text('机构代码', { maxLength: 32 })),
  name: Form.optional(Form.text('机构名称', { maxLength: 100 })),
  kind: Form.optional(Form.text('机构类型', { maxLength: 40 })),
  parentCode: Form.optional(Form.text('上级机构', { maxLength: 32 })),
});
/** The agency's own form (agencies.pages AgencyPage): name, codes, 行政复议机关 and the contact fields. */
const AgencyForm = formSchema({
  name: Form.optional(Form.text('机构名称', { maxLength: 100 })),
  orgCode: Form.optional(Form.text('组织机构代码', { maxLength: 40 })),
  abbr: Form.optional(Form.text('机关代字', { maxLength: 10 })),
  reconsiderationBody: Form.optional(Form.text('行政复议机关', { maxLength: 100 })),
  ...Object.fromEntries(CONTACT_FIELDS.map((f) => [f.name, Form.optional(Form.text(f.label, { maxLength: 200 }))])),
});
const OnePersonForm = formSchema({ onePersonOffice: Form.choice('一人办公', ['0', '1']) });

const AgencyJson = Type.Object({
  code: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  parent: Type.Union([Type.String(), Type.Null()]),
});

export default async function agenciesRoutes(app: App) {
  app.get(
    '/api/v1/agencies',
    { schema: { tags: ['agencies'], summary: '机构列表', security: [], response: { 200: Type.Array(AgencyJson) } } },
    async () => {
      const all = await service.listAgencies(app.ctx);
      const byId = new Map(all.map((a) => [a.id, a]));
      return all.map((a) => ({ code: a.code, name: a.name, kind: a.kind, parent: a.parentId ? byId.get(a.parentId)!.code : null }));
    },
  );

  const listPage = async (req: FastifyRequest, extra: { errors?: { field: string; message: string }[]; values?: Record<string, string> } = {}) => {
    const actor = requireActor(req);
    const agencies = await service.readableAgencies(app.ctx, actor);
    return h(AgenciesPage, { env: pageEnv(req), agencies, canCreate: isAdmin(actor), ...extra });
  };

  app.get('/office/agencies', { schema: { hide: true } }, async (req, reply) => reply.page(await listPage(req)));

  const typedAgency = (body: unknown) => ({
    code: formField(body, 'code') ?? '', name: formField(body, 'name') ?? '',
    kind: formField(body, 'kind') ?? 'department', parentCode: formField(body, 'parentCode') ?? '',
  });
  const listAgain = async (req: FastifyRequest, reply: FastifyReply, e: AppError) => {
    assertAdmin(requireActor(req)); // only administrators have this form: others are refused, not corrected
    const errors = e.fields?.length ? e.fields : [{ field: 'code', message: e.message }];
    return reply.page(await listPage(req, { errors, values: typedAgency(req.body) }), { status: e.status });
  };
  app.post('/office/agencies', formRoute(NewAgencyForm, { invalid: listAgain }), async (req, reply) => {
    const actor = requireActor(req);
    const values = typedAgency(req.body);
    try {
      const a = await service.createAgency(app.ctx, actor, { ...values, parentCode: values.parentCode || null });
      return redirectWithNotice(reply, `/office/agencies/${encodeURIComponent(a.code)}`, `机构“${a.name}”已创建`);
    } catch (e) {
      if (e instanceof AppError && (e.code === 'validation' || e.code === 'conflict')) return listAgain(req, reply, e);
      throw e;
    }
  });

  const detailPage = async (req: FastifyRequest, code: string, extra: { errors?: { field: string; message: string }[]; values?: Record<string, string> } = {}) => {
    const actor = requireActor(req);
    const agency = await service.getAgency(app.ctx, code);
    assertCanRead(actor, agency);
    const [parent, children] = await Promise.all([
      agency.parentId ? service.getAgencyById(app.ctx, agency.parentId) : Promise.resolve(undefined),
      service.listChildren(app.ctx, agency),
    ]);
    const reconsideration = await service.reconsiderationOf(app.ctx, agency);
    return h(AgencyPage, { env: pageEnv(req), agency, parent, children, reconsideration, canEdit: canWriteAgency(actor, agency), canSetOnePerson: isAdmin(actor), ...extra });
  };

  app.get('/office/agencies/:code', { schema: { hide: true } }, async (req, reply) => {
    return reply.page(await detailPage(req, (req.params as { code: string }).code));
  });

  app.post('/office/agencies/:code/one-person-office', formRoute(OnePersonForm), async (req, reply) => {
    const { code } = req.params as { code: string };
    const on = req.body.onePersonOffice === '1';
    await service.setOnePersonOffice(app.ctx, requireActor(req), code, on);
    return redirectWithNotice(reply, `/office/agencies/${encodeURIComponent(code)}`, on ? '已标明为一人办公' : '已取消一人办公');
  });

  const typedDetail = (body: unknown) => {
    const values: Record<string, string> = {};
    for (const k of Object.keys(AgencyForm.properties)) if (k !== '_csrf') values[k] = formField(body, k) ?? '';
    return values;
  };
  const detailAgain = async (req: FastifyRequest, reply: FastifyReply, e: AppError) =>
    reply.page(await detailPage(req, (req.params as { code: string }).code, { errors: e.fields, values: typedDetail(req.body) }), { status: 400 });
  app.post('/office/agencies/:code', formRoute(AgencyForm, { invalid: detailAgain }), async (req, reply) => {
    const actor = requireActor(req);
    const { code } = req.params as { code: string };
    const values = typedDetail(req.body);
    const patch: Record<string, string | null> = {};
    for (const [k, v] of Object.entries(values)) patch[k] = k === 'name' ? v : v || null;
    try {
      await service.updateAgency(app.ctx, actor, code, patch);
      return redirectWithNotice(reply, `/office/agencies/${encodeURIComponent(code)}`, '已保存');
    } catch (e) {
      if (e instanceof AppError && e.code === 'validation') return detailAgain(req, reply, e);
      throw e;
    }
  });
}
