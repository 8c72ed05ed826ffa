/**
 * Staff accounts: creation, login with throttling and lockout, sessions, API tokens, and the Actor that
 * every other use case receives.
 */
import { sha256 } from '../../secrets.js';
import { randomBytes } from 'node:crypto';
import { AppError, invalid, notFound } from '../../errors.js';
import { appendAudit } from '../audit-log/audit-log.service.js';
import { findAgency } from '../agencies/agencies.service.js';
import { ROLES, type Actor, type Ctx, type Role } from '../context.js';
import { assertAdmin, isAdmin } from './access.js';
import * as repo from './accounts.repository.js';
import { hashPassword, passwordProblem, verifyAgainstNothing, verifyPassword } from './passwords.js';

export { ROLES, ROLE_LABELS } from '../context.js';

const USERNAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.@-]{1,63}$/;

/**
 * Throttling and lockout (login_failures within a window), built so that nobody can use them to keep a person
 * out (security probe: 30 failures under made-up names from one address used to block every account there):
 * - per (address, account): maxPerAddressAccount failures, then that pair is refused until the window passes;
 * - per account, from any address: maxPerUser failures, then refused — except at an address the account has
 *   signed in from within knownAddressDays, where only the pair limit above applies;
 * - per address, over all accounts: from maxPerIp failures on, every attempt from it waits slowMs before it is
 *   checked (slowed, never refused: a valid account there still signs in);
 * - lockAfter consecutive failures lock the account for lockMinutes (the administrator is told), except at a
 *   known address.
 * The failures live in the database (login_failures: shared by every process), counted by key within the window.
 */
export const LOGIN_POLICY = {
  windowMinutes: 15,
  maxPerAddressAccount: 5,
  maxPerUser: 10, // more than one address's share: one address alone cannot shut the account for others
  maxPerIp: 30,
  slowMs: 1000,
  lockAfter: 20, // consecutive failures lock the account
  lockMinutes: 30,
  knownAddressDays: 30,
};

const SESSION_HOURS = 12;

export { sha256 };
const newSecret = () => randomBytes(32).toString('base64url');

type SystemActor = { system: string };

export interface NewUser {
  agencyCode: string;
  username: string;
  role: string;
  password?: string;
  displayName?: string;
}

export async function createUser(ctx: Ctx, actor: Actor | SystemActor, input: NewUser): Promise<{ id: number; username: string }> {
  if ('userId' in actor) assertAdmin(actor);
  const username = typeof input.username === 'string' ? input.username.trim() : '';
  if (!USERNAME_RE.test(username)) {
    throw invalid(`用户名“${username}”不合法：应为 2–64 位字母、数字或 _ . @ -`, [{ field: 'username', message: '用户名不合法' }]);
  }
  if (!ROLES.includes(input.role as Role)) {
    throw invalid(`角色“${input.role}”不存在：应为 ${ROLES.join('、')} 之一`, [{ field: 'role', message: '角色不存在' }], 'user.unknown_role');
  }
  if (input.password !== undefined) {
    const p = passwordProblem(input.password);
    if (p) throw invalid(p, [{ field: 'password', message: p }]);
  }
  const agency = await findAgency(ctx, input.agencyCode);
  if (!agency) throw invalid(`机构“${input.agencyCode}”不存在`, [{ field: 'agency', message: '机构不存在' }], 'agency.unknown');
  const hash = input.password !== undefined ? await hashPassword(input.password) : null;
  return accountsChanged(ctx, () => ctx.db.transaction().execute(async (tx) => {
    const at = ctx.now();
    const existing = await repo.findUserByUsername(tx, username);
    if (existing) {
      // Adding a role to an existing account of the same agency; anything else is a duplicate.
      if (existing.agency_id !== agency.id) throw new AppError('conflict', `用户名“${username}”已被其他机构的账号使用`, { reason: 'user.duplicate' });
      const roles = await repo.rolesOf(tx, existing.id);
      if (roles.some((r) => r.agencyId === agency.id && r.role === input.role)) {
        throw new AppError('conflict', `账号“${username}”已有角色 ${input.role}`, { reason: 'user.duplicate' });
      }
      await repo.addRole(tx, existing.id, agency.id, input.role);
      if (hash) await repo.setPassword(tx, existing.id, hash, at.toISOString());
      await appendAudit(tx, { actor, agencyId: agency.id, action: 'user.grant', entity: 'user', entityId: existing.id, data: { username, role: input.role }, at });
      return { id: existing.id, username };
    }
    const id = await repo.insertUser(tx, {
      username,
      displayName: input.displayName?.trim() || username,
      passwordHash: hash,
      agencyId: agency.id,
      at: at.toISOString(),
    });
    await repo.addRole(tx, id, agency.id, input.role);
    await appendAudit(tx, { actor, agencyId: agency.id, action: 'user.create', entity: 'user', entityId: id, data: { username, role: input.role, agency: agency.code }, at });
    return { id, username };
  }));
}

