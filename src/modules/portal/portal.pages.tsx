import type { ComponentChildren } from 'preact';
import { Breadcrumb, Csrf, ErrorSummary, Field, Section } from '../../ui/components.js';
import type { PageEnv } from '../../ui/env.js';
import { OfficeLayout, PortalLayout } from '../../ui/layout.js';
import type { Agency } from '../agencies/agencies.service.js';
import { AGENCY_KIND_LABELS, GUIDE_SECTION_LABELS, GUIDE_SECTIONS, type Guide, type GuideSection } from './guide.service.js';

/** 重点领域信息公开 (the key areas a city portal lists). */
export const KEY_AREAS = [
  '财政资金', '重点项目建设', '双随机、一公开', '权责清单', '教育事业', '社会保障', '稳岗就业', '养老服务', '保障性住房',
  '食品药品安全', '乡村振兴', '征地信息', '安全生产', '生态环境', '产品质量', '医疗卫生', '价格和收费', '涉农补贴',
  '议案提案', '减税降费', '公共企事业单位信息', '政府采购', '应急预案预警信息', '行政处罚', '重大决策预公开',
  '公共体育文化', '公示公告', '人事任免',
];

const searchLink = (q: string) => `/search?q=${encodeURIComponent(q)}`;

/** Text with one paragraph per line. */
export function Paragraphs({ text }: { text: string }) {
  return (
    <div class="prose">
      {text.split('\n').filter((l) => l.trim()).map((l) => (
        <p>{l}</p>
      ))}
    </div>
  );
}

export interface HomeProps {
  env: PageEnv;
  latest: { id: number; title: string; url: string; publishedOn: string; agencyName: string }[];
  hot: string[];
  agencies: Agency[];
  root: Agency | null;
}

export function HomePage({ env, latest, hot, agencies, root }: HomeProps) {
  const sections = [
    { href: '/guide', title: '政府信息公开指南', text: '信息分类、编排体系、获取方式和公开工作机构的联系方式（条例第十二条）。' },
    { href: '/institutions', title: '政府信息公开制度', text: '本机关政府信息公开工作的各项制度。' },
    { href: '/catalogue', title: '法定主动公开内容', text: '条例第二十条、第二十一条规定应当主动公开的政府信息，按目录分类。' },
    { href: '/reports', title: '政府信息公开年报', text: '历年政府信息公开工作年度报告，按年度从新到旧排列。' },
  ];
  return (
    <PortalLayout title="首页" env={env} description={`${env.site.name}政府信息公开专栏：指南、制度、法定主动公开内容、年报与依申请公开。`}>
      <h1 class="visually-hidden">{env.site.name} 政府信息公开专栏</h1>
      <section class="panel home-search" aria-labelledby="home-search-h">
        <h2 id="home-search-h">政府信息检索</h2>
        <form method="get" action="/search" role="search" aria-labelledby="home-search-h" class="search-form">
          <label for="home-q" class="visually-hidden">关键词</label>
          <input id="home-q" name="q" type="search" maxLength={100} placeholder="输入标题、文号或正文中的词语" />
          <button type="submit">搜索</button>
        </form>
        <nav class="hot-searches" aria-labelledby="home-hot-h">
          <span id="home-hot-h" class="hot-label">热门搜索：</span>
          {hot.map((h) => (
            <a href={searchLink(h)}>{h}</a>
          ))}
        </nav>
      </section>

      <section class="home-sections" aria-labelledby="home-sections-h">
        <h2 id="home-sections-h" class="visually-hidden">政府信息公开专栏</h2>
        <ul class="cards">
          {sections.map((s) => (
            <li class="card">
              <h3><a href={s.href}>{s.title}</a></h3>
              <p>{s.text}</p>
            </li>
          ))}
        </ul>
      </section>

      <div class="grid">
        <Section title="最新文件" id="latest">
          {latest.length === 0 ? (
            <p class="muted">暂无已公开的政府信息。</p>
          ) : (
            <ul class="list dated-list">
              {latest.map((i) => (
                <li>
                  <a href={i.url}>{i.title}</a>
                  <span class="muted"> {i.agencyName} </span>
                  <time datetime={i.publishedOn}>{i.publishedOn}</time>
                </li>
              ))}
            </ul>
          )}
          <p class="more"><a href="/catalogue">更多最新文件</a></p>
        </Section>
        <Section title="政府信息公开申请" id="apply">
          <p>公民、法人或者其他组织可以向行政机关申请获取主动公开以外的政府信息（条例第二十七条）。本平台受理在线申请，答复期限按工作日自动计算，申请人可随时查询办理进度。</p>
          <ul class="actions-list">
            <li><a class="button" href="/apply">在线提交申请</a></li>
            <li><a href="/track">查询办理进度</a></li>
            <li><a href="/guide#access">申请须知（获取方式）</a></li>
          </ul>
          {root ? (
            <p class="muted">
              受理机构：{root.officeName ?? root.name}
              {root.phone ? `，联系电话 ${root.phone}` : ''}
            </p>
          ) : null}
        </Section>
      </div>

      <Section title="重点领域信息公开" id="key-areas">
        <ul class="tag-list">
          {KEY_AREAS.map((k) => (
            <li><a href={searchLink(k)}>{k}</a></li>
          ))}
        </ul>
      </Section>

      <Section title="政府信息公开机构" id="agencies">
        {agencies.length === 0 ? (
          <p>尚未设立机构。</p>
        ) : (
          <ul class="tag-list">
            {agencies.filter((a) => a.depth <= 1).slice(0, 40).map((a) => (
              <li><a href={`/agencies/${encodeURIComponent(a.code)}`}>{a.name}</a></li>
            ))}
          </ul>
        )}
        <p class="more"><a href="/agencies">全部机构目录</a></p>
      </Section>
    </PortalLayout>
  );
}

