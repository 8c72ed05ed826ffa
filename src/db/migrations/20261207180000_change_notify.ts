import { sql, type Kysely } from 'kysely';
import type { Engine } from '../database.js';

/**
 * Several server processes on one PostgreSQL (issue 18): every audited change is announced with NOTIFY, on
 * the channel `gongkai_change`, with the schema's name as payload (two installations or test schemas in one
 * database never hear each other). PostgreSQL delivers a notification when, and only if, the transaction
 * that raised it commits — so a process that hears it and re-renders a page reads the change (src/db/notify.ts).
 * Notifications repeated in one transaction are delivered once. Private entities (requests, accounts,
 * review cases: no public page shows them) are announced on `gongkai_private`, for caches of accounts.
 * SQLite: nothing (one server process; the CLI's changes are seen through the audit chain head).
 */
export async function up(db: Kysely<any>, engine: Engine): Promise<void> {
  if (engine !== 'postgres') return;
  await sql`create or replace function gongkai_announce_change() returns trigger language plpgsql as $$
begin
  if new.entity in ('request', 'user', 'session', 'token', 'review_case') then
    perform pg_notify('gongkai_private', tg_table_schema);
  else
    perform pg_notify('gongkai_change', tg_table_schema);
  end if;
  return null;
end $$`.execute(db);
  await sql`create trigger audit_log_announce after insert on audit_log for each row execute function gongkai_announce_change()`.execute(db);
}
