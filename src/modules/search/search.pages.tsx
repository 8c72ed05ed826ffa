import { Breadcrumb, Pagination } from '../../ui/components.js';
import type { PageEnv } from '../../ui/env.js';
import { PortalLayout } from '../../ui/layout.js';
import { HIT_KIND_LABELS, SEARCH_KINDS, type SearchKind, type SearchResult } from './search.service.js';

/** The kind filter's choices: 公开信息 covers items found in their attachments too. */
const KIND_FILTER_LABELS: Record<SearchKind, string> = { item: `${HIT_KIND_LABELS.item}（含附件）`, report: HIT_KIND_LABELS.report, guide: HIT_KIND_LABELS.guide };

export interface SearchPageProps {
  env: PageEnv;
  q: string;
  agency: string;
  category: string;
  year: string;
  /** Only this kind (item, report, guide); '' for all. */
  kind?: string;
  sort?: 'relevance' | 'date';
  agencies: { code: string; name: string; depth: number }[];
  categories: string[];
  years: number[];
  hot: string[];
  result: SearchResult | null;
  error?: string;
}

export function searchHref(p: { q: string; agency?: string; category?: string; year?: string; kind?: string; sort?: string; page?: number }): string {
  const u = new URLSearchParams();
  u.set('q', p.q);
  if (p.kind) u.set('kind', p.kind);
  if (p.agency) u.set('agency', p.agency);
  if (p.category) u.set('category', p.category);
  if (p.year) u.set('year', p.year);
  if (p.sort === 'date') u.set('sort', 'date');
  if (p.page && p.page > 1) u.set('page', String(p.page));
  return `/search?${u.toString()}`;
}

export function HotSearches({ hot, id = 'hot' }: { hot: string[]; id?: string }) {
  return (
    <nav class="hot-searches" aria-labelledby={`${id}-h`}>
      <span id={`${id}-h`} class="hot-label">热门搜索：</span>
      {hot.map((h) => (
        <a href={searchHref({ q: h })}>{h}</a>
      ))}
    </nav>
  );
}

