import { sql, type Kysely } from 'kysely';
import type { Engine } from '../database.js';

/**
 * Change announcements, third form: requests and review cases are announced on no channel (no public page
 * and no cache shows them: a submission is then one statement cheaper, and the other processes' remembered
 * API-token actors are not dropped on every submission); accounts, sessions and tokens on `gongkai_accounts`;
 * everything else on `gongkai_change`. Payload `schema:pid` as before.
 */
export async function up(db: Kysely<any>, engine: Engine): Promise<void> {
  if (engine !== 'postgres') return;
  await sql`create or replace function gongkai_announce_change() returns trigger language plpgsql as $$
begin
  if new.entity in ('user', 'session', 'token') then
    perform pg_notify('gongkai_accounts', tg_table_schema || ':' || pg_backend_pid());
  elsif new.entity not in ('request', 'review_case') then
    perform pg_notify('gongkai_change', tg_table_schema || ':' || pg_backend_pid());
  end if;
  return null;
end $$`.execute(db);
}
