/**
 * 依申请转主动 (条例第四十四条): the clusters of released requests of several applicants for the same information
 * (cluster.ts over the search engine's text analysis), offered to the agency's staff; one click drafts a proactive
 * item linked to the requests, which then goes through the usual review (disclosure module).
 */
import { AppError, invalid, notFound } from '../../errors.js';
import { addDays } from '../../law/calendar.js';
import { canRead, hasRole } from '../accounts/access.js';
import { getAgency, type Agency } from '../agencies/agencies.service.js';
import { appendAudit } from '../audit-log/audit-log.service.js';
import { todayCst, type Actor, type Ctx } from '../context.js';
import { categoriesOf, createDraft } from '../disclosure/disclosure.service.js';
import { releasedSince, type ReleasedRow } from '../requests/notices.service.js';
import { textWords } from '../search/search.service.js';
import { clusterRequests, distinguishingWords, type Cluster } from './cluster.js';
import * as repo from './suggestions.repository.js';

/** How far back released requests are compared (days). */
export const LOOKBACK_DAYS = 730;

export interface SuggestionCluster extends Cluster {
  requests: { id: number; trackingNo: string; subject: string; repliedOn: string }[];
}

async function agencyFor(ctx: Ctx, actor: Actor, code: string): Promise<Agency> {
  const agency = await getAgency(ctx, code);
  if (!canRead(actor, agency)) throw new AppError('forbidden', '您无权查看该机构的依申请转主动建议');
  return agency;
}

async function clustersOf(ctx: Ctx, agency: Agency): Promise<{ clusters: SuggestionCluster[]; byId: Map<number, ReleasedRow> }> {
  const today = todayCst(ctx.now());
  const [rows, converted] = await Promise.all([releasedSince(ctx, agency.id, addDays(today, -LOOKBACK_DAYS)), repo.convertedRequestIds(ctx.db, agency.id)]);
  const open = rows.filter((r) => !converted.has(r.id));
  const byId = new Map(open.map((r) => [r.id, r]));
  const clusters = clusterRequests(
    open.map((r) => ({
      id: r.id,
      applicantKey: r.applicantKey,
      subject: r.subject,
      repliedOn: r.repliedOn,
      subjectWords: distinguishingWords(textWords(r.subject)),
      words: distinguishingWords(textWords(`${r.subject} ${r.description.slice(0, 300)}`)),
    })),
  );
  return {
    clusters: clusters.map((c) => ({ ...c, requests: c.requestIds.map((id) => byId.get(id)!).map((r) => ({ id: r.id, trackingNo: r.trackingNo, subject: r.subject, repliedOn: r.repliedOn })) })),
    byId,
  };
}

export async function disclosureSuggestions(ctx: Ctx, actor: Actor, code: string): Promise<{ agency: Agency; clusters: SuggestionCluster[]; conversions: { itemId: number; requests: number; at: string }[] }> {
  const agency = await agencyFor(ctx, actor, code);
  const [{ clusters }, conversions] = await Promise.all([clustersOf(ctx, agency), repo.conversionsOf(ctx.db, agency.id, 20)]);
  return { agency, clusters, conversions };
}

/**
 * Drafts a proactive item from a cluster's requests (the agency's editors): title from the cluster, the requests
 * linked, audited. The requests must be released requests of the agency not yet converted, of two applicants at
 * least. Returns the new item's id (then edited and sent to review as any draft).
 */
export async function convertToProactive(ctx: Ctx, actor: Actor, code: string, input: { requestIds?: unknown; categoryId?: unknown; title?: unknown }): Promise<number> {
  const agency = await agencyFor(ctx, actor, code);
  if (!hasRole(actor, agency, ['editor'])) throw new AppError('forbidden', '转为主动公开需要本机构信息编辑角色');
  const ids = [...new Set((Array.isArray(input.requestIds) ? input.requestIds : [input.requestIds]).map(Number).filter((n) => Number.isInteger(n) && n > 0))];
  const { byId } = await clustersOf(ctx, agency);
  const rows = ids.map((id) => byId.get(id));
  if (ids.length < 2 || rows.some((r) => !r)) throw invalid('所选申请不是本机构已公开且尚未转为主动公开的申请', [{ field: 'requestIds', message: '请从建议中选择申请' }], 'suggestion.requests');
  const released = rows as ReleasedRow[];
  if (new Set(released.map((r) => r.applicantKey)).size < 2) throw invalid('条例第四十四条针对多个申请人的申请：所选申请只来自一位申请人', [{ field: 'requestIds', message: '至少两位申请人' }], 'suggestion.applicants');
  const cats = await categoriesOf(ctx, agency.id);
  const categoryId = Number(input.categoryId) || cats.find((c) => c.kind === 'column')?.id || cats[0]?.id;
  if (!categoryId) throw notFound('目录栏目');
  const title = (typeof input.title === 'string' && input.title.trim()) || released[0]!.subject;
  const item = await createDraft(ctx, actor, agency.code, {
    title: title.slice(0, 200),
    summary: `依照《中华人民共和国政府信息公开条例》第四十四条，${new Set(released.map((r) => r.applicantKey)).size} 位申请人就该信息提出公开申请并已依申请公开，现纳入主动公开范围。`,
    body: '<p>（请补充正文和附件后送审。）</p>',
    categoryId,
  });
  const at = ctx.now();
  await ctx.db.transaction().execute(async (tx) => {
    await repo.insertConversions(tx, { agencyId: agency.id, itemId: item.id, requestIds: ids, by: actor.userId, at: at.toISOString() });
    await appendAudit(tx, { actor, agencyId: agency.id, action: 'item.from_requests', entity: 'item', entityId: item.id, data: { requestIds: ids, trackingNos: released.map((r) => r.trackingNo) }, at });
  });
  return item.id;
}
