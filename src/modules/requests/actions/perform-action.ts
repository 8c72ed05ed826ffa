/** The contract's ACTION endpoint: one use case per action type. */
import { AppError } from '../../../errors.js';
import { CLOCK_ACTIONS, REPLY_CLOCK_REFUSALS } from '../../../law/reply-clock.js';
import type { Actor, Ctx } from '../../context.js';
import type { RequestView } from '../requests.views.js';
import { requestActed } from '../requests.hooks.js';
import { EXTRA_ACTIONS } from '../requests.vocabulary.js';
import { str, type ActionInput } from './action-input.js';
import { endConsultation, startConsultation } from './consultation.js';
import { deliverLetter } from './deliver.js';
import { extendReplyLimit } from './extend.js';
import { notifyFee, receivePayment, recordSplit } from './fee.js';
import { addNote } from './note.js';
import { reply, transferRecordCorrection } from './reply.js';
import { receiveCorrection, requestCorrection } from './request-correction.js';

type UseCase = (ctx: Ctx, actor: Actor, id: number, input: ActionInput) => Promise<RequestView>;

export const ACTION_USE_CASES: Record<string, UseCase> = {
  request_correction: requestCorrection,
  receive_correction: receiveCorrection,
  start_consultation: startConsultation,
  end_consultation: endConsultation,
  extend: extendReplyLimit,
  notify_fee: notifyFee,
  receive_payment: receivePayment,
  reply,
  transfer: transferRecordCorrection,
  deliver: deliverLetter,
  note: addNote,
  split: recordSplit,
};

export async function performAction(ctx: Ctx, actor: Actor, id: number, input: ActionInput): Promise<RequestView> {
  const type = str(input?.type, 40) ?? '';
  const known = [...CLOCK_ACTIONS, ...EXTRA_ACTIONS] as string[];
  const useCase = known.includes(type) ? ACTION_USE_CASES[type] : undefined;
  if (!useCase) {
    throw new AppError('validation', `${REPLY_CLOCK_REFUSALS.UNKNOWN_ACTION}：“${type}”（应为 ${known.join('、')} 之一）`, { reason: 'request.unknown_action', fields: [{ field: 'type', message: '未知的办理操作' }] });
  }
  const view = await useCase(ctx, actor, id, input);
  // After the commit: listeners (the applicant's mail) run off this path.
  requestActed(ctx, { requestId: view.request.id, agencyId: view.request.agencyId, type: type === 'transfer' ? 'reply' : type, on: String(input.on) });
  return view;
}
