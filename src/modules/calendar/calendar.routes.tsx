/**
 * The office's holiday calendar (/office/calendar): the years loaded and the years still provisional, and the
 * loading of a year's notice in two steps (预览 the requests whose limits would move, then 确认载入). The load
 * itself is the requests module's use case: it recomputes the limits it moves.
 */
import { h } from 'preact';
import { AppError } from '../../errors.js';
import { Form, formRoute, formSchema } from '../../http/forms.js';
import { pageEnv } from '../../http/page-env.js';
import { formField, requireActor, type App, type FastifyReply, type FastifyRequest } from '../../http/types.js';
import { provisionalCalendar } from '../../law/calendar-statutory.js';
import { isAdmin } from '../accounts/access.js';
import * as requests from '../requests/requests.service.js';
import { CalendarPage, type CalendarPageProps } from './calendar.pages.js';
import { loadCalendar } from './calendar.service.js';

/** The notice form: the year's JSON, previewed first, then loaded (the same data in a hidden field). */
const NoticeForm = formSchema({
  data: Form.optional(Form.text('节假日安排（JSON）', { maxLength: 200_000, raw: true })),
  step: Form.optional(Form.choice('步骤', ['preview', 'load'])),
});

export default async function calendarRoutes(app: App) {
  const calendarPage = async (req: FastifyRequest, reply: FastifyReply, extra: Partial<CalendarPageProps> = {}, status = 200) => {
    const actor = requireActor(req);
    const cal = await loadCalendar(app.ctx);
    const notices: Record<number, string> = {};
    for (const y of cal.coveredYears) {
      const n = cal.notice(y);
      if (n) notices[y] = n;
    }
    const provisionalYears = provisionalCalendar(cal).provisionalYears;
    return reply.page(h(CalendarPage, { env: pageEnv(req), years: cal.coveredYears, provisionalYears, notices, canLoad: isAdmin(actor), ...extra }), { status });
  };

  app.get('/office/calendar', { schema: { hide: true } }, async (req, reply) => calendarPage(req, reply));

  // Two steps: 预览 (nothing stored: the requests whose limits would move), then 确认载入.
  const adminOnly = (req: FastifyRequest) => {
    const actor = requireActor(req);
    if (!isAdmin(actor)) throw new AppError('forbidden', '导入节假日安排仅限系统管理员');
    return actor;
  };
  const again = (req: FastifyRequest, reply: FastifyReply, e: AppError) =>
    adminOnly(req) &&
    calendarPage(req, reply, { value: formField(req.body, 'data') ?? '', errors: e.fields?.length ? e.fields : [{ field: 'data', message: e.message }] }, 400);
  app.post('/office/calendar', formRoute(NoticeForm, { invalid: again }), async (req, reply) => {
    const actor = adminOnly(req);
    const data = (req.body.data ?? '').trim();
    try {
      if (req.body.step === 'load') {
        const loaded = await requests.loadHolidayNotice(app.ctx, actor, data);
        return calendarPage(req, reply, { loaded });
      }
      const preview = await requests.previewHolidayNotice(app.ctx, actor, data);
      return calendarPage(req, reply, { value: data, preview });
    } catch (e) {
      if (e instanceof AppError && e.code === 'validation') return calendarPage(req, reply, { value: data, errors: [{ field: 'data', message: e.message }] }, 400);
      throw e;
    }
  });
}
