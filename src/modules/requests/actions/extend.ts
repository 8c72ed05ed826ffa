/** 延长答复期限 (条例第33条第二款): at most 20 working days, once (the law checks both). */
import type { Actor, Ctx } from '../../context.js';
import type { RequestView } from '../requests.views.js';
import { commitAction, int, startHandling, str, type ActionInput } from './action-input.js';

export async function extendReplyLimit(ctx: Ctx, actor: Actor, id: number, input: ActionInput): Promise<RequestView> {
  const h = await startHandling(ctx, actor, id, input);
  const data: Record<string, unknown> = {};
  data.days = input.days === undefined || (input.days as unknown) === '' ? 20 : int(input.days);
  const reason = str(input.reason, 500);
  if (reason) data.reason = reason;
  return commitAction(h, { action: 'extend', type: 'extend', data });
}
