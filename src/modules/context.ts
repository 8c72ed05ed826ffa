/**
 * What every use case receives: the store, the clock and (for staff actions) the acting account.
 * Use cases open their own transaction from `db` and pass it down to repositories.
 */
import type { Db, Engine } from '../db/database.js';

export const ROLES = ['admin', 'editor', 'reviewer', 'approver', 'handler', 'supervisor'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: '系统管理员',
  editor: '信息编辑',
  reviewer: '审核人',
  approver: '签发人',
  handler: '依申请公开承办人',
  supervisor: '监督检查（只读）',
};

export interface Grant {
  agencyId: number;
  agencyCode: string;
  agencyPath: string;
  role: Role;
}

/** The signed-in staff member (or API token holder) on whose behalf a use case runs. */
export interface Actor {
  userId: number;
  username: string;
  displayName: string;
  agencyId: number;
  grants: Grant[];
}

export interface Ctx {
  db: Db;
  engine: Engine;
  /** The current instant; tests pass a fixed clock. */
  now: () => Date;
}

/** Today's date in China Standard Time as 'YYYY-MM-DD' (statutory dates are Beijing dates). */
export function todayCst(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
