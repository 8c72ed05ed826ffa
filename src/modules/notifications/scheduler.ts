/**
 * The daily reminder run, in-process: at start (after a short delay) and then every hour. runReminders is
 * idempotent per day, so the hourly runs only send what a new day, a changed limit or a retry makes due; an
 * hour is also how soon a failed mail is retried at most. Off the request path; errors are logged, never thrown.
 * (When the job queue lands, this becomes a recurring job there.)
 */
import type { Ctx } from '../context.js';
import { runReminders } from './notifications.service.js';

export interface Log {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export function startReminderSchedule(ctx: Ctx, log: Log, opts: { everyMs?: number; firstAfterMs?: number } = {}): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const s = await runReminders(ctx, ctx.now());
      if (s.created || s.sent || s.failed) log.info({ reminders: s }, 'reminders run');
    } catch (err) {
      log.warn({ err }, 'reminders run failed');
    } finally {
      running = false;
    }
  };
  const first = setTimeout(tick, opts.firstAfterMs ?? 30_000);
  const timer = setInterval(tick, opts.everyMs ?? 3600_000);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
