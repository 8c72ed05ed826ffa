import { Csrf, ErrorSummary, Field } from '../../ui/components.js';
import type { PageEnv } from '../../ui/env.js';
import { OfficeLayout } from '../../ui/layout.js';
import { ROLE_LABELS, ROLES } from '../context.js';
import { shanghaiTime } from '../../ui/time.js';

export function LoginPage({ env, next, error, username }: { env: PageEnv; next: string; error?: string; username?: string }) {
  return (
    <OfficeLayout title="工作人员登录" env={env}>
      <div class="panel login-box">
        <h1>工作人员登录</h1>
        {error ? <div class="notice notice-error" role="alert">{error}</div> : null}
        <form method="post" action="/office/login">
          <Csrf token={env.csrfToken} />
          <input type="hidden" name="next" value={next} />
          <Field name="username" label="用户名" value={username} required autocomplete="username" maxLength={64} />
          <Field name="password" label="密码" type="password" required autocomplete="current-password" maxLength={200} />
          <button type="submit">登录</button>
        </form>
        <p class="muted">连续多次输入错误将被暂时限制登录。忘记密码请联系本单位系统管理员。</p>
      </div>
    </OfficeLayout>
  );
}

interface UserRow {
  id: number;
  username: string;
  display_name: string;
  active: number;
  locked_until: string | null;
  agency_code: string;
  agency_name: string;
  roles: string[];
}

/** The administrator's notice of accounts locked after repeated failed logins (on /office and /office/users). */
export function LockedAccountsNotice({ locked }: { locked: { username: string; displayName: string; agencyName: string; lockedUntil: string }[] }) {
  if (!locked.length) return null;
  return (
    <section class="panel notice notice-error" role="alert">
      <h2>账号锁定提醒（{locked.length}）</h2>
      <p>以下账号因连续多次登录失败已被临时锁定。如非本人操作，可能有人在尝试猜测密码；请核实后在“账号管理”中解除锁定或注销其会话。</p>
      <ul>
        {locked.map((u) => (
          <li>{u.username}（{u.displayName}，{u.agencyName}）锁定至 {shanghaiTime(u.lockedUntil)}</li>
        ))}
      </ul>
      <p><a href="/office/users">前往账号管理</a></p>
    </section>
  );
}

export function UsersPage({
  env, users, agencies, errors, values, now, locked = [],
}: {
  now?: string;
  locked?: { username: string; displayName: string; agencyName: string; lockedUntil: string }[];
  env: PageEnv;
  users: UserRow[];
  agencies: { code: string; name: string }[];
  errors?: { field: string; message: string }[];
  values?: Record<string, string>;
}) {
  const err = (f: string) => errors?.find((e) => e.field === f)?.message;
  return (
    <OfficeLayout title="账号管理" env={env}>
      <h1>账号管理</h1>
      <LockedAccountsNotice locked={locked} />
      <section class="panel">
        <h2>全部账号（{users.length}）</h2>
        <table>
          <thead>
            <tr><th scope="col">用户名</th><th scope="col">姓名</th><th scope="col">机构</th><th scope="col">角色</th><th scope="col">状态</th><th scope="col">操作</th></tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr>
                <td>{u.username}</td>
                <td>{u.display_name}</td>
                <td>{u.agency_name}（{u.agency_code}）</td>
                <td>{u.roles.map((r) => ROLE_LABELS[r as keyof typeof ROLE_LABELS] ?? r).join('、')}</td>
                <td>{u.locked_until && u.locked_until > (now ?? new Date().toISOString()) ? <span class="badge badge-err">已锁定</span> : u.active ? <span class="badge badge-ok">正常</span> : <span class="badge">停用</span>}</td>
                <td>
                  <form method="post" action={`/office/users/${encodeURIComponent(u.username)}/revoke-sessions`} class="inline">
                    <Csrf token={env.csrfToken} />
                    <button type="submit" class="secondary">注销全部会话</button>
                  </form>{' '}
                  <form method="post" action={`/office/users/${encodeURIComponent(u.username)}/unlock`} class="inline">
                    <Csrf token={env.csrfToken} />
                    <button type="submit" class="secondary">解除锁定</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section class="panel">
        <h2>新建账号</h2>
        <ErrorSummary errors={errors} />
        <form method="post" action="/office/users">
          <Csrf token={env.csrfToken} />
          <Field name="agency" label="所属机构" required value={values?.agency} error={err('agency')} options={agencies.map((a) => ({ value: a.code, label: `${a.name}（${a.code}）` }))} />
          <Field name="username" label="用户名" required value={values?.username} error={err('username')} maxLength={64} />
          <Field name="displayName" label="姓名" value={values?.displayName} maxLength={50} />
          <Field name="role" label="角色" required value={values?.role} error={err('role')} options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))} />
          <Field name="password" label="初始密码" type="password" required error={err('password')} hint="至少 10 个字符，须包含字母和数字" autocomplete="new-password" />
          <button type="submit">创建账号</button>
        </form>
      </section>
    </OfficeLayout>
  );
}
