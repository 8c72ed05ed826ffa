/** The form of an action on a request (the contract's ACTION fields plus deliver / note / transfer), and the
 * checks every action starts with. */
import { AppError, invalid } from '../../../errors.js';
import { isIsoDate } from '../../../law/calendar.js';
import { REPLY_CLOCK_REFUSALS } from '../../../law/reply-clock.js';
import { loadCalendar } from '../../calendar/calendar.service.js';
import type { Actor, Ctx } from '../../context.js';
import { agencyRef, canHandle, loadForStaff } from '../requests.access.js';
import type { RequestRow } from '../requests.repository.js';
import type { RequestView } from '../requests.views.js';
import { applyClockAction, type ActingOn, type RequestAction } from './apply-clock-action.js';

export interface ActionInput {
  type?: string;
  on?: string;
  items?: string[] | string;
  periodWorkingDays?: number;
  party?: string;
  /** 第三方 interest, for the consultation letter. */
  interest?: string;
  days?: number;
  reason?: string;
  method?: string;
  pages?: number;
  /** 按件 and `split`: how many 件 the request is split into (一事一申请); notify_fee defaults to the recorded split. */
  count?: number;
  paymentMethod?: string;
  outcome?: string;
  /** The reply's reasons / text. */
  replyText?: string;
  deliveryMethod?: string;
  referral?: string;
  /** 更正: the competent agency. */
  to?: string;
  /** deliver: which letter, how, and when it was served. */
  letter?: string;
  serviceMethod?: string;
  note?: string;
}

export const str = (v: unknown, max = 2000) => (typeof v === 'string' && v.trim() ? v.trim().slice(0, max) : undefined);
export const int = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : undefined);

/** An action about to be taken: its date (checked), the request (readable and handled by the actor), the calendar. */
export interface Handling extends ActingOn {
  on: string;
  request: RequestRow;
}

/** The checks every action starts with: a date, a request the actor may read and handle. */
export async function startHandling(ctx: Ctx, actor: Actor, id: number, input: ActionInput): Promise<Handling> {
  const on = input.on;
  if (!isIsoDate(on)) throw invalid(`${REPLY_CLOCK_REFUSALS.INVALID_DATE}：${String(on ?? '（未填写）')}`, [{ field: 'on', message: '请填写日期（YYYY-MM-DD）' }], 'request.invalid_date');
  const request = await loadForStaff(ctx, actor, id);
  if (!canHandle(actor, agencyRef(request))) throw new AppError('forbidden', '您没有办理该申请的权限（需要该机构的依申请公开承办人角色）');
  return { ctx, actor, cal: await loadCalendar(ctx), on, request };
}

/** Stores the action in its own transaction (applyClockAction). */
export function commitAction(h: Handling, action: Omit<RequestAction, 'on' | 'patch'> & { patch?: RequestAction['patch'] }): Promise<RequestView> {
  // (`complete`, if given, runs inside the transaction: see RequestAction.)
  return h.ctx.db.transaction().execute((tx) => applyClockAction(tx, h.request, { ...action, on: h.on, patch: action.patch ?? {} }, h));
}
