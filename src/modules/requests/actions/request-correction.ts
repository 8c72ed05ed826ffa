/** 告知补正 (条例第30条): the items to complete and the period given (the law checks the period). */
import type { Actor, Ctx } from '../../context.js';
import type { RequestView } from '../requests.views.js';
import { commitAction, int, startHandling, type ActionInput } from './action-input.js';

export async function requestCorrection(ctx: Ctx, actor: Actor, id: number, input: ActionInput): Promise<RequestView> {
  const h = await startHandling(ctx, actor, id, input);
  const data: Record<string, unknown> = {};
  const items = (Array.isArray(input.items) ? input.items : typeof input.items === 'string' ? input.items.split(/\r?\n/) : []).map((s) => String(s).trim()).filter(Boolean);
  if (items.length) data.items = items.slice(0, 20);
  const p = int(input.periodWorkingDays);
  if (p !== undefined) data.periodWorkingDays = p;
  return commitAction(h, { action: 'request_correction', type: 'request_correction', data });
}

/** 收到补正: the applicant's completed request arrived; the limit counts again from it. */
export async function receiveCorrection(ctx: Ctx, actor: Actor, id: number, input: ActionInput): Promise<RequestView> {
  return commitAction(await startHandling(ctx, actor, id, input), { action: 'receive_correction', type: 'receive_correction', data: {} });
}
