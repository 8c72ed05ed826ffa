/**
 * The year lock (条例第50条: a published annual report states the year's figures; the records behind them must
 * not change underneath it). A year is locked for an agency when an annual report covering it — its own, or a
 * roll-up that sums it — is published and not unlocked (解除锁定, reports module, with a reason, audited).
 *
 * Every writer calls it inside its own transaction (pass the transaction: on SQLite a read outside it would wait
 * for it) with every date its change touches, before writing:
 *   requests    registering (received date), each action (its date; a reply also the reply it replaces),
 *               the 纠正 reopening (see below)
 *   reviews     filed and concluded dates, old and new
 *   registries  issued / abolished / decided / collected / published dates
 *   disclosure  an item's publication date when it is signed off, published, imported or withdrawn
 * It throws AppError('locked') → HTTP 423, with the reason in Chinese.
 *
 * A 纠正 review decision in a later year reopening a request of a locked year is handled as an office would: the
 * reopening is dated the day the decision is received, and the re-handling (its events, its new reply) is new work
 * counted in the year it happens — 本年新收 in the year of the reopening, its outcome in the year of its reply. The
 * request keeps its first reply (first_outcome, first_replied_on), which the locked year's report counted and
 * still counts; nothing dated in the locked year is written. So only the reopening's and the re-handling's own
 * dates are checked, never the first reply's (requests.reopen.ts, requests.read-model.ts).
 */
import type { Executor } from '../../db/database.js';
import { AppError } from '../../errors.js';
import type { Ctx } from '../context.js';
import * as reports from '../reports/reports.read-model.js';
import * as repo from './year-lock.repository.js';

/**
 * The agency as the year lock needs it. An agency's code and path never change once it exists, so a caller
 * that has already read the agency passes it and saves the lock a lookup.
 */
export interface LockedAgency {
  id: number;
  code: string;
  path: string;
}

/** The reason a year is locked for the agency (Chinese), or null when it is open. */
export async function yearLockReason(dbOrCtx: Executor | Ctx, agencyOrId: number | LockedAgency, date: string | null | undefined): Promise<string | null> {
  if (!date || !/^\d{4}-/.test(date)) return null;
  const tx: Executor = 'db' in dbOrCtx && 'now' in dbOrCtx ? (dbOrCtx as Ctx).db : (dbOrCtx as Executor);
  const year = Number(date.slice(0, 4));
  const agency = typeof agencyOrId === 'number' ? await repo.agencyCodeAndPath(tx, agencyOrId) : agencyOrId;
  if (!agency) return null;
  const ownerIds = agency.path.split('/').filter(Boolean).map(Number);
  for (const r of await reports.publishedCovering(tx, year, ownerIds)) {
    if (!(JSON.parse(r.scope) as string[]).includes(agency.code)) continue;
    if (await reports.openUnlock(tx, r.agencyId, year)) continue;
    return `${r.ownerName}${year}年政府信息公开工作年度报告已发布，${year}年度的记录已锁定；如需修改，请签发人说明理由解除锁定后再操作`;
  }
  return null;
}

/** Throws AppError('locked') (HTTP 423) when `date` falls in a locked year of the agency. */
export async function assertYearOpen(db: Executor | Ctx, agency: number | LockedAgency, date: string | null | undefined): Promise<void> {
  const reason = await yearLockReason(db, agency, date);
  if (reason) throw new AppError('locked', reason, { reason: 'report.year_locked' });
}

/** assertYearOpen for each date (e.g. received and replied dates of a request). */
export async function assertYearsOpen(db: Executor | Ctx, agency: number | LockedAgency, dates: (string | null | undefined)[]): Promise<void> {
  for (const d of new Set(dates.filter(Boolean))) await assertYearOpen(db, agency, d);
}
