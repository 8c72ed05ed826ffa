/**
 * The two page frames: the public portal (政府信息公开) and the staff office (工作台). Server-rendered,
 * no script needed; 长者模式 (large text) is a link that sets a cookie.
 */
import type { ComponentChildren } from 'preact';
import { ROLE_LABELS } from '../modules/context.js';
import { Notice } from './components.js';
import type { PageEnv } from './env.js';

function Head({ title, env, description, feeds }: { title: string; env: PageEnv; description?: string; feeds?: { title: string; href: string }[] }) {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{`${title} - ${env.site.name}`}</title>
      {description ? <meta name="description" content={description} /> : null}
      <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
      <link rel="stylesheet" href="/assets/site.css" />
      {(feeds ?? []).map((f) => (
        <link rel="alternate" type="application/atom+xml" title={f.title} href={f.href} />
      ))}
    </head>
  );
}

function largeTextHref(env: PageEnv) {
  return `/accessibility/large-text?on=${env.largeText ? '0' : '1'}&back=${encodeURIComponent(env.path)}`;
}

export const PORTAL_NAV = [
  { href: '/', label: '首页' },
  { href: '/agencies', label: '机构目录' },
  { href: '/guide', label: '政府信息公开指南' },
  { href: '/catalogue', label: '法定主动公开内容' },
  { href: '/reports', label: '政府信息公开年报' },
  { href: '/apply', label: '依申请公开' },
  { href: '/search', label: '全文检索' },
];

export function PortalLayout(props: { title: string; env: PageEnv; children: ComponentChildren; description?: string; feeds?: { title: string; href: string }[] }) {
  const { env } = props;
  return (
    <html lang="zh-CN" class={env.largeText ? 'large-text' : undefined}>
      <Head title={props.title} env={env} description={props.description} feeds={props.feeds} />
      <body class={env.largeText ? 'large-text' : undefined}>
        <a class="skip-link" href="#main">跳到主要内容</a>
        <header class="site-head">
        <div class="topbar">
          <div class="wrap topbar-inner">
            <span>{env.site.organiser ? `${env.site.organiser}主办` : '政府信息公开'}</span>
            <span class="topbar-links">
              <a href={largeTextHref(env)}>{env.largeText ? '标准模式' : '长者模式'}</a>
              <a href="/accessibility">无障碍浏览</a>
              <a href="/office">工作人员登录</a>
            </span>
          </div>
        </div>
        <div class="site-header">
          <div class="wrap">
            <a class="site-title" href="/">
              <span class="site-name">{env.site.name}</span>
              <span class="site-sub">政府信息公开专栏</span>
            </a>
            <form class="header-search" action="/search" method="get" role="search" aria-label="站内搜索">
              <label for="hq" class="visually-hidden">搜索政府信息</label>
              <input id="hq" name="q" type="search" placeholder="请输入关键词，如：政府信息公开年报" />
              <button type="submit">搜索</button>
            </form>
          </div>
        </div>
        </header>
        <nav class="main-nav" aria-label="主导航">
          <details class="fold wrap">
            <summary>栏目导航</summary>
            <ul>
              {PORTAL_NAV.map((n) => (
                <li>
                  <a href={n.href} aria-current={env.path === n.href ? 'page' : undefined}>{n.label}</a>
                </li>
              ))}
            </ul>
          </details>
        </nav>
        <main id="main" class="wrap main" tabIndex={-1}>
          <Notice text={env.notice} />
          {props.children}
        </main>
        <footer class="site-footer">
          <div class="wrap">
            <p>
              <a href="/sitemap.xml">网站地图</a> · <a href="/accessibility">无障碍说明</a> · <a href="/apply">政府信息公开申请</a> ·{' '}
              <span>政务服务便民热线 12345</span>
            </p>
            <p>
              {env.site.organiser ? <span>主办单位：{env.site.organiser}　</span> : null}
              {env.site.siteCode ? <span>网站标识码：{env.site.siteCode}　</span> : null}
              {env.site.icp ? <span>{env.site.icp}</span> : null}
            </p>
            <p class="muted">本平台依据《中华人民共和国政府信息公开条例》提供政府信息公开服务。</p>
            {env.replicaLagSeconds ? <p class="muted">本页内容由只读数据副本提供，与最新发布、撤回相比至多滞后 {env.replicaLagSeconds} 秒。</p> : null}
          </div>
        </footer>
      </body>
    </html>
  );
}