function Tree({ nodes, children }: { nodes: Agency[]; children: Map<number, Agency[]> }) {
  return (
    <ul class="tree">
      {nodes.map((a) => (
        <li>
          <a href={`/agencies/${encodeURIComponent(a.code)}`}>{a.name}</a>
          <span class="badge">{AGENCY_KIND_LABELS[a.kind]}</span>
          <span class="tree-links">
            <a href={`/agencies/${encodeURIComponent(a.code)}/guide`} aria-label={`${a.name}政府信息公开指南`}>指南</a>
            <a href={`/agencies/${encodeURIComponent(a.code)}/catalogue`} aria-label={`${a.name}政府信息公开目录`}>目录</a>
            <a href={`/agencies/${encodeURIComponent(a.code)}/reports`} aria-label={`${a.name}政府信息公开年报`}>年报</a>
          </span>
          {children.get(a.id)?.length ? <Tree nodes={children.get(a.id)!} children={children} /> : null}
        </li>
      ))}
    </ul>
  );
}

export function DirectoryPage({ env, agencies }: { env: PageEnv; agencies: Agency[] }) {
  const children = new Map<number, Agency[]>();
  const ids = new Set(agencies.map((a) => a.id));
  const roots: Agency[] = [];
  const order = (a: Agency) => ({ government: 0, department: 1, township: 2 })[a.kind] ?? 3;
  for (const a of agencies) {
    if (a.parentId && ids.has(a.parentId)) {
      let l = children.get(a.parentId);
      if (!l) children.set(a.parentId, (l = []));
      l.push(a);
    } else roots.push(a);
  }
  for (const l of children.values()) l.sort((x, y) => order(x) - order(y) || x.name.localeCompare(y.name, 'zh-CN'));
  return (
    <PortalLayout title="机构目录" env={env}>
      <Breadcrumb items={[{ label: '首页', href: '/' }, { label: '机构目录' }]} />
      <h1>政府信息公开机构目录</h1>
      <p>按人民政府、政府部门、乡镇（街道）排列。每个机构的指南、目录和年报各自独立公开。</p>
      <section class="panel" aria-label="机构层级">
        {roots.length === 0 ? <p>尚未设立机构。</p> : <Tree nodes={roots} children={children} />}
      </section>
    </PortalLayout>
  );
}