export async function setPassword(ctx: Ctx, actor: Actor | SystemActor, username: string, password: string): Promise<void> {
  const p = passwordProblem(password);
  if (p) throw invalid(p, [{ field: 'password', message: p }]);
  const user = await repo.findUserByUsername(ctx.db, username);
  if (!user) throw notFound(`账号“${username}”`);
  if ('userId' in actor && actor.userId !== user.id) assertAdmin(actor);
  const hash = await hashPassword(password);
  await accountsChanged(ctx, () => ctx.db.transaction().execute(async (tx) => {
    const at = ctx.now();
    await repo.setPassword(tx, user.id, hash, at.toISOString());
    await repo.revokeSessionsOf(tx, user.id, at.toISOString());
    await appendAudit(tx, { actor, agencyId: user.agency_id, action: 'user.password', entity: 'user', entityId: user.id, data: {}, at });
  }));
}

export interface LoginResult {
  sessionToken: string;
  csrfToken: string;
  actor: Actor;
}

/**
 * Check a username and password under LOGIN_POLICY (throttled per account and per address and account, an
 * address slowed but never refused, a lock after repeated failures of which an administrator is told).
 */
export async function login(ctx: Ctx, input: { username: string; password: string; ip: string; userAgent?: string }): Promise<LoginResult> {
  const now = ctx.now();
  const since = new Date(now.getTime() - LOGIN_POLICY.windowMinutes * 60_000).toISOString();
  if (typeof input.username !== 'string' || typeof input.password !== 'string' || input.username.length > 64 || input.password.length > 200) {
    throw new AppError('unauthenticated', '用户名或密码不正确', { reason: 'login.failed' });
  }
  const name = input.username.toLowerCase();
  const userKey = `user:${name}`;
  const ipKey = `ip:${input.ip}`;
  const pairKey = `pair:${input.ip}|${name}`;
  const [userFails, ipFails, pairFails] = await Promise.all([
    repo.countFailures(ctx.db, userKey, since),
    repo.countFailures(ctx.db, ipKey, since),
    repo.countFailures(ctx.db, pairKey, since),
  ]);
  const throttled = () => new AppError('rate_limited', `登录失败次数过多，请 ${LOGIN_POLICY.windowMinutes} 分钟后再试`, { reason: 'login.throttled' });
  if (pairFails >= LOGIN_POLICY.maxPerAddressAccount) throw throttled();
  // An address with many failures over many names is slowed, not refused.
  if (ipFails >= LOGIN_POLICY.maxPerIp) await new Promise((resolve) => setTimeout(resolve, LOGIN_POLICY.slowMs));
  const user = await repo.findUserByUsername(ctx.db, input.username);
  const knownSince = new Date(now.getTime() - LOGIN_POLICY.knownAddressDays * 86_400_000).toISOString();
  const known = user ? await repo.signedInFrom(ctx.db, user.id, input.ip, knownSince) : false;
  if (userFails >= LOGIN_POLICY.maxPerUser && !known) throw throttled();
  // The same password-hash work whether the name exists or not (no enumeration by timing).
  const ok = user && user.active === 1 && user.password_hash ? await verifyPassword(input.password, user.password_hash) : await verifyAgainstNothing(input.password);
  if (user && !known && user.locked_until && user.locked_until > now.toISOString()) {
    throw new AppError('forbidden', '账号已被临时锁定，请稍后再试或联系系统管理员', { reason: 'login.locked' });
  }
  if (!user || !ok) {
    await ctx.db.transaction().execute(async (tx) => {
      for (const key of [userKey, ipKey, pairKey]) await repo.recordFailure(tx, key, now.toISOString());
      if (user) {
        const fails = await repo.incrementFailedLogins(tx, user.id);
        if (fails >= LOGIN_POLICY.lockAfter && !known) {
          const until = new Date(now.getTime() + LOGIN_POLICY.lockMinutes * 60_000).toISOString();
          await repo.lockUser(tx, user.id, until);
          await appendAudit(tx, {
            actor: { system: 'login' }, agencyId: user.agency_id, action: 'user.locked', entity: 'user', entityId: user.id,
            data: { username: user.username, until, failures: fails }, at: now,
          });
        }
      }
    });
    throw new AppError('unauthenticated', '用户名或密码不正确', { reason: 'login.failed' });
  }
  const sessionToken = newSecret();
  const csrfToken = newSecret();
  await ctx.db.transaction().execute(async (tx) => {
    await repo.resetFailedLogins(tx, user.id);
    await repo.insertSession(tx, {
      id: sha256(sessionToken),
      userId: user.id,
      csrfToken,
      at: now.toISOString(),
      expiresAt: new Date(now.getTime() + SESSION_HOURS * 3600_000).toISOString(),
      ip: input.ip,
      userAgent: input.userAgent?.slice(0, 300) ?? null,
    });
    await appendAudit(tx, { actor: { system: 'login' }, agencyId: user.agency_id, action: 'user.login', entity: 'user', entityId: user.id, data: { username: user.username }, at: now });
  });
  return { sessionToken, csrfToken, actor: (await actorFor(ctx, user.id))! };
}

