/**
 * /office/notifications: the signed-in account's reminders and notices (unread first marked), marking them read,
 * where the account wants mail and text messages, and (for an agency's approvers) the agency's reminder days.
 * The unread count is put on every office page for the header.
 */
import fp from 'fastify-plugin';
import { AppError } from '../../errors.js';
import { Form, formRoute, formSchema } from '../../http/forms.js';
import { pageEnv } from '../../http/page-env.js';
import { formField, redirectWithNotice, requireActor, type App, type FastifyReply, type FastifyRequest } from '../../http/types.js';
import type { PageEnv } from '../../ui/env.js';
import { Csrf, ErrorSummary, Field, Section } from '../../ui/components.js';
import { OfficeLayout } from '../../ui/layout.js';
import { isAdmin } from '../accounts/access.js';
import type { Actor } from '../context.js';
import {
  markNotificationsRead,
  myContact,
  myNotifications,
  reminderSettings,
  saveMyContact,
  saveReminderSettings,
  unreadCount,
  type NotificationItem,
} from './notifications.service.js';
import type { ReminderSettings } from './schedule.js';
import { createTransports, setTransports } from './transports.js';

const CHANNEL_LABELS: Record<string, string> = { email: '电子邮件', webhook: '短信/政务微信/钉钉' };
const DELIVERY_STATUS_LABELS: Record<string, string> = { pending: '待发送（将自动重试）', sent: '已发送', failed: '发送失败' };

/** Sets the transports of this application and the unread count of office pages (registered before the pages). */
export const notificationsHook = fp(async (app: App) => {
  setTransports(app.ctx, createTransports({ ...app.config.notify, baseUrl: app.config.baseUrl }));
  app.addHook('preHandler', async (req) => {
    if (req.method === 'GET' && req.actor && req.url.startsWith('/office')) req.unreadNotifications = await unreadCount(app.ctx, req.actor);
  });
});

interface Errors {
  fields?: { field: string; message: string }[];
  message?: string;
}

function approverAgencies(actor: Actor) {
  return actor.grants.filter((g) => g.role === 'approver' || g.role === 'admin');
}

function NotificationsPage(p: {
  env: PageEnv;
  items: NotificationItem[];
  unread: number;
  contact: { email: string | null; phone: string | null };
  settings: { code: string; s: ReminderSettings }[];
  errors?: Errors;
  values?: Record<string, string>;
}) {
  const fe = (f: string) => p.errors?.fields?.find((x) => x.field === f)?.message;
  return (
    <OfficeLayout title="提醒通知" env={p.env}>
      <h1>提醒通知</h1>
      {p.errors?.fields?.length ? <ErrorSummary errors={p.errors.fields} /> : null}
      <p>
        共 {p.items.length} 条，未读 {p.unread} 条。答复期限提醒在期限前（默认 5 个和 2 个工作日）、期限当日和超期时发送，每个工作日另发待办汇总。
      </p>
      {p.unread ? (
        <form method="post" action="/office/notifications/read">
          <Csrf token={p.env.csrfToken} />
          <input type="hidden" name="all" value="1" />
          <button type="submit" class="secondary">全部标为已读</button>
        </form>
      ) : null}
      <Section title="通知列表" id="list">
        {p.items.length ? (
          <ul class="list notifications">
            {p.items.map((n) => (
              <li class={n.readAt ? 'read' : 'unread'}>
                <p>
                  {n.readAt ? null : <span class="badge badge-err">未读</span>} <strong>{n.title}</strong>{' '}
                  <span class="muted">
                    {n.kindLabel}，{n.sentOn}
                  </span>
                </p>
                <p style="white-space: pre-line">{n.body}</p>
                {n.deliveries.length ? (
                  <p class="muted">
                    {n.deliveries.map((d) => `${CHANNEL_LABELS[d.channel] ?? '其他渠道'}：${DELIVERY_STATUS_LABELS[d.status] ?? d.status}${d.attempts > 1 ? `（已尝试 ${d.attempts} 次）` : ''}`).join('；')}
                  </p>
                ) : null}
                <p class="actions">
                  {n.link ? <a href={n.link}>查看</a> : null}{' '}
                  {n.readAt ? null : (
                    <form method="post" action="/office/notifications/read" class="inline">
                      <Csrf token={p.env.csrfToken} />
                      <input type="hidden" name="id" value={String(n.id)} />
                      <button type="submit" class="link-button">标为已读<span class="visually-hidden">：{n.title}</span></button>
                    </form>
                  )}
                </p>
              </li>
            ))}
          </ul>
        ) : (
          <p>暂无提醒通知。</p>
        )}
      </Section>
      <Section title="接收方式" id="contact">
        <p>提醒通知总会显示在本页。填写电子邮箱或手机号码后，另通过电子邮件或短信（政务微信、钉钉）发送。</p>
        <form method="post" action="/office/notifications/contact">
          <Csrf token={p.env.csrfToken} />
          <Field name="email" label="电子邮箱" type="email" autocomplete="email" value={p.values?.email ?? p.contact.email ?? ''} error={fe('email')} maxLength={200} />
          <Field name="phone" label="手机号码" type="tel" inputMode="tel" autocomplete="tel" value={p.values?.phone ?? p.contact.phone ?? ''} error={fe('phone')} maxLength={20} />
          <button type="submit">保存接收方式</button>
        </form>
      </Section>
      {p.settings.map(({ code, s }) => (
        <Section title={`期限提醒设置（${code}）`} id={`settings-${code}`}>
          <form method="post" action={`/office/notifications/settings/${encodeURIComponent(code)}`}>
            <Csrf token={p.env.csrfToken} />
            <Field id={`lead-${code}`} name="leadDays" label="期限前提醒（工作日，用逗号分隔）" hint="例如“5,2”：期限前第 5 个和第 2 个工作日提醒承办人。" value={p.values?.leadDays ?? s.leadDays.join(',')} error={fe('leadDays')} required maxLength={30} />
            <Field id={`after-${code}`} name="officeAfter" label="超期多少个工作日后报送上级监督检查机构" type="number" inputMode="numeric" value={p.values?.officeAfter ?? String(s.officeAfter)} error={fe('officeAfter')} required />
            <button type="submit">保存设置</button>
          </form>
        </Section>
      ))}
    </OfficeLayout>
  );
}

