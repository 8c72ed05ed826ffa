/** 办理备注: a dated note in the request's record. Outside the clock. */
import { invalid } from '../../../errors.js';
import { REPLY_CLOCK_REFUSALS } from '../../../law/reply-clock.js';
import type { Actor, Ctx } from '../../context.js';
import type { RequestView } from '../requests.views.js';
import { commitAction, startHandling, str, type ActionInput } from './action-input.js';

export async function addNote(ctx: Ctx, actor: Actor, id: number, input: ActionInput): Promise<RequestView> {
  const h = await startHandling(ctx, actor, id, input);
  const note = str(input.note, 2000);
  if (!note) throw invalid('请填写备注内容', [{ field: 'note', message: '请填写备注' }], 'request.note');
  if (h.on < h.request.receivedOn) throw invalid(`${REPLY_CLOCK_REFUSALS.DATE_BEFORE_RECEIPT}：${h.on} 早于收到申请之日 ${h.request.receivedOn}`, [{ field: 'on', message: '日期早于收到申请之日' }], 'request.date_before_receipt');
  return commitAction(h, { action: 'note', type: 'note', data: { note } });
}
