/** Atom feeds per agency and category, and sitemap.xml. */
import type { Agency } from '../agencies/agencies.service.js';
import type { Category, Item } from './disclosure.service.js';

export function xmlEscape(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

const dateTime = (d: string | null, fallback: string) => (d ? `${d}T00:00:00+08:00` : fallback);

export function atomFeed(o: { baseUrl: string; selfPath: string; agency: Agency; category?: Category; items: Item[]; now: string }): string {
  const { baseUrl, agency, category } = o;
  const title = `${agency.name}${category ? ` · ${category.name}` : ''} · 政府信息公开`;
  const updated = o.items.reduce((m, i) => (i.updatedAt > m ? i.updatedAt : m), o.items[0]?.updatedAt ?? o.now);
  const entries = o.items
    .map((i) => {
      const url = `${baseUrl}/items/${i.id}`;
      return [
        '  <entry>',
        `    <id>${xmlEscape(url)}</id>`,
        `    <title>${xmlEscape(i.title)}</title>`,
        `    <link rel="alternate" type="text/html" href="${xmlEscape(url)}"/>`,
        `    <published>${dateTime(i.publishedOn, i.createdAt)}</published>`,
        `    <updated>${i.updatedAt}</updated>`,
        `    <author><name>${xmlEscape(i.publisher || agency.name)}</name></author>`,
        `    <category term="${xmlEscape(i.categoryName)}"/>`,
        `    <summary>${xmlEscape(i.summary || i.bodyText.slice(0, 200))}</summary>`,
        '  </entry>',
      ].join('\n');
    })
    .join('\n');
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
    `  <id>${xmlEscape(baseUrl + o.selfPath)}</id>`,
    `  <title>${xmlEscape(title)}</title>`,
    `  <updated>${updated}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${xmlEscape(baseUrl + o.selfPath)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xmlEscape(`${baseUrl}/agencies/${encodeURIComponent(agency.code)}${category ? `/catalogue?category=${category.id}` : ''}`)}"/>`,
    `  <author><name>${xmlEscape(agency.name)}</name></author>`,
    entries,
    '</feed>',
    '',
  ].join('\n');
}

export function sitemapUrl(baseUrl: string, path: string, lastmod?: string | null): string {
  return `  <url><loc>${xmlEscape(baseUrl + path)}</loc>${lastmod ? `<lastmod>${lastmod.slice(0, 10)}</lastmod>` : ''}</url>`;
}
