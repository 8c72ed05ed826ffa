import type { Executor } from '../../db/database.js';
import type { Calendar } from '../../law/calendar.js';
import { clockView, type ClockView } from './requests.clock.js';
import * as repo from './requests.repository.js';
import type { RequestRow } from './requests.repository.js';

/** Recomputes the clock from the events and stores status, due_on and calendar_flag (same transaction). */
export async function recompute(tx: Executor, cal: Calendar, r: RequestRow, today: string, at: string): Promise<ClockView> {
  const events = await repo.listEvents(tx, r.id);
  const view = clockView(cal, r.receivedOn, events, r.kind === 'disclosure', today);
  await repo.updateRequest(tx, r.id, { status: view.status, due_on: view.state === 'awaiting_correction' ? null : view.dueOn, calendar_flag: view.calendarFlag }, at);
  return view;
}