export async function logout(ctx: Ctx, sessionToken: string): Promise<void> {
  await repo.revokeSession(ctx.db, sha256(sessionToken), ctx.now().toISOString());
}

/** The actor and CSRF token of a live session, or null. */
export async function sessionActor(ctx: Ctx, sessionToken: string): Promise<{ actor: Actor; csrfToken: string } | null> {
  const s = await repo.findSession(ctx.db, sha256(sessionToken));
  const now = ctx.now().toISOString();
  if (!s || s.revoked_at || s.expires_at <= now) return null;
  const actor = await actorFor(ctx, s.user_id);
  if (!actor) return null;
  return { actor, csrfToken: s.csrf_token };
}

export async function revokeSessionsOfUser(ctx: Ctx, actor: Actor, username: string): Promise<number> {
  assertAdmin(actor);
  const user = await repo.findUserByUsername(ctx.db, username);
  if (!user) throw notFound(`账号“${username}”`);
  return ctx.db.transaction().execute(async (tx) => {
    const at = ctx.now();
    const n = await repo.revokeSessionsOf(tx, user.id, at.toISOString());
    await appendAudit(tx, { actor, agencyId: user.agency_id, action: 'user.sessions_revoked', entity: 'user', entityId: user.id, data: { sessions: n }, at });
    return n;
  });
}

export async function unlockUser(ctx: Ctx, actor: Actor, username: string): Promise<void> {
  assertAdmin(actor);
  const user = await repo.findUserByUsername(ctx.db, username);
  if (!user) throw notFound(`账号“${username}”`);
  await ctx.db.transaction().execute(async (tx) => {
    const at = ctx.now();
    await repo.resetFailedLogins(tx, user.id);
    await appendAudit(tx, { actor, agencyId: user.agency_id, action: 'user.unlock', entity: 'user', entityId: user.id, data: {}, at });
  });
}

/** A new API token for the account, printed once; only its hash is stored. */
export async function createToken(ctx: Ctx, actor: Actor | SystemActor, username: string, name?: string): Promise<string> {
  if ('userId' in actor && actor.username !== username) assertAdmin(actor);
  const user = await repo.findUserByUsername(ctx.db, username);
  if (!user) throw notFound(`账号“${username}”`);
  const token = `gk_${newSecret()}`;
  await ctx.db.transaction().execute(async (tx) => {
    const at = ctx.now();
    await repo.insertToken(tx, { userId: user.id, hash: sha256(token), name: name ?? null, at: at.toISOString() });
    await appendAudit(tx, { actor, agencyId: user.agency_id, action: 'token.create', entity: 'user', entityId: user.id, data: { name: name ?? null }, at });
  });
  return token;
}

