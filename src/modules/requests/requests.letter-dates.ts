/** Which letters a request has, and the date each bears (pure: from the row and its events). */
import { isOutcomeKey } from '../../law/outcomes.js';
import type { LetterKind } from '../../render/letters.js';
import type { EventRow, RequestRow } from './requests.repository.js';

export function lettersAvailable(r: RequestRow, events: EventRow[]): LetterKind[] {
  if (r.kind !== 'disclosure') return ['receipt'];
  const has = (t: string) => events.some((e) => e.type === t);
  const out: LetterKind[] = ['receipt'];
  if (has('request_correction')) out.push('correction');
  if (has('start_consultation')) out.push('consultation');
  if (has('extend')) out.push('extension');
  if (has('notify_fee')) out.push('fee');
  if (r.outcome && isOutcomeKey(r.outcome) && r.repliedOn) out.push('reply');
  return out;
}

export function letterDate(r: RequestRow, events: EventRow[], kind: LetterKind): string | null {
  const last = (t: string) => [...events].reverse().find((e) => e.type === t)?.on ?? null;
  switch (kind) {
    case 'receipt':
      return r.receivedOn;
    case 'correction':
      return last('request_correction');
    case 'consultation':
      return last('start_consultation');
    case 'extension':
      return last('extend');
    case 'fee':
      return last('notify_fee');
    case 'reply':
      return r.repliedOn;
  }
}
