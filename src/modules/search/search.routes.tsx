/** The search page and the search API (contract: GET /search, GET /api/v1/search). */
import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { App } from '../../http/types.js';
import { pageEnv } from '../../http/page-env.js';
import { listAgencies } from '../agencies/agencies.service.js';
import { todayCst } from '../context.js';
import { SearchPage } from './search.pages.js';
import { HOT_SEARCHES, MAX_PAGE, MAX_PAGE_SIZE, searchCategories, searchItems } from './search.service.js';

const Hit = Type.Object({
  id: Type.Integer({ description: '信息 id（/api/v1/items/:id）' }),
  title: Type.String({ description: '标题（纯文本）' }),
  url: Type.String({ description: '信息在门户上的页面地址' }),
  agency: Type.String({ description: '发布机构名称' }),
  agencyCode: Type.String({ description: '发布机构代码' }),
  publishedOn: Type.String({ description: '发布日期 YYYY-MM-DD' }),
  snippet: Type.String({ description: '命中位置附近的一段正文（纯文本）' }),
  snippetHtml: Type.String({ description: '同 snippet，已转义的 HTML，关键词以 <mark> 标出' }),
  titleHtml: Type.String({ description: '标题，已转义的 HTML，关键词以 <mark> 标出' }),
  category: Type.String({ description: '栏目 / 分类' }),
  docNumber: Type.Union([Type.String(), Type.Null()], { description: '文号' }),
  matchedIn: Type.Union([Type.Literal('title'), Type.Literal('text')], { description: 'title：标题（或文号）含全部关键词，排在前面；text：仅正文含' }),
});

const SearchResponse = Type.Object({
  total: Type.Integer({ description: '命中总数；计数到 2500 为止（每页最多 50 条、最多 50 页，能翻到的结果都逐条计数），或在本次检索读取的索引量达到上限时提前停止（此时 totalCapped 为 true，表示不少于 total 条）' }),
  totalCapped: Type.Boolean({ description: '为 true 时命中数不少于 total' }),
  titleHits: Type.Integer({ description: '其中标题命中的条数' }),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  words: Type.Array(Type.String(), { description: '分词后的关键词（每个词都须出现）' }),
  items: Type.Array(Hit, { description: '排序：标题命中在前，其后为正文命中；各自按发布日期从新到旧' }),
});

const SearchQuery = Type.Object({
  q: Type.String({ maxLength: 200, description: '关键词；多个词以空格分隔，全部须出现' }),
  agency: Type.Optional(Type.String({ maxLength: 40, description: '机构代码：只检索该机构发布的信息' })),
  category: Type.Optional(Type.String({ maxLength: 100, description: '栏目 / 分类名称' })),
  year: Type.Optional(Type.Integer({ minimum: 1949, maximum: 2100, description: '发布年份' })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 20 })),
});

const str = (v: unknown, max = 100) => (typeof v === 'string' ? v.trim().slice(0, max) : '');

export default async function searchRoutes(app: App) {
  app.get(
    '/api/v1/search',
    {
      schema: {
        tags: ['search'],
        summary: '全文检索已公开的政府信息',
        description:
          '中文全文检索：关键词按词切分，每个词都须作为连续字串出现（按字的二元组索引，长词中的短词也能找到）。标题或文号含全部关键词的排在前面，其后为仅正文含的；各自按发布日期从新到旧。`agency` 为发布机构名称，`agencyCode` 为其代码。无需令牌。',
        security: [],
        querystring: SearchQuery,
        response: { 200: SearchResponse },
      },
      config: { rateLimit: { max: 240, timeWindow: '1 minute' } },
    },
    async (req) => {
      const q = req.query;
      const r = await searchItems(app.ctx, { q: q.q, agency: q.agency || undefined, category: q.category || undefined, year: q.year, page: q.page, pageSize: q.pageSize });
      return { total: r.total, totalCapped: r.totalCapped, titleHits: r.titleHits, page: r.page, pageSize: r.pageSize, words: r.words, items: r.items };
    },
  );

  app.get('/search', { schema: { hide: true }, config: { rateLimit: { max: 240, timeWindow: '1 minute' } } }, async (req, reply) => {
    const query = req.query as Record<string, unknown>;
    const q = str(query.q);
    const agency = str(query.agency, 40);
    const category = str(query.category);
    const yearText = str(query.year, 4);
    const year = /^\d{4}$/.test(yearText) ? Number(yearText) : undefined;
    const page = Math.min(MAX_PAGE, Math.max(1, Number.parseInt(str(query.page, 4), 10) || 1));
    const thisYear = Number(todayCst(app.ctx.now()).slice(0, 4));
    const [agencies, categories] = await Promise.all([listAgencies(app.ctx), searchCategories(app.ctx)]);
    const result = q ? await searchItems(app.ctx, { q, agency: agency || undefined, category: category || undefined, year, page }) : null;
    const node = h(SearchPage, {
        env: pageEnv(req),
        q,
        agency,
        category,
        year: year ? String(year) : '',
        agencies: agencies.map((a) => ({ code: a.code, name: a.name, depth: a.depth })),
        categories,
        years: Array.from({ length: 12 }, (_, i) => thisYear - i),
        hot: HOT_SEARCHES,
        result,
      });
    // ETag over the page; If-None-Match → 304 (results change only when items are published).
    const etag = `W/"${createHash('sha1').update(renderToString(node)).digest('base64url')}"`;
    reply.header('etag', etag).header('cache-control', 'public, max-age=60').header('vary', 'Cookie');
    const inm = req.headers['if-none-match'];
    if (inm && inm.split(',').some((t) => t.trim() === etag)) return reply.code(304).send();
    return reply.page(node, { cache: 'public' });
  });
}
