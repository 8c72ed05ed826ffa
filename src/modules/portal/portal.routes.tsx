/**
 * The portal's shell: the home page of the 政府信息公开专栏, the agency directory, the 政府信息公开指南
 * (portal and office editor), the 政府信息公开制度 pages and the accessibility statement. Public pages
 * carry an ETag and answer If-None-Match with 304.
 */
import { createHash } from 'node:crypto';
import { h, type VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { AppError } from '../../errors.js';
import { formField, redirectWithNotice, requireActor, type App, type FastifyReply, type FastifyRequest } from '../../http/types.js';
import { pageEnv } from '../../http/page-env.js';
import { Form, formRoute, formSchema } from '../../http/forms.js';
import { getAgency, listAgencies, readableAgencies, type Agency } from '../agencies/agencies.service.js';
import { latestPublished } from '../disclosure/disclosure.service.js';
import { HOT_SEARCHES } from '../search/search.service.js';
import { editableGuide, getGuide, GUIDE_SECTION_LABELS, GUIDE_SECTIONS, MAX_SECTION, saveGuide } from './guide.service.js';

/** The guide editor's form: one text per section of the guide. */
const GuideForm = formSchema(Object.fromEntries(GUIDE_SECTIONS.map((s) => [s, Form.optional(Form.text(GUIDE_SECTION_LABELS[s], { maxLength: MAX_SECTION }))])));
import { AccessibilityPage, DirectoryPage, GuidePage, HomePage, InstitutionsPage, NoAgencyPage, OfficeGuidePage } from './portal.pages.js';

/** A public page with an ETag over its HTML; a matching If-None-Match gets 304 and no body. */
export function cachedPage(req: FastifyRequest, reply: FastifyReply, node: VNode<any>): FastifyReply {
  const html = renderToString(node);
  const etag = `W/"${createHash('sha1').update(html).digest('base64url')}"`;
  reply.header('etag', etag);
  reply.header('cache-control', 'public, max-age=60');
  reply.header('vary', 'Cookie');
  const inm = req.headers['if-none-match'];
  if (inm && inm.split(',').some((t) => t.trim() === etag || t.trim() === '*')) return reply.code(304).send();
  return reply.page(node, { cache: 'public' });
}

/** The top of the hierarchy: the first government without a parent (or the first agency). */
function rootOf(agencies: Agency[]): Agency | null {
  return agencies.find((a) => a.parentId === null && a.kind === 'government') ?? agencies.find((a) => a.parentId === null) ?? null;
}

export default async function portalRoutes(app: App) {
  app.get('/', { schema: { hide: true } }, async (req, reply) => {
    const [agencies, latest] = await Promise.all([listAgencies(app.ctx), latestPublished(app.ctx, { limit: 10 })]);
    return cachedPage(req, reply, h(HomePage, { env: pageEnv(req), latest, hot: HOT_SEARCHES, agencies, root: rootOf(agencies) }));
  });

  app.get('/agencies', { schema: { hide: true } }, async (req, reply) => {
    return cachedPage(req, reply, h(DirectoryPage, { env: pageEnv(req), agencies: await listAgencies(app.ctx) }));
  });

  app.get('/guide', { schema: { hide: true } }, async (req, reply) => {
    const agencies = await listAgencies(app.ctx);
    const root = rootOf(agencies);
    if (!root) return cachedPage(req, reply, h(NoAgencyPage, { env: pageEnv(req), title: '政府信息公开指南' }));
    const guide = await getGuide(app.ctx, root.code);
    return cachedPage(req, reply, h(GuidePage, { env: pageEnv(req), guide, others: agencies.filter((a) => a.id !== root.id) }));
  });

  app.get('/agencies/:code/guide', { schema: { hide: true } }, async (req, reply) => {
    const { code } = req.params as { code: string };
    const guide = await getGuide(app.ctx, code);
    const agencies = await listAgencies(app.ctx);
    const others = agencies.filter((a) => a.id !== guide.agency.id && (a.parentId === guide.agency.id || a.id === guide.agency.parentId));
    return cachedPage(req, reply, h(GuidePage, { env: pageEnv(req), guide, others }));
  });

  app.get('/institutions', { schema: { hide: true } }, async (req, reply) => {
    const agencies = await listAgencies(app.ctx);
    const root = rootOf(agencies);
    if (!root) return cachedPage(req, reply, h(NoAgencyPage, { env: pageEnv(req), title: '政府信息公开制度' }));
    const guide = await getGuide(app.ctx, root.code);
    return cachedPage(req, reply, h(InstitutionsPage, { env: pageEnv(req), guide, others: agencies.filter((a) => a.id !== root.id) }));
  });

  app.get('/agencies/:code/institutions', { schema: { hide: true } }, async (req, reply) => {
    const { code } = req.params as { code: string };
    const guide = await getGuide(app.ctx, code);
    return cachedPage(req, reply, h(InstitutionsPage, { env: pageEnv(req), guide, others: [] }));
  });

  app.get('/accessibility', { schema: { hide: true } }, async (req, reply) => cachedPage(req, reply, h(AccessibilityPage, { env: pageEnv(req) })));

  // The guide editor (editors and approvers of the agency; others with read access see it read-only).
  const officeGuide = async (req: FastifyRequest, reply: FastifyReply, extra: { errors?: { field: string; message: string }[]; values?: Record<string, string>; status?: number } = {}) => {
    const actor = requireActor(req);
    const agencies = await readableAgencies(app.ctx, actor);
    if (agencies.length === 0) throw new AppError('forbidden', '您没有可查看的机构');
    const q = (req.query as Record<string, string | undefined>).agency;
    const code = q && agencies.some((a) => a.code === q) ? q : (agencies.find((a) => a.id === actor.agencyId) ?? agencies[0]!).code;
    const { guide, stored, canEdit } = await editableGuide(app.ctx, actor, code);
    return reply.page(h(OfficeGuidePage, { env: pageEnv(req), guide, stored, canEdit, agencies: agencies.map((a) => ({ code: a.code, name: a.name })), errors: extra.errors, values: extra.values }), { status: extra.status });
  };

  app.get('/office/guide', { schema: { hide: true } }, async (req, reply) => officeGuide(req, reply));

  const typedGuide = (body: unknown) => Object.fromEntries(GUIDE_SECTIONS.map((s) => [s, formField(body, s) ?? '']));
  const guideAgain = (req: FastifyRequest, reply: FastifyReply, e: AppError) => officeGuide(req, reply, { errors: e.fields, values: typedGuide(req.body), status: 400 });
  app.post('/office/guide', formRoute(GuideForm, { invalid: guideAgain }), async (req, reply) => {
    const actor = requireActor(req);
    const code = (req.query as Record<string, string | undefined>).agency ?? '';
    await getAgency(app.ctx, code);
    try {
      await saveGuide(app.ctx, actor, code, typedGuide(req.body));
    } catch (e) {
      if (e instanceof AppError && e.code === 'validation') return guideAgain(req, reply, e);
      throw e;
    }
    return redirectWithNotice(reply, `/office/guide?agency=${encodeURIComponent(code)}`, '政府信息公开指南已保存');
  });
}
