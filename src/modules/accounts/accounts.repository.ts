import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { Grant, Role } from '../context.js';
import './accounts.tables.js';
import '../agencies/agencies.read-model.js';

export const findUserByUsername = (db: Executor, username: string) =>
  db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();

export const findUserById = (db: Executor, id: number) =>
  db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();

export async function insertUser(
  db: Executor,
  u: { username: string; displayName: string; passwordHash: string | null; agencyId: number; at: string },
): Promise<number> {
  const r = await db
    .insertInto('users')
    .values({
      username: u.username,
      display_name: u.displayName,
      password_hash: u.passwordHash,
      agency_id: u.agencyId,
      active: 1,
      failed_logins: 0,
      locked_until: null,
      created_at: u.at,
      updated_at: u.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function addRole(db: Executor, userId: number, agencyId: number, role: string): Promise<void> {
  await db.insertInto('user_roles').values({ user_id: userId, agency_id: agencyId, role }).execute();
}

export async function rolesOf(db: Executor, userId: number): Promise<{ agencyId: number; role: string }[]> {
  const rows = await db.selectFrom('user_roles').select(['agency_id', 'role']).where('user_id', '=', userId).execute();
  return rows.map((r) => ({ agencyId: r.agency_id, role: r.role }));
}

export async function grantsOf(db: Executor, userId: number): Promise<Grant[]> {
  const rows = await db
    .selectFrom('user_roles')
    .innerJoin('agencies', 'agencies.id', 'user_roles.agency_id')
    .select(['user_roles.agency_id', 'user_roles.role', 'agencies.code', 'agencies.path'])
    .where('user_roles.user_id', '=', userId)
    .execute();
  return rows.map((r) => ({ agencyId: r.agency_id, agencyCode: r.code, agencyPath: r.path, role: r.role as Role }));
}

export async function setPassword(db: Executor, userId: number, hash: string, at: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: hash, updated_at: at, failed_logins: 0, locked_until: null }).where('id', '=', userId).execute();
}

export async function countFailures(db: Executor, key: string, since: string): Promise<number> {
  const r = await db
    .selectFrom('login_failures')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('key', '=', key)
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function recordFailure(db: Executor, key: string, at: string): Promise<void> {
  await db.insertInto('login_failures').values({ key, at }).execute();
}

/** Whether the account has signed in from this address since `since` (a session was opened there). */
export async function signedInFrom(db: Executor, userId: number, ip: string, since: string): Promise<boolean> {
  const r = await db.selectFrom('sessions').select('id').where('user_id', '=', userId).where('ip', '=', ip).where('created_at', '>', since).limit(1).executeTakeFirst();
  return r !== undefined;
}

export async function incrementFailedLogins(db: Executor, userId: number): Promise<number> {
  const r = await db
    .updateTable('users')
    .set({ failed_logins: sql<number>`failed_logins + 1` })
    .where('id', '=', userId)
    .returning('failed_logins')
    .executeTakeFirstOrThrow();
  return r.failed_logins;
}

export async function lockUser(db: Executor, userId: number, until: string): Promise<void> {
  await db.updateTable('users').set({ locked_until: until }).where('id', '=', userId).execute();
}

export async function resetFailedLogins(db: Executor, userId: number): Promise<void> {
  await db.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', userId).execute();
}

export async function insertSession(
  db: Executor,
  s: { id: string; userId: number; csrfToken: string; at: string; expiresAt: string; ip: string | null; userAgent: string | null },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id: s.id,
      user_id: s.userId,
      csrf_token: s.csrfToken,
      created_at: s.at,
      expires_at: s.expiresAt,
      last_seen_at: s.at,
      ip: s.ip,
      user_agent: s.userAgent,
      revoked_at: null,
    })
    .execute();
}

export const findSession = (db: Executor, id: string) =>
  db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();

export async function revokeSession(db: Executor, id: string, at: string): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: at }).where('id', '=', id).execute();
}