async function render(app: App, req: FastifyRequest, reply: FastifyReply, errors?: Errors, values?: Record<string, string>) {
  const actor = requireActor(req);
  const [{ items, unread }, contact] = await Promise.all([myNotifications(app.ctx, actor), myContact(app.ctx, actor)]);
  const codes = isAdmin(actor) ? [] : [...new Set(approverAgencies(actor).map((g) => g.agencyCode))];
  const settings = await Promise.all(
    codes.map(async (code) => ({ code, s: await reminderSettings(app.ctx, actor.grants.find((g) => g.agencyCode === code)!.agencyId) })),
  );
  const env = { ...pageEnv(req), unread };
  return reply.page(<NotificationsPage env={env} items={items} unread={unread} contact={contact} settings={settings} errors={errors} values={values} />, { status: errors ? 400 : 200 });
}

async function withFormErrors(app: App, req: FastifyRequest, reply: FastifyReply, values: Record<string, string>, act: () => Promise<unknown>, notice: string) {
  try {
    await act();
  } catch (err) {
    if (err instanceof AppError && err.code === 'validation') return render(app, req, reply, { fields: err.fields, message: err.message }, values);
    throw err;
  }
  return redirectWithNotice(reply, '/office/notifications', notice);
}

/** The page's forms: mark read (one or all), my contact, an agency's reminder settings. */
const ReadForm = formSchema({ id: Form.optional(Form.integer('通知')), all: Form.flag('全部标为已读') });
const ContactForm = formSchema({ email: Form.optional(Form.text('电子邮箱', { maxLength: 200 })), phone: Form.optional(Form.text('手机号码', { maxLength: 40 })) });
const SettingsForm = formSchema({
  leadDays: Form.optional(Form.text('期限前提醒（工作日）', { maxLength: 100 })),
  officeAfter: Form.optional(Form.text('超期后报送上级的工作日数', { maxLength: 10 })),
});

export default async function notificationsRoutes(app: App) {
  /** The page again, with the message and what was typed in the form that failed. */
  const again = (names: string[]) => (req: FastifyRequest, reply: FastifyReply, err: AppError) =>
    render(app, req, reply, { fields: err.fields, message: err.message }, Object.fromEntries(names.map((k) => [k, formField(req.body, k) ?? ''])));

  app.get('/office/notifications', { schema: { hide: true } }, async (req, reply) => render(app, req, reply));

  app.post('/office/notifications/read', formRoute(ReadForm), async (req, reply) => {
    const actor = requireActor(req);
    const id = Number(req.body.id ?? '');
    const n = await markNotificationsRead(app.ctx, actor, req.body.all === '1' ? 'all' : Number.isInteger(id) && id > 0 ? [id] : []);
    return redirectWithNotice(reply, '/office/notifications', n ? `已将 ${n} 条标为已读` : undefined);
  });

  app.post('/office/notifications/contact', formRoute(ContactForm, { invalid: again(['email', 'phone']) }), async (req, reply) => {
    const actor = requireActor(req);
    const values = { email: req.body.email ?? '', phone: req.body.phone ?? '' };
    return withFormErrors(app, req, reply, values, () => saveMyContact(app.ctx, actor, values), '接收方式已保存');
  });

  app.post('/office/notifications/settings/:code', formRoute(SettingsForm, { invalid: again(['leadDays', 'officeAfter']) }), async (req, reply) => {
    const actor = requireActor(req);
    const { code } = req.params as { code: string };
    const values = { leadDays: req.body.leadDays ?? '', officeAfter: req.body.officeAfter ?? '' };
    return withFormErrors(app, req, reply, values, () => saveReminderSettings(app.ctx, actor, code, values), '期限提醒设置已保存');
  });
}
