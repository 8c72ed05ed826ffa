/**
 * 依申请转主动 over HTTP: `GET /api/v1/agencies/:code/disclosure-suggestions` (the clusters, for the agency's
 * staff) and the office page /office/suggestions with the one-click draft.
 */
import { Type } from '@sinclair/typebox';
import { AppError } from '../../errors.js';
import { Form, formRoute, formSchema } from '../../http/forms.js';
import { pageEnv } from '../../http/page-env.js';
import { redirectWithNotice, requireActor, type App, type FastifyReply, type FastifyRequest } from '../../http/types.js';
import { Csrf, ErrorSummary, Section } from '../../ui/components.js';
import { OfficeLayout } from '../../ui/layout.js';
import { hasRole } from '../accounts/access.js';
import { categoriesOf } from '../disclosure/disclosure.service.js';
import { convertToProactive, disclosureSuggestions, LOOKBACK_DAYS } from './suggestions.service.js';

const ClusterJson = Type.Object({
  subject: Type.String({ description: '申请内容（最能代表本组的一件申请的标题）' }),
  requestIds: Type.Array(Type.Integer(), { description: '本组申请的编号' }),
  applicants: Type.Integer({ description: '不同申请人的人数（同一申请人多次申请计为一人）' }),
  lastRepliedOn: Type.String({ description: '本组最近一次答复日期 YYYY-MM-DD' }),
});

const SuggestionsResponse = Type.Object({ clusters: Type.Array(ClusterJson) });

