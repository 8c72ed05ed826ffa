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
import { AppError } from '../../errors.js';
import { MAX_QUERY_CHARS } from '../../search/query.js';
import { HOT_SEARCHES, MAX_PAGE, MAX_PAGE_SIZE, SEARCH_KINDS, searchCategories, searchItems } from './search.service.js';

const Hit = Type.Object({
  id: Type.Integer({ description: '公开信息（kind 为 item 或 attachment）：信息 id（/api/v1/items/:id）；年度报告章节、公开指南：检索文档的编号（负数）' }),
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
  kind: Type.Union([Type.Literal('item'), Type.Literal('report'), Type.Literal('guide'), Type.Literal('attachment')], {
    description: 'item：公开信息；report：年度报告的一个部分（url 指向报告页面的该部分）；guide：政府信息公开指南；attachment：公开信息，关键词仅见于其附件（snippet 取自附件，attachment 为附件文件名）',
  }),
  kindLabel: Type.String({ description: '类型名称：公开信息、年度报告、公开指南、附件' }),
  attachment: Type.Optional(Type.String({ description: 'snippet 所在附件的文件名（kind 为 attachment 时）' })),
});

const SearchResponse = Type.Object({
  total: Type.Integer({ description: '命中总数（精确计数：每条结果都含有全部关键词）' }),
  totalCapped: Type.Boolean({ description: '为 true 时匹配条数超过上限：total 是不超过实际数的下限，结果按标题完全相同者在前、其余按发布日期从新到旧排列' }),
  titleHits: Type.Integer({ description: '其中标题或文号含全部关键词的条数' }),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  words: Type.Array(Type.String(), { description: '规范化后的关键词（全角转半角、大写转小写、繁体转简体；标点处以一个空格表示）；每个词都须作为连续字串出现' }),
  sort: Type.Union([Type.Literal('relevance'), Type.Literal('date')], { description: 'relevance：按相关度；date：按发布日期从新到旧' }),
  message: Type.Optional(Type.String({ description: '检索词无法检索时的说明（如只有标点或空格）' })),
  suggestion: Type.Optional(Type.String({ description: '无结果时，与检索词相差一个字的常见标题用语（“您是不是要找”）' })),
  items: Type.Array(Hit, { description: '按相关度：标题即检索词的（如“预算法”→《中华人民共和国预算法》）在前，其次标题含全部关键词的（标题短的在前），再次按正文相关度（BM25 类评分，标题加权）；同分按发布日期从新到旧。sort=date 时按发布日期从新到旧' }),
});

const SearchQuery = Type.Object({
  q: Type.String({ maxLength: 10000, description: `检索词（最多 ${MAX_QUERY_CHARS} 个字）：不含空格的检索词整体作为一个短语；多个词以空格分隔，全部须出现` }),
  agency: Type.Optional(Type.String({ maxLength: 40, description: '机构代码：只检索该机构发布的信息' })),
  category: Type.Optional(Type.String({ maxLength: 100, description: '栏目 / 分类名称' })),
  year: Type.Optional(Type.Integer({ minimum: 1949, maximum: 2100, description: '发布年份' })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 20 })),
  sort: Type.Optional(Type.Union([Type.Literal('relevance'), Type.Literal('date')], { description: '排序：relevance（默认，按相关度）或 date（按时间排序）' })),
  kind: Type.Optional(
    Type.Union([Type.Literal('item'), Type.Literal('report'), Type.Literal('guide'), Type.Literal('all')], {
      default: 'item',
      description: '检索范围：item（默认：公开信息及其附件的文字）、report（已发布的年度报告，按部分）、guide（政府信息公开指南）、all（全部）',
    }),
  ),
});

const str = (v: unknown, max = 100) => (typeof v === 'string' ? v.trim().slice(0, max) : '');

export default async function searchRoutes(app: App) {
  app.get(
    '/api/v1/search',
    {
      schema: {
        tags: ['search'],
        summary: '全文检索已公开的政府信息（及其附件）、年度报告和公开指南',
        description:
          '中文全文检索（docs/search.md）：检索词先做全角转半角、大小写和繁简统一；不含空格的检索词整体作为一个短语（须连续出现），以空格分隔的多个词须全部出现；单个字检索标题和正文。标题、文号、摘要、正文和附件（PDF、DOCX、XLSX 等）的文字均可检索；kind 可选年度报告、公开指南或全部。每条结果都含有全部关键词；total 为精确计数，匹配过多时（totalCapped 为 true）为不超过实际数的下限，结果按标题完全相同者在前、其余按发布日期从新到旧排列。检索词超过 100 个字时返回 400；检索用时过长时返回 503（reason 为 search.timeout）。`agency` 为发布机构名称，`agencyCode` 为其代码。无需令牌。',
        security: [],
        querystring: SearchQuery,
        response: { 200: SearchResponse },
      },
      config: { rateLimit: { max: 240, timeWindow: '1 minute' } },
    },
    async (req) => {
      const q = req.query;
      // kind defaults to item: the contract's answer holds items (ids of /api/v1/items/:id); other kinds are asked for
      const kind = q.kind === 'all' ? undefined : (q.kind ?? 'item');
      const r = await searchItems(app.ctx, { q: q.q, agency: q.agency || undefined, category: q.category || undefined, year: q.year, page: q.page, pageSize: q.pageSize, sort: q.sort, kind });
      if (r.error && r.errorKind === 'timeout') throw new AppError('unavailable', r.error, { reason: 'search.timeout' });
      if (r.error && r.errorKind === 'too_long') throw new AppError('validation', r.error, { reason: 'search.query_too_long', fields: [{ field: 'q', message: r.error }] });
      return { total: r.total, totalCapped: r.totalCapped, titleHits: r.titleHits, page: r.page, pageSize: r.pageSize, words: r.words, sort: r.sort, ...(r.error ? { message: r.error } : {}), ...(r.suggestion ? { suggestion: r.suggestion } : {}), items: r.items };
    },
  );

  app.get('/search', { schema: { hide: true }, config: { rateLimit: { max: 240, timeWindow: '1 minute' } } }, async (req, reply) => {
    const query = req.query as Record<string, unknown>;
    const q = str(query.q, 10_000);
    const sort = query.sort === 'date' ? 'date' : 'relevance';
    const agency = str(query.agency, 40);
    const category = str(query.category);
    const yearText = str(query.year, 4);
    const year = /^\d{4}$/.test(yearText) ? Number(yearText) : undefined;
    const page = Math.min(MAX_PAGE, Math.max(1, Number.parseInt(str(query.page, 4), 10) || 1));
    const kindText = str(query.kind, 10);
    const kind = SEARCH_KINDS.find((k) => k === kindText);
    const thisYear = Number(todayCst(app.ctx.now()).slice(0, 4));
    const [agencies, categories] = await Promise.all([listAgencies(app.ctx), searchCategories(app.ctx)]);
    const result = q ? await searchItems(app.ctx, { q, agency: agency || undefined, category: category || undefined, year, page, sort, kind }) : null;
    const node = h(SearchPage, {
        env: pageEnv(req),
        q,
        agency,
        category,
        year: year ? String(year) : '',
        kind: kind ?? '',
        sort,
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
