/**
 * 答复 (条例第36条; table 三's 21 outcomes) and, for a 更正 request (第41条), its result — including the
 * transfer to the competent agency, stored as the reply.
 */
import { invalid } from '../../../errors.js';
import { isOutcomeKey } from '../../../law/outcomes.js';
import { REPLY_CLOCK_REFUSALS } from '../../../law/reply-clock.js';
import type { Actor, Ctx } from '../../context.js';
import type * as repo from '../requests.repository.js';
import type { RequestView } from '../requests.views.js';
import { RECORD_OUTCOMES } from '../requests.vocabulary.js';
import { commitAction, startHandling, str, type ActionInput } from './action-input.js';

export function reply(ctx: Ctx, actor: Actor, id: number, input: ActionInput): Promise<RequestView> {
  return conclude(ctx, actor, id, input, 'reply');
}

/** 更正: 不属于本机关职能范围，转送有权更正的行政机关. */
export function transferRecordCorrection(ctx: Ctx, actor: Actor, id: number, input: ActionInput): Promise<RequestView> {
  return conclude(ctx, actor, id, input, 'transfer');
}

async function conclude(ctx: Ctx, actor: Actor, id: number, input: ActionInput, action: 'reply' | 'transfer'): Promise<RequestView> {
  const h = await startHandling(ctx, actor, id, input);
  const disclosure = h.request.kind === 'disclosure';
  const data: Record<string, unknown> = {};
  const patch: repo.RequestPatch = {};
  const outcome = action === 'transfer' ? 'record.transferred' : str(input.outcome, 80);
  if (!outcome) throw invalid('请选择办理结果', [{ field: 'outcome', message: '请选择办理结果' }], 'request.outcome_required');
  if (disclosure && !isOutcomeKey(outcome)) {
    throw invalid(`${REPLY_CLOCK_REFUSALS.OUTCOME_INVALID}：“${outcome}”`, [{ field: 'outcome', message: '办理结果不是年度报告表三的21项之一' }], 'request.unknown_outcome');
  }
  if (!disclosure && !(RECORD_OUTCOMES as readonly string[]).includes(outcome)) {
    throw invalid(`更正申请的办理结果应为 ${RECORD_OUTCOMES.join('、')} 之一：“${outcome}”`, [{ field: 'outcome', message: '更正申请的办理结果不正确' }], 'request.unknown_outcome');
  }
  if (outcome === 'record.transferred') {
    const to = str(input.to, 200);
    if (!to) throw invalid('请填写有权更正的行政机关名称', [{ field: 'to', message: '请填写转送的机关' }], 'request.transfer_to');
    data.to = to;
    patch.transferred_to = to;
  }
  data.outcome = outcome;
  for (const k of ['replyText', 'deliveryMethod', 'referral'] as const) {
    const v = str(input[k], 5000);
    if (v) data[k] = v;
  }
  patch.outcome = outcome;
  patch.replied_on = h.on;
  patch.reply_text = (data.replyText as string | undefined) ?? null;
  return commitAction(h, { action, type: 'reply', data, patch });
}
