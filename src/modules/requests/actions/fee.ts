/**
 * 信息处理费 (国办函〔2020〕109号): the fee notice (按件 or 按量, src/law/fees.ts) and the payment received.
 */
import { AppError, invalid } from '../../../errors.js';
import type { Executor } from '../../../db/database.js';
import { FEE_METHODS, FEE_METHOD_LABELS, computeFee, firstItemInMonth, type FeeMethod, type FeeResult } from '../../../law/fees.js';
import type { Actor, Ctx } from '../../context.js';
import * as repo from '../requests.repository.js';
import type { RequestView } from '../requests.views.js';
import { REPLY_CLOCK_REFUSALS } from '../../../law/reply-clock.js';
import { commitAction, int, startHandling, str, type ActionInput } from './action-input.js';

export async function notifyFee(ctx: Ctx, actor: Actor, id: number, input: ActionInput): Promise<RequestView> {
  const h = await startHandling(ctx, actor, id, input);
  const r = h.request;
  if (r.kind !== 'disclosure') throw new AppError('conflict', '更正申请不收取信息处理费', { reason: 'request.fee_not_applicable' });
  const data: Record<string, unknown> = {};
  const method = input.method as FeeMethod;
  if (!FEE_METHODS.includes(method)) throw invalid('请选择收费方式：按件计收（per_request）或按量计收（per_page），一件申请只能适用其中一种（国办函〔2020〕109号第三条）', [{ field: 'method', message: '请选择收费方式' }], 'request.fee_method');
  const pm = str(input.paymentMethod, 300);
  // 按量: the pages are in the form. 按件: which request of the applicant's month this is, read in the action's own
  // transaction (a concurrent notice for the same applicant cannot make both the first).
  const patch: repo.RequestPatch = {};
  const decide = (fee: FeeResult) => {
    if (fee.amount === 0) {
      throw new AppError('unprocessable', `按${FEE_METHOD_LABELS[method]}计算，本申请不收费（${fee.explanation}），无需发出收费通知`, { reason: 'request.fee_zero', fields: [{ field: 'method', message: '本申请不收费' }] });
    }
    data.method = method;
    data.amount = fee.amount;
    data.explanation = fee.explanation;
    if (pm) data.paymentMethod = pm;
    Object.assign(patch, { fee_method: method, fee_pages: method === 'per_page' ? (data.pages as number) : null, fee_yuan: fee.amount, fee_paid_on: null });
  };
  if (method === 'per_page') {
    const pages = int(input.pages);
    if (pages === undefined || !Number.isInteger(pages) || pages < 1 || pages > 1_000_000) throw invalid('按量计收需要填写页数（正整数）', [{ field: 'pages', message: '请填写页数（正整数）' }], 'request.fee_pages');
    data.pages = pages;
    decide(computeFee({ method, pages }));
    return commitAction(h, { action: 'notify_fee', type: 'notify_fee', data, patch });
  }
  // 件数 (一事一申请, 第四条): as given here, else as the request was split before (the `split` action), else 1.
  const given = input.count === undefined || (input.count as unknown) === '' ? undefined : int(input.count);
  if (given !== undefined && !isSplitCount(given)) throw invalid('拆分计算的件数应为 1–100 的整数', [{ field: 'count', message: '件数应为正整数' }], 'request.fee_count');
  const complete = async (tx: Executor) => {
    // The applicant's month in 件, each earlier request as split (src/law/fees.ts firstItemInMonth), read with the
    // month's rows locked: a concurrent split or notice of the same month waits for this one, or this for it.
    const month = r.applicantKey ? await repo.applicationsInMonth(tx, h.ctx.engine, r.agencyId, r.applicantKey, r.receivedOn) : [];
    const current = month.find((a) => a.id === r.id)?.splitItems ?? r.splitItems;
    const count = given ?? current;
    // A notice that splits the request anew moves the 件 of the later requests: not once one of them is charged.
    if (count !== current) refuseIfLaterCharged(month, r.id);
    const ordinal = firstItemInMonth(earlierThan(month, r.id).map((a) => ({ on: a.receivedOn, items: a.splitItems })), r.receivedOn);
    data.ordinal = ordinal;
    data.count = count;
    decide(computeFee({ method, ordinal, count }));
    patch.split_items = count;
  };
  return commitAction(h, { action: 'notify_fee', type: 'notify_fee', data, patch, complete });
}

/** 409 when a request received after `id` in the month has a 按件 notice: its 件 were counted over this one's. */
function refuseIfLaterCharged(month: repo.MonthApplicationRow[], id: number): void {
  const i = month.findIndex((a) => a.id === id);
  const charged = month.slice(i + 1).find((a) => a.feeMethod === 'per_request');
  if (charged) {
    throw new AppError('conflict', `同一申请人本月其后的申请 ${charged.trackingNo} 已按件发出收费通知，其件次以本申请现有件数计算；拆分会改变该通知的件次，不能再拆分`, {
      reason: 'request.split_after_later_fee',
      fields: [{ field: 'count', message: '其后的申请已按件收费' }],
    });
  }
}

const isSplitCount = (n: number | undefined): n is number => n !== undefined && Number.isInteger(n) && n >= 1 && n <= 100;

/** The applications received before request `id` (the list is in receipt order, same day by id). */
function earlierThan(month: repo.MonthApplicationRow[], id: number): repo.MonthApplicationRow[] {
  const i = month.findIndex((a) => a.id === id);
  return i < 0 ? [] : month.slice(0, i);
}

/**
 * 按一事一申请拆分计件 (国办函〔2020〕109号第四条): the request counts as `count` 件 in the applicant's month, whether or
 * not a fee is due for it (its 件 move every later request's 件 and so their 按件 fees). Outside the clock. Refused
 * once a later request of the same month has been sent a 按件 fee notice: that notice's 件 would no longer hold.
 */
export async function recordSplit(ctx: Ctx, actor: Actor, id: number, input: ActionInput): Promise<RequestView> {
  const h = await startHandling(ctx, actor, id, input);
  const r = h.request;
  if (r.kind !== 'disclosure') throw new AppError('conflict', '更正申请不按件计算信息处理费，无需拆分计件', { reason: 'request.fee_not_applicable' });
  const count = int(input.count);
  if (!isSplitCount(count)) throw invalid('拆分计算的件数应为 1–100 的整数', [{ field: 'count', message: '件数应为正整数' }], 'request.split_count');
  if (h.on < r.receivedOn) throw invalid(`${REPLY_CLOCK_REFUSALS.DATE_BEFORE_RECEIPT}：${h.on} 早于收到申请之日 ${r.receivedOn}`, [{ field: 'on', message: '日期早于收到申请之日' }], 'request.date_before_receipt');
  const reason = str(input.reason, 500);
  const data: Record<string, unknown> = { count, from: r.splitItems, ...(reason ? { reason } : {}) };
  const complete = async (tx: Executor) => {
    if (!r.applicantKey) return;
    const month = await repo.applicationsInMonth(tx, ctx.engine, r.agencyId, r.applicantKey, r.receivedOn);
    data.from = month.find((a) => a.id === r.id)?.splitItems ?? r.splitItems;
    refuseIfLaterCharged(month, r.id);
  };
  return commitAction(h, { action: 'split', type: 'split', data, patch: { split_items: count }, complete });
}

export async function receivePayment(ctx: Ctx, actor: Actor, id: number, input: ActionInput): Promise<RequestView> {
  const h = await startHandling(ctx, actor, id, input);
  return commitAction(h, { action: 'receive_payment', type: 'receive_payment', data: {}, patch: { fee_paid_on: h.on } });
}
