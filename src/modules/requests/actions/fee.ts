/**
 * 信息处理费 (国办函〔2020〕109号): the fee notice (按件 or 按量, src/law/fees.ts) and the payment received.
 */
import { AppError, invalid } from '../../../errors.js';
import type { Executor } from '../../../db/database.js';
import { FEE_METHODS, FEE_METHOD_LABELS, computeFee, type FeeMethod, type FeeResult } from '../../../law/fees.js';
import type { Actor, Ctx } from '../../context.js';
import * as repo from '../requests.repository.js';
import type { RequestView } from '../requests.views.js';
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
  const count = input.count === undefined || (input.count as unknown) === '' ? 1 : int(input.count);
  if (count === undefined || !Number.isInteger(count) || count < 1 || count > 100) throw invalid('拆分计算的件数应为 1–100 的整数', [{ field: 'count', message: '件数应为正整数' }], 'request.fee_count');
  const complete = async (tx: Executor) => {
    const ordinal = await repo.countInMonthUpTo(tx, r.agencyId, r.applicantKey ?? '', r.receivedOn, r.id);
    data.ordinal = ordinal;
    data.count = count;
    decide(computeFee({ method, ordinal, count }));
  };
  return commitAction(h, { action: 'notify_fee', type: 'notify_fee', data, patch, complete });
}

export async function receivePayment(ctx: Ctx, actor: Actor, id: number, input: ActionInput): Promise<RequestView> {
  const h = await startHandling(ctx, actor, id, input);
  return commitAction(h, { action: 'receive_payment', type: 'receive_payment', data: {}, patch: { fee_paid_on: h.on } });
}