function ContactTable({ agency }: { agency: Agency }) {
  const rows: [string, string | null][] = [
    ['机构名称', agency.officeName ?? `${agency.name}政府信息公开工作机构`],
    ['办公地址', agency.address],
    ['邮政编码', agency.postcode],
    ['办公时间', agency.officeHours],
    ['联系电话', agency.phone],
    ['传真号码', agency.fax],
    ['电子邮箱', agency.email],
    ['互联网联系方式', agency.website],
  ];
  return (
    <table class="kv">
      <tbody>
        {rows.map(([k, v]) => (
          <tr>
            <th scope="row">{k}</th>
            <td>{v ?? <span class="muted">未公布</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function GuidePage({ env, guide, others }: { env: PageEnv; guide: Guide; others: Agency[] }) {
  const a = guide.agency;
  const sec = (id: string, n: string, s: GuideSection, extra?: ComponentChildren) => (
    <section class="panel" id={id} aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{n}、{GUIDE_SECTION_LABELS[s]}</h2>
      <Paragraphs text={guide.sections[s]} />
      {extra}
    </section>
  );
  return (
    <PortalLayout title={`${a.name}政府信息公开指南`} env={env}>
      <Breadcrumb items={[{ label: '首页', href: '/' }, { label: '政府信息公开指南', href: '/guide' }, { label: a.name }]} />
      <h1>{a.name}政府信息公开指南</h1>
      <p class="muted">
        依据《中华人民共和国政府信息公开条例》第十二条编制。{guide.updatedAt ? `更新时间：${guide.updatedAt.slice(0, 10)}` : '本指南根据机构信息自动生成。'}
      </p>
      {sec('classification', '一', 'classification')}
      {sec('arrangement', '二', 'arrangement', <p><a href={`/agencies/${encodeURIComponent(a.code)}/catalogue`}>查看{a.name}政府信息公开目录</a></p>)}
      {sec('access', '三', 'access', <p><a href="/apply">在线提交政府信息公开申请</a></p>)}
      <section class="panel" id="office" aria-labelledby="office-h">
        <h2 id="office-h">四、政府信息公开工作机构</h2>
        <ContactTable agency={a} />
      </section>
      {guide.sections.other.trim() ? (
        <section class="panel" id="other" aria-labelledby="other-h">
          <h2 id="other-h">五、{GUIDE_SECTION_LABELS.other}</h2>
          <Paragraphs text={guide.sections.other} />
        </section>
      ) : null}
      {others.length ? (
        <section class="panel" aria-labelledby="others-h">
          <h2 id="others-h">其他机构的政府信息公开指南</h2>
          <ul class="tag-list">
            {others.map((o) => (
              <li><a href={`/agencies/${encodeURIComponent(o.code)}/guide`}>{o.name}</a></li>
            ))}
          </ul>
        </section>
      ) : null}
    </PortalLayout>
  );
}

export function InstitutionsPage({ env, guide, others }: { env: PageEnv; guide: Guide; others: Agency[] }) {
  const a = guide.agency;
  return (
    <PortalLayout title={`${a.name}政府信息公开制度`} env={env}>
      <Breadcrumb items={[{ label: '首页', href: '/' }, { label: '政府信息公开制度', href: '/institutions' }, { label: a.name }]} />
      <h1>{a.name}政府信息公开制度</h1>
      <section class="panel">
        <Paragraphs text={guide.sections.institutions} />
      </section>
      {others.length ? (
        <section class="panel" aria-labelledby="others-h">
          <h2 id="others-h">其他机构的政府信息公开制度</h2>
          <ul class="tag-list">
            {others.map((o) => (
              <li><a href={`/agencies/${encodeURIComponent(o.code)}/institutions`}>{o.name}</a></li>
            ))}
          </ul>
        </section>
      ) : null}
    </PortalLayout>
  );
}

export function NoAgencyPage({ env, title }: { env: PageEnv; title: string }) {
  return (
    <PortalLayout title={title} env={env}>
      <Breadcrumb items={[{ label: '首页', href: '/' }, { label: title }]} />
      <h1>{title}</h1>
      <section class="panel"><p>尚未设立机构。</p></section>
    </PortalLayout>
  );
}

export function AccessibilityPage({ env }: { env: PageEnv }) {
  const toggle = `/accessibility/large-text?on=${env.largeText ? '0' : '1'}&back=${encodeURIComponent('/accessibility')}`;
  return (
    <PortalLayout title="无障碍说明" env={env}>
      <Breadcrumb items={[{ label: '首页', href: '/' }, { label: '无障碍说明' }]} />
      <h1>无障碍说明</h1>
      <Section title="长者模式（大字号、高对比度）" id="large-text">
        <p>点击每页顶部的“长者模式”，页面改用大字号和更高对比度的配色，行距加大，便于老年人和视力不佳的读者阅读；再次点击“标准模式”即可恢复。该设置保存在您的浏览器中（一个不含个人信息的 Cookie），对本站所有页面有效。</p>
        <p>当前：{env.largeText ? '已开启长者模式' : '标准模式'}。<a href={toggle}>{env.largeText ? '切换到标准模式' : '开启长者模式'}</a></p>
      </Section>
      <Section title="键盘和读屏软件" id="keyboard">
        <ul>
          <li>每页第一个链接“跳到主要内容”可跳过导航，直接到达正文。</li>
          <li>所有功能都可以只用键盘完成：Tab 键前进、Shift+Tab 后退、回车键打开链接或提交表单；获得焦点的元素有明显的边框。</li>
          <li>页面使用规范的标题层级、地标区域和表格表头，表单控件都有文字标签，出错时错误说明显示在对应的输入框旁，并在表单顶部汇总。</li>
          <li>统计图同时以文字给出数值，读屏软件可以读出。</li>
          <li>本站页面不依赖 JavaScript，关闭脚本后检索、浏览和提交申请均可正常使用。</li>
        </ul>
      </Section>
      <Section title="标准" id="standard">
        <p>本站按照《信息技术 互联网内容无障碍可访问性技术要求与测试方法》（GB/T 37668）和 WCAG 2.1 AA 级的要求设计，页面语言标注为简体中文。</p>
      </Section>
      <Section title="获取帮助" id="help">
        <p>申请公开政府信息的公民存在阅读困难或者视听障碍的，行政机关应当为其提供必要的帮助（《中华人民共和国政府信息公开条例》第四十三条）。需要帮助时，请联系有关机关的政府信息公开工作机构（联系方式见各机关的<a href="/guide">政府信息公开指南</a>），也可拨打政务服务便民热线 12345。</p>
        <p>发现本站存在无障碍问题，欢迎通过上述方式告诉我们。</p>
      </Section>
    </PortalLayout>
  );
}

export function OfficeGuidePage({ env, guide, stored, canEdit, agencies, errors, values }: {
  env: PageEnv;
  guide: Guide;
  stored: Record<GuideSection, string>;
  canEdit: boolean;
  agencies: { code: string; name: string }[];
  errors?: { field: string; message: string }[];
  values?: Record<string, string>;
}) {
  const a = guide.agency;
  const err = (f: string) => errors?.find((e) => e.field === f)?.message;
  return (
    <OfficeLayout title="政府信息公开指南" env={env}>
      <Breadcrumb items={[{ label: '工作台', href: '/office' }, { label: '政府信息公开指南' }]} />
      <h1>政府信息公开指南：{a.name}</h1>
      <form method="get" action="/office/guide" class="inline-form">
        <label for="ga">机构</label>
        <select id="ga" name="agency">
          {agencies.map((x) => (
            <option value={x.code} selected={x.code === a.code}>{x.name}</option>
          ))}
        </select>
        <button type="submit">切换</button>
      </form>
      <p>
        <a href={`/agencies/${encodeURIComponent(a.code)}/guide`}>查看门户上的指南</a> ·{' '}
        <a href={`/office/agencies/${encodeURIComponent(a.code)}`}>修改公开工作机构的名称、地址、办公时间和联系方式</a>（指南第四部分直接取自机构信息）
      </p>
      {canEdit ? (
        <form method="post" action={`/office/guide?agency=${encodeURIComponent(a.code)}`}>
          <ErrorSummary errors={errors} />
          <Csrf token={env.csrfToken} />
          {GUIDE_SECTIONS.map((s) => (
            <Field
              name={s}
              label={GUIDE_SECTION_LABELS[s]}
              textarea
              rows={s === 'access' ? 14 : 8}
              value={values ? values[s] : stored[s]}
              error={err(s)}
              hint={guide.defaults.includes(s) ? '当前显示自动生成的默认文本（如下）。留空保存即继续使用默认文本。' : '留空保存即恢复自动生成的默认文本。'}
            />
          ))}
          <button type="submit">保存指南</button>
        </form>
      ) : (
        <p class="muted">您可以查看，但只有该机构的信息编辑或签发人可以修改指南。</p>
      )}
      <section class="panel" aria-labelledby="preview-h">
        <h2 id="preview-h">当前公开的文本</h2>
        {GUIDE_SECTIONS.map((s) => (
          <div>
            <h3>{GUIDE_SECTION_LABELS[s]}{guide.defaults.includes(s) ? <span class="badge">默认</span> : null}</h3>
            <Paragraphs text={guide.sections[s] || '（无）'} />
          </div>
        ))}
      </section>
    </OfficeLayout>
  );
}