export async function revokeSessionsOf(db: Executor, userId: number, at: string): Promise<number> {
  const r = await db
    .updateTable('sessions')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function insertToken(db: Executor, t: { userId: number; hash: string; name: string | null; at: string }): Promise<void> {
  await db.insertInto('api_tokens').values({ user_id: t.userId, token_hash: t.hash, name: t.name, created_at: t.at, last_used_at: null, revoked_at: null }).execute();
}

/**
 * The account behind a live API token (not revoked, account active) with its grants, in one statement: one
 * row per grant (a single row with a null role when it has none); no row when the token does not count.
 */
export async function findTokenAccount(
  db: Executor,
  hash: string,
): Promise<{ userId: number; username: string; displayName: string; agencyId: number; grants: Grant[] } | undefined> {
  const rows = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .leftJoin('user_roles', 'user_roles.user_id', 'users.id')
    .leftJoin('agencies', 'agencies.id', 'user_roles.agency_id')
    .select(['users.id', 'users.username', 'users.display_name', 'users.agency_id', 'user_roles.agency_id as grant_agency_id', 'user_roles.role', 'agencies.code', 'agencies.path'])
    .where('api_tokens.token_hash', '=', hash)
    .where('api_tokens.revoked_at', 'is', null)
    .where('users.active', '=', 1)
    .execute();
  const u = rows[0];
  if (!u) return undefined;
  const grants: Grant[] = [];
  for (const r of rows) {
    if (r.role !== null && r.grant_agency_id !== null && r.code !== null && r.path !== null) {
      grants.push({ agencyId: r.grant_agency_id, agencyCode: r.code, agencyPath: r.path, role: r.role as Role });
    }
  }
  return { userId: u.id, username: u.username, displayName: u.display_name, agencyId: u.agency_id, grants };
}

export async function listUsers(db: Executor, agencyId?: number) {
  let q = db
    .selectFrom('users')
    .innerJoin('agencies', 'agencies.id', 'users.agency_id')
    .select(['users.id', 'users.username', 'users.display_name', 'users.active', 'users.locked_until', 'agencies.code as agency_code', 'agencies.name as agency_name'])
    .orderBy('users.username');
  if (agencyId) q = q.where('users.agency_id', '=', agencyId);
  const users = await q.execute();
  const roles = await db.selectFrom('user_roles').select(['user_id', 'role']).execute();
  return users.map((u) => ({ ...u, roles: roles.filter((r) => r.user_id === u.id).map((r) => r.role) }));
}

export async function listLockedUsers(db: Executor, now: string) {
  return db
    .selectFrom('users')
    .innerJoin('agencies', 'agencies.id', 'users.agency_id')
    .select(['users.username', 'users.display_name', 'users.locked_until', 'agencies.name as agency_name'])
    .where('users.locked_until', '>', now)
    .orderBy('users.username')
    .execute();
}

export async function countUsers(db: Executor): Promise<number> {
  const r = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Active accounts holding one of `roles` on one of `agencyIds` (who is told of a reminder or a 督办). */
export async function usersWithRoles(db: Executor, agencyIds: number[], roles: string[]): Promise<{ id: number; displayName: string; agencyId: number; role: string }[]> {
  if (!agencyIds.length || !roles.length) return [];
  const rows = await db
    .selectFrom('user_roles')
    .innerJoin('users', 'users.id', 'user_roles.user_id')
    .select(['users.id', 'users.display_name', 'user_roles.agency_id', 'user_roles.role'])
    .where('user_roles.agency_id', 'in', agencyIds)
    .where('user_roles.role', 'in', roles)
    .where('users.active', '=', 1)
    .orderBy('users.id')
    .execute();
  return rows.map((r) => ({ id: r.id, displayName: r.display_name, agencyId: r.agency_id, role: r.role }));
}

/** Staff of an agency holding the handler role (for assignment). Read-only view of the accounts tables. */
export async function activeHandlersOf(db: Executor, agencyId: number): Promise<{ id: number; name: string }[]> {
  const rows = await db
    .selectFrom('users')
    .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
    .select(['users.id', 'users.display_name'])
    .where('user_roles.agency_id', '=', agencyId)
    .where('user_roles.role', '=', 'handler')
    .where('users.active', '=', 1)
    .orderBy('users.display_name')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.display_name }));
}
