import { Type } from '@sinclair/typebox';
import { h } from 'preact';
import { AppError } from '../../errors.js';
import { formField, redirectWithNotice, requireActor, type App, type FastifyRequest } from '../../http/types.js';
import { pageEnv } from '../../http/page-env.js';
import { assertCanRead, canWriteAgency, isAdmin } from '../accounts/access.js';
import * as service from './agencies.service.js';
import { AgenciesPage, AgencyPage, CONTACT_FIELDS } from './agencies.pages.js';

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

  app.post('/office/agencies', { schema: { hide: true } }, async (req, reply) => {
    const actor = requireActor(req);
    const values = {
      code: formField(req.body, 'code') ?? '', name: formField(req.body, 'name') ?? '',
      kind: formField(req.body, 'kind') ?? 'department', parentCode: formField(req.body, 'parentCode') ?? '',
    };
    try {
      const a = await service.createAgency(app.ctx, actor, { ...values, parentCode: values.parentCode || null });
      return redirectWithNotice(reply, `/office/agencies/${encodeURIComponent(a.code)}`, `机构“${a.name}”已创建`);
    } catch (e) {
      if (e instanceof AppError && (e.code === 'validation' || e.code === 'conflict')) {
        const errors = e.fields?.length ? e.fields : [{ field: 'code', message: e.message }];
        return reply.page(await listPage(req, { errors, values }), { status: e.status });
      }
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

  app.post('/office/agencies/:code/one-person-office', { schema: { hide: true } }, async (req, reply) => {
    const { code } = req.params as { code: string };
    const on = formField(req.body, 'onePersonOffice') === '1';
    await service.setOnePersonOffice(app.ctx, requireActor(req), code, on);
    return redirectWithNotice(reply, `/office/agencies/${encodeURIComponent(code)}`, on ? '已标明为一人办公' : '已取消一人办公');
  });

  app.post('/office/agencies/:code', { schema: { hide: true } }, async (req, reply) => {
    const actor = requireActor(req);
    const { code } = req.params as { code: string };
    const values: Record<string, string> = {
      name: formField(req.body, 'name') ?? '',
      orgCode: formField(req.body, 'orgCode') ?? '',
      abbr: formField(req.body, 'abbr') ?? '',
      reconsiderationBody: formField(req.body, 'reconsiderationBody') ?? '',
    };
    for (const f of CONTACT_FIELDS) values[f.name] = formField(req.body, f.name) ?? '';
    const patch: Record<string, string | null> = {};
    for (const [k, v] of Object.entries(values)) patch[k] = k === 'name' ? v : v || null;
    try {
      await service.updateAgency(app.ctx, actor, code, patch);
      return redirectWithNotice(reply, `/office/agencies/${encodeURIComponent(code)}`, '已保存');
    } catch (e) {
      if (e instanceof AppError && e.code === 'validation') {
        return reply.page(await detailPage(req, code, { errors: e.fields, values }), { status: 400 });
      }
      throw e;
    }
  });
}
