import { sql, type Kysely } from 'kysely';
import type { Engine } from '../database.js';

/**
 * The change announcements (20261207180000_change_notify) carry the announcing server process's id after the
 * schema, `schema:pid`: a process ignores its own changes, which it has seen already, so that a page it
 * cached right after its own commit is not dropped when the announcement of that commit arrives.
 */
export async function up(db: Kysely<any>, engine: Engine): Promise<void> {
  if (engine !== 'postgres') return;
  await sql`create or replace function gongkai_announce_change() returns trigger language plpgsql as $$
begin
  if new.entity in ('request', 'user', 'session', 'token', 'review_case') then
    perform pg_notify('gongkai_private', tg_table_schema || ':' || pg_backend_pid());
  else
    perform pg_notify('gongkai_change', tg_table_schema || ':' || pg_backend_pid());
  end if;
  return null;
end $$`.execute(db);
}
