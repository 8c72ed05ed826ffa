import { h } from 'preact';
import { AppError } from '../../errors.js';
import { ButtonsOnly, Form, formRoute, formSchema } from '../../http/forms.js';
import { formField, redirectWithNotice, requireActor, type App, type FastifyReply, type FastifyRequest } from '../../http/types.js';
import { pageEnv } from '../../http/page-env.js';
import { localRedirect } from '../../http/site-urls.js';
import { listAgencies } from '../agencies/agencies.service.js';
import { ROLES } from '../context.js';
import { assertAdmin } from './access.js';
import * as accounts from './accounts.service.js';
import { LoginPage, UsersPage } from './accounts.pages.js';

const SESSION_COOKIE = 'gk_sid';

/** The login form (accounts.pages LoginPage). */
const LoginForm = formSchema({
  next: Form.optional(Form.text('登录后前往', { maxLength: 2000 })),
  username: Form.optional(Form.text('用户名', { maxLength: 64 })),
  password: Form.optional(Form.password('密码')),
});

/** The new account form (accounts.pages UsersPage). */
const NewUserForm = formSchema({
  agency: Form.optional(Form.text('所属机构', { maxLength: 40 })),
  username: Form.optional(Form.text('用户名', { maxLength: 64 })),
  displayName: Form.optional(Form.text('姓名', { maxLength: 50 })),
  role: Form.optional(Form.choice('角色', ROLES, { empty: true })),
  password: Form.optional(Form.password('初始密码')),
});

export default async function accountsRoutes(app: App) {
  /** Where to go after signing in: a page of the office that exists, else the office's home. */
  const safeNext = (next: string | undefined) => localRedirect(app, next, '/office', { under: '/office' });

  app.get('/office/login', { schema: { hide: true } }, async (req, reply) => {
    const q = req.query as { next?: string };
    if (req.actor) return reply.redirect(safeNext(q.next), 303);
    return reply.page(h(LoginPage, { env: pageEnv(req), next: safeNext(q.next) }));
  });

  app.post(
    '/office/login',
    // Flood protection only (the failures are throttled by accounts.login, per account and address): high enough
    // that 30 failures under made-up names from an office's shared address do not shut it out.
    formRoute(LoginForm, {
      public: true,
      config: { rateLimit: { max: 120, timeWindow: '1 minute' } },
      invalid: (req, reply, e) =>
        reply.page(h(LoginPage, { env: pageEnv(req), next: safeNext(formField(req.body, 'next')), error: e.message, username: formField(req.body, 'username') }), { status: 400 }),
    }),
    async (req, reply) => {
      const username = req.body.username ?? '';
      const password = req.body.password ?? '';
      const next = safeNext(req.body.next);
      try {
        const r = await accounts.login(app.ctx, { username, password, ip: req.ip, userAgent: req.headers['user-agent'] });
        reply.setCookie(SESSION_COOKIE, r.sessionToken, {
          path: '/', httpOnly: true, sameSite: 'lax', secure: req.protocol === 'https', maxAge: 12 * 3600,
        });
        return reply.redirect(next, 303);
      } catch (e) {
        if (e instanceof AppError && ['unauthenticated', 'rate_limited', 'forbidden'].includes(e.code)) {
          return reply.page(h(LoginPage, { env: pageEnv(req), next, error: e.message, username }), { status: e.status });
        }
        throw e;
      }
    },
  );

  app.post('/office/logout', formRoute(ButtonsOnly, { public: true }), async (req, reply) => {
    const sid = req.cookies[SESSION_COOKIE];
    if (sid) await accounts.logout(app.ctx, sid);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return redirectWithNotice(reply, '/office/login', '您已安全退出');
  });

  const usersPage = async (req: FastifyRequest, extra: { errors?: { field: string; message: string }[]; values?: Record<string, string>; status?: number } = {}) => {
    const actor = requireActor(req);
    const [users, agencies, locked] = await Promise.all([accounts.listUsers(app.ctx, actor), listAgencies(app.ctx), accounts.listLockedUsers(app.ctx, actor)]);
    return h(UsersPage, { env: pageEnv(req), users, agencies, errors: extra.errors, values: extra.values, now: app.ctx.now().toISOString(), locked });
  };

  app.get('/office/users', { schema: { hide: true } }, async (req, reply) => reply.page(await usersPage(req)));

  /** What was typed into the new account form (never the password), to show it again. */
  const typedUser = (body: unknown) => ({
    agency: formField(body, 'agency') ?? '',
    username: formField(body, 'username') ?? '',
    displayName: formField(body, 'displayName') ?? '',
    role: formField(body, 'role') ?? '',
  });
  const usersAgain = async (req: FastifyRequest, reply: FastifyReply, e: AppError) => {
    assertAdmin(requireActor(req));
    const errors = e.fields?.length ? e.fields : [{ field: 'username', message: e.message }];
    return reply.page(await usersPage(req, { errors, values: typedUser(req.body) }), { status: e.status });
  };

  app.post('/office/users', formRoute(NewUserForm, { invalid: usersAgain }), async (req, reply) => {
    const actor = requireActor(req);
    assertAdmin(actor);
    const b = req.body;
    try {
      await accounts.createUser(app.ctx, actor, {
        agencyCode: b.agency ?? '', username: b.username ?? '', role: b.role ?? '', displayName: b.displayName ?? '', password: b.password ?? '',
      });
      return redirectWithNotice(reply, '/office/users', `账号 ${b.username ?? ''} 已创建`);
    } catch (e) {
      if (e instanceof AppError && (e.code === 'validation' || e.code === 'conflict')) return usersAgain(req, reply, e);
      throw e;
    }
  });

  app.post('/office/users/:username/revoke-sessions', formRoute(ButtonsOnly), async (req, reply) => {
    const actor = requireActor(req);
    const { username } = req.params as { username: string };
    const n = await accounts.revokeSessionsOfUser(app.ctx, actor, username);
    return redirectWithNotice(reply, '/office/users', `已注销 ${username} 的 ${n} 个会话`);
  });

  app.post('/office/users/:username/unlock', formRoute(ButtonsOnly), async (req, reply) => {
    const actor = requireActor(req);
    const { username } = req.params as { username: string };
    await accounts.unlockUser(app.ctx, actor, username);
    return redirectWithNotice(reply, '/office/users', `已解除 ${username} 的锁定`);
  });
}
