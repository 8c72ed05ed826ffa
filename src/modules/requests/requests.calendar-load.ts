/**
 * Loading a year's holiday notice (国务院办公厅关于XXXX年部分节假日安排的通知): the preview of the requests whose
 * limits it moves, and the load itself, which recomputes them and says what moved. Until a notice is loaded
 * the limits touching its year are provisional (src/law/calendar-statutory.ts); the notice's 调休 may move them.
 */
import type { Executor } from '../../db/database.js';
import type { Calendar, YearArrangement } from '../../law/calendar.js';
import { assertAdmin } from '../accounts/access.js';
import { appendAudit } from '../audit-log/audit-log.service.js';
import { calendarWith, loadCalendar, loadCalendarYears, parseNotice } from '../calendar/calendar.service.js';
import { todayCst, type Actor, type Ctx } from '../context.js';
import { clockView } from './requests.clock.js';
import { recompute } from './requests.recompute.js';
import * as repo from './requests.repository.js';

export interface MovedLimit {
  id: number;
  trackingNo: string;
  agencyName: string;
  subject: string;
  /** The limit before (null: could not be computed). */
  from: string | null;
  to: string | null;
  /** Was provisional before the notice. */
  wasProvisional: boolean;
  /** Still provisional after it (another year's notice is still missing). */
  stillProvisional: boolean;
}

export interface NoticeEffect {
  years: YearArrangement[];
  /** Requests looked at. */
  recomputed: number;
  /** Those whose limit (or its provisional mark) changes. */
  moved: MovedLimit[];
}

/** Requests a notice for `years` may move: provisional ones, and open ones received from the year before. */
function candidates(db: Executor, years: readonly YearArrangement[]): Promise<number[]> {
  const first = Math.min(...years.map((y) => y.year));
  return repo.listRecomputable(db, `${String(first - 1).padStart(4, '0')}-01-01`);
}

function movedOf(r: repo.RequestRow, to: { dueOn: string | null; state: string; dueProvisional: boolean; calendarFlag: string | null }): MovedLimit | null {
  const newDue = to.state === 'awaiting_correction' ? null : to.dueOn;
  const wasProvisional = !!(r.calendarFlag && r.dueOn);
  if (newDue === r.dueOn && wasProvisional === to.dueProvisional && !!r.calendarFlag === !!to.calendarFlag) return null;
  return { id: r.id, trackingNo: r.trackingNo, agencyName: r.agencyName, subject: r.subject, from: r.dueOn, to: newDue, wasProvisional, stillProvisional: to.dueProvisional };
}

/** What loading the notice would change (nothing is stored). Admins only. */
export async function previewHolidayNotice(ctx: Ctx, actor: Actor, json: unknown): Promise<NoticeEffect> {
  assertAdmin(actor);
  const years = parseNotice(json);
  const cal = await calendarWith(ctx, years);
  const today = todayCst(ctx.now());
  const ids = await candidates(ctx.db, years);
  const moved: MovedLimit[] = [];
  for (const id of ids) {
    const r = await repo.findById(ctx.db, id);
    if (!r) continue;
    const v = clockView(cal, r.receivedOn, await repo.listEvents(ctx.db, id), r.kind === 'disclosure', today);
    const m = movedOf(r, v);
    if (m) moved.push(m);
  }
  return { years, recomputed: ids.length, moved };
}

/** Loads the notice, recomputes the requests it may move (each in its own transaction) and says what moved. */
export async function loadHolidayNotice(ctx: Ctx, actor: Actor | { system: string }, json: unknown): Promise<NoticeEffect> {
  const years = await loadCalendarYears(ctx, actor, json);
  const cal = await loadCalendar(ctx);
  const ids = await candidates(ctx.db, years);
  const moved: MovedLimit[] = [];
  for (const id of ids) {
    const m = await recomputeOne(ctx, cal, actor, id, years);
    if (m) moved.push(m);
  }
  return { years, recomputed: ids.length, moved };
}

async function recomputeOne(ctx: Ctx, cal: Calendar, actor: Actor | { system: string }, id: number, years: readonly YearArrangement[]): Promise<MovedLimit | null> {
  return ctx.db.transaction().execute(async (tx) => {
    const r = await repo.findById(tx, id);
    if (!r) return null;
    const at = ctx.now();
    const v = await recompute(tx, cal, r, todayCst(at), at.toISOString());
    const m = movedOf(r, v);
    if (m) {
      await appendAudit(tx, {
        actor: actor as never,
        agencyId: r.agencyId,
        action: 'request.recompute',
        entity: 'request',
        entityId: r.id,
        data: { trackingNo: r.trackingNo, reason: `载入 ${years.map((y) => y.year).join('、')} 年节假日安排`, from: m.from, to: m.to, provisional: m.stillProvisional },
        at,
      });
    }
    return m;
  });
}