/**
 * How long the actor of an API token is remembered (per database handle, in this process). An API client
 * sends the same token with every call; looking it up (token, account, grants) was ~10 % of the CPU of a
 * submission. The bound: a change made through this process (a role granted, a password set — anything that
 * calls forgetTokenActors) counts from the next request; a token revoked or an account deactivated or changed
 * from outside (another process, the CLI, SQL) counts within TOKEN_ACTOR_TTL_MS. Unknown and revoked tokens
 * are never remembered: they are looked up every time.
 */
export const TOKEN_ACTOR_TTL_MS = 1000;
const TOKEN_ACTOR_MAX = 1000;
const tokenActors = new WeakMap<object, { generation: number; entries: Map<string, { actor: Actor; at: number }> }>();

/** Empties the token cache: call after any change to accounts, roles or tokens has committed. */
export function forgetTokenActors(ctx: Ctx): void {
  const cache = tokenActors.get(ctx.db);
  if (!cache) return;
  cache.generation++; // a lookup that read before the change does not store what it read
  cache.entries.clear();
}

/** Runs a change to accounts, roles or tokens, then forgets the remembered token actors (also if it failed). */
async function accountsChanged<T>(ctx: Ctx, change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } finally {
    forgetTokenActors(ctx);
  }
}

/** The actor of an API token: null when unknown, revoked, or its account inactive. */
export async function tokenActor(ctx: Ctx, token: string): Promise<Actor | null> {
  const hash = sha256(token);
  const now = ctx.now().getTime();
  let cache = tokenActors.get(ctx.db);
  if (!cache) tokenActors.set(ctx.db, (cache = { generation: 0, entries: new Map() }));
  const hit = cache.entries.get(hash);
  // (A clock that went back does not stretch the bound: such an entry is looked up again.)
  if (hit && now >= hit.at && now - hit.at < TOKEN_ACTOR_TTL_MS) return hit.actor;
  cache.entries.delete(hash);
  const generation = cache.generation;
  const found = await repo.findTokenAccount(ctx.db, hash);
  if (!found) return null;
  // Shared by the requests of the next second: frozen, so no use case can change it for the others.
  const actor: Actor = Object.freeze({ ...found, grants: Object.freeze(found.grants.map((g) => Object.freeze(g))) as Actor['grants'] });
  if (cache.generation === generation) {
    cache.entries.set(hash, { actor, at: now });
    if (cache.entries.size > TOKEN_ACTOR_MAX) cache.entries.delete(cache.entries.keys().next().value!);
  }
  return actor;
}

export async function actorFor(ctx: Ctx, userId: number): Promise<Actor | null> {
  const user = await repo.findUserById(ctx.db, userId);
  if (!user || user.active !== 1) return null;
  const grants = await repo.grantsOf(ctx.db, userId);
  return { userId: user.id, username: user.username, displayName: user.display_name, agencyId: user.agency_id, grants };
}

export async function listUsers(ctx: Ctx, actor: Actor, agencyId?: number) {
  assertAdmin(actor);
  return repo.listUsers(ctx.db, agencyId);
}

/** Accounts locked now after repeated failed logins (the administrator's notice on /office and /office/users). */
export async function listLockedUsers(ctx: Ctx, actor: Actor): Promise<{ username: string; displayName: string; agencyName: string; lockedUntil: string }[]> {
  if (!isAdmin(actor)) return [];
  const now = ctx.now().toISOString();
  return (await repo.listLockedUsers(ctx.db, now)).map((u) => ({ username: u.username, displayName: u.display_name, agencyName: u.agency_name, lockedUntil: u.locked_until! }));
}

export async function countUsers(ctx: Ctx): Promise<number> {
  return repo.countUsers(ctx.db);
}

/** Active accounts holding one of `roles` on one of the agencies (recipients of reminders and 督办 notices). */
export async function usersWithRoles(ctx: Ctx, agencyIds: number[], roles: Role[]): Promise<{ id: number; displayName: string; agencyId: number; role: string }[]> {
  return repo.usersWithRoles(ctx.db, agencyIds, roles);
}

/** Active staff of an agency holding the handler role, by name (whom a request can be assigned to). */
export const listActiveHandlers = (ctx: Ctx, agencyId: number) => repo.activeHandlersOf(ctx.db, agencyId);
