/**
 * What the notifications module needs from 依申请公开: the running limits (for reminders), the applicant's
 * address for a notice, and a line on the request's 办理记录 for each reminder or notice sent ('notify' events:
 * not clock actions, the reply clock ignores them).
 */
import type { Executor } from '../../db/database.js';
import type { Ctx } from '../context.js';
import * as repo from './notices.repository.js';

export type { LimitRow } from './notices.repository.js';

export const runningLimits = (ctx: Ctx, agencyIds?: number[]) => repo.runningLimits(ctx.db, agencyIds);
export const applicantContact = (ctx: Ctx, id: number) => repo.applicantContact(ctx.db, id);

/** A 'notify' line on the request's record: what was sent to whom (a role, never an address). */
export async function recordNotice(tx: Executor, e: { requestId: number; on: string; what: string; to: string; at: Date }): Promise<void> {
  await repo.insertNoticeEvent(tx, { requestId: e.requestId, on: e.on, data: { what: e.what, to: e.to }, at: e.at.toISOString() });
}

export type { ReleasedRow } from './notices.repository.js';
/** Requests answered with the information released since `since` (for 依申请转主动, 条例第四十四条). */
export const releasedSince = (ctx: Ctx, agencyId: number, since: string, limit = 3000) => repo.releasedSince(ctx.db, agencyId, since, limit);

/** An agency's requests by tracking number (the 督办 about named requests). */
export const requestsByTrackingNos = (ctx: Ctx, agencyId: number, nos: string[]) => repo.byTrackingNos(ctx.db, agencyId, nos);
export const requestsByIds = (ctx: Ctx, ids: number[]) => repo.byIds(ctx.db, ids);
