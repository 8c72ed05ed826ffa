/** 征求第三方或其他机关意见 (条例第32条、第33条第三款): the pause opens and ends. */
import { invalid } from '../../../errors.js';
import type { Actor, Ctx } from '../../context.js';
import type { RequestView } from '../requests.views.js';
import { commitAction, startHandling, str, type ActionInput } from './action-input.js';

export function startConsultation(ctx: Ctx, actor: Actor, id: number, input: ActionInput): Promise<RequestView> {
  return consultation(ctx, actor, id, input, 'start_consultation');
}

export function endConsultation(ctx: Ctx, actor: Actor, id: number, input: ActionInput): Promise<RequestView> {
  return consultation(ctx, actor, id, input, 'end_consultation');
}

async function consultation(ctx: Ctx, actor: Actor, id: number, input: ActionInput, type: 'start_consultation' | 'end_consultation'): Promise<RequestView> {
  const h = await startHandling(ctx, actor, id, input);
  const data: Record<string, unknown> = {};
  const party = str(input.party, 200);
  if (party) data.party = party;
  if (type === 'start_consultation' && !party) throw invalid('请填写被征求意见的第三方或其他机关的名称', [{ field: 'party', message: '请填写被征求意见方' }], 'request.party_required');
  const interest = str(input.interest, 200);
  if (interest) data.interest = interest;
  return commitAction(h, { action: type, type, data });
}