export function SearchPage(p: SearchPageProps) {
  const r = p.result;
  // When counting stopped early (totalCapped), more may exist: the next page stays reachable.
  const pages = r ? Math.min(50, Math.max(Math.ceil(r.total / r.pageSize), r.totalCapped && r.items.length === r.pageSize ? r.page + 1 : 0)) : 0;
  const sort = p.sort === 'date' ? 'date' : 'relevance';
  const base = { q: p.q, agency: p.agency, category: p.category, year: p.year, kind: p.kind };
  return (
    <PortalLayout title={p.q ? `“${p.q}”的检索结果` : '全文检索'} env={p.env}>
      <Breadcrumb items={[{ label: '首页', href: '/' }, { label: '全文检索' }]} />
      <h1>全文检索</h1>
      <section class="panel search-panel">
        <form method="get" action="/search" role="search" aria-label="全文检索条件" class="search-form">
          <div class="field">
            <label for="sq">关键词</label>
            <input id="sq" name="q" type="search" value={p.q} maxLength={100} aria-describedby="sq-hint" />
            <p class="hint" id="sq-hint">不含空格的检索词作为一个整体查找；多个词用空格分隔，须全部出现。繁体字、全角字符可直接输入。</p>
          </div>
          <div class="search-filters">
            <div class="field">
              <label for="sk">类型</label>
              <select id="sk" name="kind">
                <option value="">全部类型</option>
                {SEARCH_KINDS.map((k) => (
                  <option value={k} selected={k === p.kind}>{KIND_FILTER_LABELS[k]}</option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="sa">发布机构</label>
              <select id="sa" name="agency">
                <option value="">全部机构</option>
                {p.agencies.map((a) => (
                  <option value={a.code} selected={a.code === p.agency}>{'　'.repeat(Math.min(a.depth, 3))}{a.name}</option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="sc">分类</label>
              <select id="sc" name="category">
                <option value="">全部分类</option>
                {[...new Set([...p.categories, ...(p.category ? [p.category] : [])])].map((c) => (
                  <option value={c} selected={c === p.category}>{c}</option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="sy">发布年份</label>
              <select id="sy" name="year">
                <option value="">全部年份</option>
                {p.years.map((y) => (
                  <option value={String(y)} selected={String(y) === p.year}>{y}年</option>
                ))}
              </select>
            </div>
          </div>
          {sort === 'date' ? <input type="hidden" name="sort" value="date" /> : null}
          <button type="submit">检索</button>
        </form>
        <HotSearches hot={p.hot} />
      </section>
      {p.error ? <div class="notice notice-error" role="alert">{p.error}</div> : null}
      {r?.error ? (
        <div class="notice notice-error" role="alert">
          {r.error}
        </div>
      ) : r ? (
        <section class="panel" aria-labelledby="results-h">
          <h2 id="results-h">检索结果</h2>
          <p class="result-count" role="status">
            {r.totalCapped
              ? `找到 ${r.total.toLocaleString('zh-CN')} 条以上与“${p.q}”相关的结果`
              : r.total > 0
              ? `共找到 ${r.total.toLocaleString('zh-CN')} 条与“${p.q}”相关的结果（标题中含有关键词的 ${r.titleHits.toLocaleString('zh-CN')} 条）`
              : `未找到与“${p.q}”相关的信息。`}
          </p>
          {r.total > 1 ? (
            <p class="search-sort">
              排序：
              {sort === 'relevance' ? <strong aria-current="true">按相关度</strong> : <a href={searchHref(base)}>按相关度</a>}
              {' | '}
              {sort === 'date' ? <strong aria-current="true">按时间排序</strong> : <a href={searchHref({ ...base, sort: 'date' })}>按时间排序</a>}
            </p>
          ) : null}
          {r.totalCapped ? (
            <p class="muted">结果较多：标题与检索词完全相同的排在最前，其余按发布日期从新到旧排列。增加关键词，或按发布机构、年份筛选，可得到按相关度排列的精确结果。</p>
          ) : null}
          {r.suggestion ? (
            <p class="search-suggestion">
              您是不是要找：<a href={searchHref({ ...base, q: r.suggestion })}>{r.suggestion}</a>
            </p>
          ) : null}
          {r.total === 0 ? (
            <div>
              <p>建议：检查是否有错别字；减少关键词或换用更常见的说法；取消类型、机构、分类或年份的限定。</p>
              <p>
                没有找到需要的政府信息？您可以<a href="/apply">提出政府信息公开申请</a>。
              </p>
            </div>
          ) : (
            <ol class="search-results" start={(r.page - 1) * r.pageSize + 1}>
              {r.items.map((it) => (
                <li>
                  <h3 class="result-title">
                    <a href={it.url} dangerouslySetInnerHTML={{ __html: it.titleHtml }} />
                  </h3>
                  {it.attachment ? <p class="result-attachment">附件：{it.attachment}</p> : null}
                  {it.snippet ? <p class="result-snippet" dangerouslySetInnerHTML={{ __html: it.snippetHtml }} /> : null}
                  <p class="result-meta muted">
                    <span class={`badge kind-${it.kind}`}>{it.kindLabel}</span>
                    <span>{it.agency}</span>
                    <span>发布日期：<time datetime={it.publishedOn}>{it.publishedOn}</time></span>
                    {it.docNumber ? <span>文号：{it.docNumber}</span> : null}
                    {it.category ? <span>{it.category}</span> : null}
                    {it.matchedIn === 'title' ? <span class="badge">标题命中</span> : null}
                  </p>
                </li>
              ))}
            </ol>
          )}
          {r.total > 50 * r.pageSize ? <p class="muted">仅显示前 {50 * r.pageSize} 条结果，请增加关键词或使用筛选缩小范围。</p> : null}
          <Pagination page={r.page} pages={pages} href={(n) => searchHref({ ...base, sort, page: n })} />
        </section>
      ) : (
        <section class="panel">
          <h2>检索说明</h2>
          <ul>
            <li>检索本平台主动公开的全部政府信息（标题、文号、摘要、正文和附件中的文字），已发布的政府信息公开工作年度报告（按部分）和各机构的政府信息公开指南；可按类型筛选。</li>
            <li>不含空格的检索词作为一个整体（连续出现）查找；以空格分隔的多个词须全部出现。繁体字、全角字符和大小写不影响结果。</li>
            <li>按相关度排序：标题与检索词相同的（如“预算法”对应《中华人民共和国预算法》）在前，其次标题含有检索词的，再次按正文中出现的多少；也可按时间排序。</li>
            <li>可按发布机构、分类和发布年份筛选。未找到所需信息时，可依法<a href="/apply">申请政府信息公开</a>。</li>
          </ul>
        </section>
      )}
    </PortalLayout>
  );
}