export default async function suggestionsRoutes(app: App) {
  app.get(
    '/api/v1/agencies/:code/disclosure-suggestions',
    {
      schema: {
        tags: ['disclosure'],
        summary: '依申请转主动建议（条例第四十四条）',
        description: `近 ${LOOKBACK_DAYS} 天内已予以公开或部分公开、且尚未转为主动公开的申请中，多个申请人申请相同信息的分组（按申请内容和描述的相似度，用全文检索的分词）。仅限该机构工作人员及其上级监督检查账号。`,
        params: Type.Object({ code: Type.String() }),
        response: { 200: SuggestionsResponse },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const { clusters } = await disclosureSuggestions(app.ctx, actor, (req.params as { code: string }).code);
      return { clusters: clusters.map((c) => ({ subject: c.subject, requestIds: c.requestIds, applicants: c.applicants, lastRepliedOn: c.lastRepliedOn })) };
    },
  );

  app.get('/office/suggestions', { schema: { hide: true } }, async (req, reply) => {
    const actor = requireActor(req);
    const q = req.query as { agency?: string; error?: string };
    const code = q.agency || actor.grants.find((g) => g.role !== 'supervisor')?.agencyCode || actor.grants[0]?.agencyCode;
    if (!code) throw new AppError('forbidden', '您的账号没有所属机构');
    const s = await disclosureSuggestions(app.ctx, actor, code);
    const canConvert = hasRole(actor, s.agency, ['editor']);
    const cats = canConvert ? await categoriesOf(app.ctx, s.agency.id) : [];
    const env = pageEnv(req);
    const agencies = [...new Map(actor.grants.filter((g) => g.role !== 'admin').map((g) => [g.agencyCode, g.agencyCode])).keys()];
    return reply.page(
      <OfficeLayout title="依申请转主动" env={env}>
        <h1>依申请转主动：{s.agency.name}</h1>
        {q.error ? <ErrorSummary errors={[{ field: 'requestIds', message: q.error.slice(0, 200) }]} /> : null}
        <p>
          《中华人民共和国政府信息公开条例》第四十四条：多个申请人就相同政府信息向同一行政机关提出公开申请，且该政府信息属于可以公开的，行政机关可以纳入主动公开的范围。
          下面是近两年内已予以公开（含部分公开）的申请中，不同申请人申请相同信息的分组。
        </p>
        {agencies.length > 1 ? (
          <form method="get" action="/office/suggestions" class="inline">
            <label for="agency">机构</label>{' '}
            <select id="agency" name="agency">
              {agencies.map((c) => <option value={c} selected={c === s.agency.code}>{c}</option>)}
            </select>{' '}
            <button type="submit" class="secondary">查看</button>
          </form>
        ) : null}
        <Section title={`建议转为主动公开的信息（${s.clusters.length} 组）`} id="clusters">
          {s.clusters.length ? (
            s.clusters.map((c, i) => (
              <article class="panel">
                <h3>{c.subject}</h3>
                <p class="muted">
                  {c.applicants} 位申请人，{c.requestIds.length} 件申请，最近答复 {c.lastRepliedOn}
                </p>
                <form method="post" action={`/office/suggestions/${encodeURIComponent(s.agency.code)}/convert`}>
                  <Csrf token={env.csrfToken} />
                  <fieldset>
                    <legend>本组申请</legend>
                    <ul class="list">
                      {c.requests.map((r) => (
                        <li>
                          {canConvert ? <input type="checkbox" id={`c${i}-r${r.id}`} name="requestIds" value={String(r.id)} checked /> : null}{' '}
                          <label for={`c${i}-r${r.id}`}>
                            <a href={`/office/requests/${r.id}`}>{r.trackingNo}</a> {r.subject}（答复 {r.repliedOn}）
                          </label>
                        </li>
                      ))}
                    </ul>
                  </fieldset>
                  {canConvert ? (
                    <>
                      <div class="field">
                        <label for={`c${i}-title`}>信息名称</label>
                        <input id={`c${i}-title`} name="title" value={c.subject} maxLength={200} />
                      </div>
                      <div class="field">
                        <label for={`c${i}-cat`}>目录栏目</label>
                        <select id={`c${i}-cat`} name="categoryId">
                          {cats.map((cat) => <option value={String(cat.id)}>{cat.name}</option>)}
                        </select>
                      </div>
                      <button type="submit">一键转为主动公开（生成草稿，按常规流程审核）</button>
                    </>
                  ) : (
                    <p class="muted">转为主动公开需要本机构信息编辑角色。</p>
                  )}
                </form>
              </article>
            ))
          ) : (
            <p>暂无建议：近两年没有多个申请人申请相同信息的情形。</p>
          )}
        </Section>
        {s.conversions.length ? (
          <Section title="已转为主动公开" id="converted">
            <ul class="list">
              {s.conversions.map((c) => (
                <li>
                  <a href={`/office/items/${c.itemId}`}>信息 #{c.itemId}</a>：由 {c.requests} 件申请转来（{c.at.slice(0, 10)}）
                </li>
              ))}
            </ul>
          </Section>
        ) : null}
      </OfficeLayout>,
    );
  });

  /** A suggestion's form: the ticked requests, the catalogue category and the title of the draft. */
  const ConvertForm = formSchema({
    requestIds: Form.optional(Form.list('所选申请', Form.integer('申请', { required: true }), { maxItems: 200 })),
    categoryId: Form.optional(Form.integer('所属目录栏目')),
    title: Form.optional(Form.text('信息名称', { maxLength: 200 })),
  });
  // The suggestions page holds one such form per cluster: its message is shown at the top of the page.
  const refused = (req: FastifyRequest, reply: FastifyReply, err: AppError) =>
    reply.redirect(`/office/suggestions?agency=${encodeURIComponent((req.params as { code: string }).code)}&error=${encodeURIComponent(err.message)}`, 303);
  app.post('/office/suggestions/:code/convert', formRoute(ConvertForm, { invalid: refused }), async (req, reply) => {
    const actor = requireActor(req);
    const { code } = req.params as { code: string };
    try {
      const id = await convertToProactive(app.ctx, actor, code, { requestIds: req.body.requestIds ?? [], categoryId: req.body.categoryId, title: req.body.title });
      return redirectWithNotice(reply, `/office/items/${id}`, '已生成主动公开信息草稿，请补充正文和附件后送审');
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation') return refused(req, reply, err);
      throw err;
    }
  });
}
