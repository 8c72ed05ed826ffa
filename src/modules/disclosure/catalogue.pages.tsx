/** Portal pages of 主动公开: the agency's 政府信息公开 page, the catalogue, the item page. */
import { VALIDITY_LABELS, VALIDITY_VALUES } from '../../law/catalogue.js';
import { Breadcrumb, Pagination } from '../../ui/components.js';
import type { PageEnv } from '../../ui/env.js';
import { PortalLayout } from '../../ui/layout.js';
import type { Agency } from '../agencies/agencies.service.js';
import { MetaBox, formatSize } from './disclosure.pages.js';
import type { CategoryWithCount, ItemListRow, PublicItem } from './disclosure.service.js';

const enc = encodeURIComponent;

export function AgencyDisclosurePage({ env, agency, categories, latest }: { env: PageEnv; agency: Agency; categories: CategoryWithCount[]; latest: ItemListRow[] }) {
  const statutory = categories.filter((c) => c.kind === 'statutory');
  const columns = categories.filter((c) => c.kind === 'column');
  const base = `/agencies/${enc(agency.code)}`;
  const CatList = ({ cats }: { cats: CategoryWithCount[] }) => (
    <ul class="list">
      {cats.map((c) => (
        <li>
          <a href={`${base}/catalogue?category=${c.id}`}>{c.name}</a>
          <span class="date">{c.count} 条</span>
        </li>
      ))}
    </ul>
  );
  return (
    <PortalLayout title={`${agency.name} 政府信息公开`} env={env} description={`${agency.name}政府信息公开专栏`} feeds={[{ title: `${agency.name} 最新公开信息`, href: `${base}/feed.xml` }]}>
      <Breadcrumb items={[{ label: '首页', href: '/' }, { label: '机构目录', href: '/agencies' }, { label: agency.name }]} />
      <h1>{agency.name} 政府信息公开</h1>
      <nav class="panel column-nav" aria-label="政府信息公开专栏">
        <ul class="column-links">
          <li><a href={`${base}/guide`}>政府信息公开指南</a></li>
          <li><a href={`${base}/catalogue`}>法定主动公开内容</a></li>
          <li><a href={`${base}/reports`}>政府信息公开年报</a></li>
          <li><a href={`${base}/apply`}>依申请公开</a></li>
        </ul>
      </nav>
      <div class="grid">
        <section class="panel" aria-labelledby="latest-h">
          <h2 id="latest-h">最新公开信息 <a class="more" href={`${base}/catalogue`}>更多<span class="visually-hidden">最新公开信息</span></a></h2>
          {latest.length ? (
            <ul class="list">
              {latest.map((r) => (
                <li><a href={`/items/${r.id}`}>{r.title}</a><span class="date">{r.publishedOn}</span></li>
              ))}
            </ul>
          ) : (
            <p>暂无公开信息。</p>
          )}
          <p><a href={`${base}/feed.xml`}>订阅（Atom）</a></p>
        </section>
        <section class="panel" aria-labelledby="cat-h">
          <h2 id="cat-h">政府信息公开目录</h2>
          <h3>法定主动公开内容（条例第二十条、第二十一条）</h3>
          <CatList cats={statutory} />
          {columns.length ? (
            <div>
              <h3>其他栏目</h3>
              <CatList cats={columns} />
            </div>
          ) : null}
        </section>
      </div>
    </PortalLayout>
  );
}

export interface CatalogueView {
  agency?: Agency;
  agencies?: Agency[];
  categories: CategoryWithCount[];
  category?: CategoryWithCount;
  years: number[];
  rows: ItemListRow[];
  total: number;
  page: number;
  pages: number;
  year?: number;
  validity?: string;
}

