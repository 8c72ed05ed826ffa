/** 送达 (条例第31条 and the letters): which letter was served, how and when. Outside the clock. */
import { invalid } from '../../../errors.js';
import { REPLY_CLOCK_REFUSALS } from '../../../law/reply-clock.js';
import type { LetterKind } from '../../../render/letters.js';
import type { Actor, Ctx } from '../../context.js';
import { letterDate, lettersAvailable } from '../requests.letter-dates.js';
import * as repo from '../requests.repository.js';
import type { RequestView } from '../requests.views.js';
import { LETTER_KIND_LABELS, SERVICE_METHODS } from '../requests.vocabulary.js';
import { commitAction, startHandling, str, type ActionInput } from './action-input.js';

export async function deliverLetter(ctx: Ctx, actor: Actor, id: number, input: ActionInput): Promise<RequestView> {
  const h = await startHandling(ctx, actor, id, input);
  const { request: r, on } = h;
  const letter = str(input.letter, 40) as LetterKind | undefined;
  const events = await repo.listEvents(ctx.db, r.id);
  const available = lettersAvailable(r, events);
  if (!letter || !available.includes(letter)) throw invalid(`请选择已制作的文书（${available.map((k) => LETTER_KIND_LABELS[k]).join('、')}）`, [{ field: 'letter', message: '请选择文书' }], 'request.letter');
  const method = str(input.serviceMethod, 40);
  if (!method || !(SERVICE_METHODS as readonly string[]).includes(method)) throw invalid('请选择送达方式', [{ field: 'serviceMethod', message: '请选择送达方式' }], 'request.service_method');
  if (on < r.receivedOn) throw invalid(`${REPLY_CLOCK_REFUSALS.DATE_BEFORE_RECEIPT}：${on} 早于收到申请之日 ${r.receivedOn}`, [{ field: 'on', message: '送达日期早于收到申请之日' }], 'request.date_before_receipt');
  const made = letterDate(r, events, letter);
  if (made && on < made) throw invalid(`送达日期 ${on} 早于文书日期 ${made}`, [{ field: 'on', message: '送达日期早于文书日期' }], 'request.service_before_letter');
  return commitAction(h, { action: 'deliver', type: 'deliver', data: { letter, serviceMethod: method } });
}
