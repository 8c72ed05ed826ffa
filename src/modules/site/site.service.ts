/**
 * The site's identity in the portal's footer and top bar: 主办单位, 网站标识码 and the ICP record number. Set by
 * the environment (GONGKAI_SITE_*: it wins), or stored in the database (the demo stores the demo city's).
 * Read once at start and kept in memory; a change through saveSiteIdentity is seen at once in this process.
 */
import type { Actor, Ctx } from '../context.js';
import type { Db } from '../../db/database.js';
import { appendAudit } from '../audit-log/audit-log.service.js';
import { readSettings, writeSetting } from './site.repository.js';

export interface SiteIdentity {
  organiser: string;
  siteCode: string;
  icp: string;
}

const KEYS: Record<keyof SiteIdentity, string> = { organiser: 'site.organiser', siteCode: 'site.site_code', icp: 'site.icp' };
const stored = new WeakMap<object, Partial<SiteIdentity>>();

export async function loadSiteIdentity(ctx: Ctx): Promise<Partial<SiteIdentity>> {
  const m = await readSettings(ctx.db, 'site.');
  const id: Partial<SiteIdentity> = {};
  for (const [k, key] of Object.entries(KEYS) as [keyof SiteIdentity, string][]) if (m.get(key)) id[k] = m.get(key)!;
  stored.set(ctx.db, id);
  return id;
}

/** What the pages show: the environment's values, else the stored ones. */
export function siteIdentity<T extends SiteIdentity>(db: Db, configured: T): T {
  const s = stored.get(db);
  if (!s) return configured;
  return { ...configured, organiser: configured.organiser || s.organiser || '', siteCode: configured.siteCode || s.siteCode || '', icp: configured.icp || s.icp || '' };
}

export async function saveSiteIdentity(ctx: Ctx, actor: Actor | { system: string }, id: Partial<SiteIdentity>): Promise<void> {
  const at = ctx.now();
  await ctx.db.transaction().execute(async (tx) => {
    for (const [k, v] of Object.entries(id) as [keyof SiteIdentity, string][]) if (v !== undefined) await writeSetting(tx, KEYS[k], v.trim().slice(0, 100), at.toISOString());
    await appendAudit(tx, { actor, action: 'site.identity', entity: 'site', entityId: null, data: { ...id }, at });
  });
  await loadSiteIdentity(ctx);
}