export function CataloguePage({ env, v }: { env: PageEnv; v: CatalogueView }) {
  const base = v.agency ? `/agencies/${enc(v.agency.code)}/catalogue` : '/catalogue';
  const qs = (patch: Record<string, string | number | undefined>) => {
    const all: Record<string, string | number | undefined> = { category: v.category?.id, year: v.year, validity: v.validity, ...patch };
    const s = new URLSearchParams(Object.entries(all).filter(([, x]) => x !== undefined && x !== '') as [string, string][]).toString();
    return `${base}${s ? `?${s}` : ''}`;
  };
  const title = v.agency ? `${v.agency.name} ${v.category ? v.category.name : '法定主动公开内容'}` : '法定主动公开内容';
  const feeds = v.agency
    ? [{ title: `${v.agency.name} ${v.category?.name ?? '最新公开信息'}`, href: v.category ? `/agencies/${enc(v.agency.code)}/categories/${v.category.id}/feed.xml` : `/agencies/${enc(v.agency.code)}/feed.xml` }]
    : undefined;
  return (
    <PortalLayout title={title} env={env} feeds={feeds}>
      <Breadcrumb
        items={[
          { label: '首页', href: '/' },
          ...(v.agency ? [{ label: v.agency.name, href: `/agencies/${enc(v.agency.code)}` }] : []),
          { label: '法定主动公开内容', href: v.category ? base : undefined },
          ...(v.category ? [{ label: v.category.name }] : []),
        ]}
      />
      <h1>{title}</h1>
      <div class="catalogue-layout">
        {v.agency ? (
          <nav class="panel catalogue-nav" aria-labelledby="cat-nav-h">
            <details class="fold">
            <summary><span id="cat-nav-h">目录栏目</span>{v.category ? `：${v.category.name}` : '：全部'}</summary>
            <ul class="list">
              <li><a href={qs({ category: undefined, page: undefined })} aria-current={!v.category ? 'page' : undefined}>全部</a></li>
              {v.categories.map((c) => (
                <li><a href={qs({ category: c.id, page: undefined })} aria-current={v.category?.id === c.id ? 'page' : undefined}>{c.name}</a><span class="date">{c.count}</span></li>
              ))}
            </ul>
            </details>
          </nav>
        ) : null}
        <div>
          <section class="panel" aria-labelledby="filter-h">
            <h2 id="filter-h">筛选</h2>
            <form method="get" action={base} class="filters">
              {v.category ? <input type="hidden" name="category" value={String(v.category.id)} /> : null}
              <div class="field">
                <label for="f-year">发布年度</label>
                <select id="f-year" name="year">
                  <option value="">全部年度</option>
                  {v.years.map((y) => <option value={String(y)} selected={v.year === y}>{y} 年</option>)}
                </select>
              </div>
              <div class="field">
                <label for="f-validity">有效性</label>
                <select id="f-validity" name="validity">
                  <option value="">全部</option>
                  {VALIDITY_VALUES.map((x) => <option value={x} selected={v.validity === x}>{VALIDITY_LABELS[x]}</option>)}
                </select>
              </div>
              <button type="submit">筛选</button>
            </form>
          </section>
          <section class="panel" aria-labelledby="list-h">
            <h2 id="list-h">信息列表（共 {v.total} 条）</h2>
            {v.rows.length === 0 ? (
              <p>没有符合条件的信息。</p>
            ) : (
              <table class="catalogue-table stack">
                <caption class="visually-hidden">{title}，第 {v.page} 页</caption>
                <thead>
                  <tr><th scope="col">索引号</th><th scope="col">名称</th>{v.agency ? null : <th scope="col">发布机构</th>}<th scope="col">文号</th><th scope="col">发布日期</th><th scope="col">有效性</th></tr>
                </thead>
                <tbody>
                  {v.rows.map((r) => (
                    <tr>
                      <td class="nowrap" data-label="索引号">{r.indexNo}</td>
                      <td class="title-cell"><a href={`/items/${r.id}`}>{r.title}</a></td>
                      {v.agency ? null : <td data-label="发布机构">{r.agencyName}</td>}
                      <td data-label="文号">{r.docNumber ?? ''}</td>
                      <td class="nowrap" data-label="发布日期">{r.publishedOn}</td>
                      <td data-label="有效性">{VALIDITY_LABELS[r.validity as keyof typeof VALIDITY_LABELS] ?? r.validity}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <Pagination page={v.page} pages={v.pages} href={(n) => qs({ page: n })} />
          </section>
        </div>
      </div>
    </PortalLayout>
  );
}

export function ItemPublicPage({ env, p }: { env: PageEnv; p: PublicItem }) {
  const { item, agency } = p;
  const base = `/agencies/${enc(agency.code)}`;
  return (
    <PortalLayout title={item.title} env={env} description={item.summary || undefined}>
      <Breadcrumb items={[{ label: '首页', href: '/' }, { label: agency.name, href: base }, { label: item.categoryName, href: `${base}/catalogue?category=${item.categoryId}` }, { label: '正文' }]} />
      {item.status !== 'published' ? <div class="notice notice-warning" role="status">预览：此信息尚未发布（{item.status}），公众不可见。</div> : null}
      <MetaBox item={{ ...item, agencyName: agency.name }} />
      <article class="article" aria-labelledby="item-title">
        <h1 id="item-title">{item.title}</h1>
        {item.docNumber ? <p class="doc-number">{item.docNumber}</p> : null}
        {p.policy ? (
          <p class="notice notice-info">本文是对 <a href={p.policy.url}>{p.policy.title}</a> 的政策解读。</p>
        ) : null}
        {/* Sanitised on the way in (content.ts: a safe subset of HTML). */}
        <div class="body" dangerouslySetInnerHTML={{ __html: item.bodyHtml }} />
        {p.attachments.length ? (
          <section aria-labelledby="att-h" class="attachments">
            <h2 id="att-h">附件</h2>
            <ul>
              {p.attachments.map((a) => (
                <li><a href={`/attachments/${a.id}`} download={a.fileName}>{a.fileName}</a>（{formatSize(a.size)}）</li>
              ))}
            </ul>
          </section>
        ) : null}
        {p.interpretations.length ? (
          <section aria-labelledby="interp-h" class="interpretations">
            <h2 id="interp-h">相关解读</h2>
            <ul>
              {p.interpretations.map((r) => <li><a href={r.url}>{r.title}</a>{r.publishedOn ? <span class="muted">（{r.publishedOn}）</span> : null}</li>)}
            </ul>
          </section>
        ) : null}
        <p class="muted published-line">发布机构：{item.publisher || agency.name}　发布日期：{item.publishedOn ?? '—'}</p>
      </article>
    </PortalLayout>
  );
}