export interface OfficeNavItem {
  href: string;
  label: string;
  /** Shown only to accounts holding one of these roles (admins see everything). */
  roles?: readonly string[];
}

export const OFFICE_NAV: OfficeNavItem[] = [
  { href: '/office', label: '工作台' },
  { href: '/office/requests', label: '依申请公开', roles: ['handler', 'supervisor'] },
  { href: '/office/reviews', label: '复议诉讼', roles: ['handler', 'approver', 'supervisor'] },
  { href: '/office/items', label: '主动公开', roles: ['editor', 'reviewer', 'approver', 'supervisor'] },
  { href: '/office/suggestions', label: '依申请转主动', roles: ['editor', 'handler', 'approver'] },
  { href: '/office/registries', label: '登记簿', roles: ['editor', 'approver', 'supervisor'] },
  { href: '/office/guide', label: '公开指南', roles: ['editor', 'approver'] },
  { href: '/office/reports', label: '年度报告', roles: ['handler', 'editor', 'reviewer', 'approver', 'supervisor'] },
  { href: '/office/oversight', label: '监督检查', roles: ['supervisor'] },
  { href: '/office/assessment', label: '考核', roles: ['supervisor'] },
  { href: '/office/supervision', label: '督办', roles: ['supervisor', 'approver', 'handler', 'editor'] },
  { href: '/office/agencies', label: '机构管理' },
  { href: '/office/users', label: '账号管理', roles: [] },
  { href: '/office/calendar', label: '节假日', roles: [] },
  { href: '/office/audit', label: '审计日志' },
  { href: '/office/jobs', label: '后台任务', roles: ['handler', 'editor', 'reviewer', 'approver', 'supervisor'] },
];

function navFor(actor: PageEnv['actor']): OfficeNavItem[] {
  if (!actor) return [];
  const roles = new Set(actor.grants.map((g) => g.role as string));
  if (roles.has('admin')) return OFFICE_NAV;
  return OFFICE_NAV.filter((n) => !n.roles || n.roles.some((r) => roles.has(r)));
}

export function OfficeLayout(props: { title: string; env: PageEnv; children: ComponentChildren }) {
  const { env } = props;
  const actor = env.actor;
  return (
    <html lang="zh-CN" class={env.largeText ? 'large-text' : undefined}>
      <Head title={props.title} env={env} />
      <body class={`office${env.largeText ? ' large-text' : ''}`}>
        <a class="skip-link" href="#main">跳到主要内容</a>
        <header class="office-header">
          <div class="wrap office-header-inner">
            <a class="office-title" href="/office">{env.site.name}<span> · 工作台</span></a>
            {actor ? (
              <div class="office-user">
                <a href="/office/notifications" class="office-notices">
                  提醒通知{env.unread ? <span class="badge badge-err">{env.unread}<span class="visually-hidden">条未读</span></span> : null}
                </a>
                <span>
                  {actor.displayName}（{[...new Set(actor.grants.map((g) => ROLE_LABELS[g.role]))].join('，')}）
                </span>
                <form method="post" action="/office/logout" class="inline">
                  <input type="hidden" name="_csrf" value={env.csrfToken} />
                  <button type="submit" class="link-button">退出登录</button>
                </form>
              </div>
            ) : null}
          </div>
        </header>
        {actor ? (
          <nav class="office-nav" aria-label="工作台导航">
            <ul class="wrap">
              {navFor(actor).map((n) => (
                <li>
                  <a href={n.href} aria-current={env.path === n.href || (n.href !== '/office' && env.path.startsWith(n.href)) ? 'page' : undefined}>{n.label}</a>
                </li>
              ))}
              <li class="nav-right"><a href="/">访问门户</a></li>
            </ul>
          </nav>
        ) : null}
        <main id="main" class="wrap main" tabIndex={-1}>
          <Notice text={env.notice} />
          {props.children}
        </main>
        <footer class="site-footer office-footer">
          <div class="wrap">
            <p class="muted">gongkai 政府信息公开平台 · 工作人员操作均记入防篡改审计日志</p>
          </div>
        </footer>
      </body>
    </html>
  );
}
