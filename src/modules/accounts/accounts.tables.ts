import type { Generated } from 'kysely';

export interface UsersTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  password_hash: string | null;
  agency_id: number;
  active: number;
  failed_logins: number;
  locked_until: string | null;
  created_at: string;
  updated_at: string;
}
export interface UserRolesTable {
  user_id: number;
  agency_id: number;
  role: string;
}
export interface SessionsTable {
  id: string;
  user_id: number;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
  ip: string | null;
  user_agent: string | null;
  revoked_at: string | null;
}
export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  token_hash: string;
  name: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}
export interface LoginFailuresTable {
  id: Generated<number>;
  key: string;
  at: string;
}
declare module '../../db/schema.js' {
  interface Database {
    users: UsersTable;
    user_roles: UserRolesTable;
    sessions: SessionsTable;
    api_tokens: ApiTokensTable;
    login_failures: LoginFailuresTable;
  }
}
