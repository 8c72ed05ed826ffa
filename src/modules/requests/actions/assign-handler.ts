/** 指定承办人: one of the agency's handlers (or none). */
import { listActiveHandlers } from '../../accounts/accounts.service.js';
import { AppError, invalid } from '../../../errors.js';
import { appendAudit } from '../../audit-log/audit-log.service.js';
import { loadCalendar } from '../../calendar/calendar.service.js';
import { todayCst, type Actor, type Ctx } from '../../context.js';
import { agencyRef, canHandle, loadForStaff } from '../requests.access.js';
import * as repo from '../requests.repository.js';
import { buildView, type RequestView } from '../requests.views.js';

export async function assignHandler(ctx: Ctx, actor: Actor, id: number, handlerId: number | null): Promise<RequestView> {
  const r = await loadForStaff(ctx, actor, id);
  if (!canHandle(actor, agencyRef(r))) throw new AppError('forbidden', '您没有办理该申请的权限');
  if (handlerId !== null) {
    const handlers = await listActiveHandlers(ctx, r.agencyId);
    if (!handlers.some((h) => h.id === handlerId)) throw invalid('请选择本机关的依申请公开承办人', [{ field: 'handlerId', message: '承办人不正确' }], 'request.handler');
  }
  const cal = await loadCalendar(ctx);
  return ctx.db.transaction().execute(async (tx) => {
    const at = ctx.now();
    await repo.updateRequest(tx, r.id, { handler_id: handlerId }, at.toISOString());
    await repo.insertEvent(tx, { requestId: r.id, type: 'assign', on: todayCst(at), data: { handlerId }, actorId: actor.userId, at: at.toISOString() });
    await appendAudit(tx, { actor, agencyId: r.agencyId, action: 'request.assign', entity: 'request', entityId: r.id, data: { trackingNo: r.trackingNo, handlerId }, at });
    return buildView(tx, cal, (await repo.findById(tx, r.id))!, todayCst(at), true, true);
  });
}
