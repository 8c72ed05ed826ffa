/**
 * Who may do what, per agency. An account holds grants (agency, role):
 * - admin: the whole installation;
 * - editor / reviewer / approver / handler: their own agency, for the steps of that role;
 * - supervisor: reads its agency and every agency below it, and writes none of their records; it acts only as
 *   the oversight office: opens, accepts and returns 督办 (supervision.service) and sets 考核 weights
 *   (assessment.service), each audited.
 */
import { AppError } from '../../errors.js';
import type { Actor, Role } from '../context.js';

export interface AgencyRef {
  id: number;
  path: string;
}

export function isAdmin(actor: Actor): boolean {
  return actor.grants.some((g) => g.role === 'admin');
}

export function assertAdmin(actor: Actor): void {
  if (!isAdmin(actor)) throw new AppError('forbidden', '此操作仅限系统管理员');
}

/** Read access: admin, any grant on the agency itself, or a supervisor grant on an ancestor. */
export function canRead(actor: Actor, agency: AgencyRef): boolean {
  return actor.grants.some(
    (g) => g.role === 'admin' || g.agencyId === agency.id || (g.role === 'supervisor' && agency.path.startsWith(g.agencyPath)),
  );
}

/** Holds one of `roles` on this agency itself (admins hold every role). Supervisors never write. */
export function hasRole(actor: Actor, agency: AgencyRef, roles: readonly Role[]): boolean {
  return actor.grants.some((g) => g.role === 'admin' || (g.agencyId === agency.id && roles.includes(g.role) && g.role !== 'supervisor'));
}

export function assertRole(actor: Actor, agency: AgencyRef, roles: readonly Role[], what: string): void {
  if (!hasRole(actor, agency, roles)) throw new AppError('forbidden', `您没有${what}的权限`);
}

export function assertCanRead(actor: Actor, agency: AgencyRef): void {
  if (!canRead(actor, agency)) throw new AppError('forbidden', '您无权查看该机构的信息');
}

/** Editing the agency's own profile (contact block): its admin-like staff — any non-supervisor grant there. */
export function canWriteAgency(actor: Actor, agency: AgencyRef): boolean {
  return hasRole(actor, agency, ['editor', 'approver', 'handler', 'reviewer']);
}

/** True if the actor has any grant besides supervisor: a worker, not only an observer. */
export function isWorker(actor: Actor): boolean {
  return actor.grants.some((g) => g.role !== 'supervisor');
}
