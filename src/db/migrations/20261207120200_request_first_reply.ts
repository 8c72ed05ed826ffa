import type { Kysely } from 'kysely';
import type { Engine } from '../database.js';

/**
 * A 纠正 review result reopens a replied request (requests.reopen.ts). From this migration on the request keeps its
 * first reply in first_outcome / first_replied_on and the day of the reopening in reopened_on; outcome / replied_on
 * are the re-handling's own reply (NULL until it is made). The annual report counts the two handlings apart
 * (requests.read-model.ts): the first in the years of its receipt and reply, as published; the re-handling in the
 * years it happens. Same statements on SQLite and PostgreSQL.
 *
 * Requests reopened before: they kept the first reply in outcome / replied_on while re-handled, and a new reply
 * overwrote it. Both are read back from their events (the first 'reply' after receipt, the last 'reopen', and a
 * reply after it if any).
 */
export async function up(db: Kysely<any>, _engine: Engine): Promise<void> {
  await db.schema.alterTable('requests').addColumn('first_outcome', 'text').execute();
  await db.schema.alterTable('requests').addColumn('first_replied_on', 'text').execute();
  await db.schema.alterTable('requests').addColumn('reopened_on', 'text').execute();
  await db.schema.createIndex('requests_agency_reopened').on('requests').columns(['agency_id', 'reopened_on']).execute();

  const reopened = await db.selectFrom('request_events').select('request_id').distinct().where('type', '=', 'reopen').execute();
  for (const { request_id: id } of reopened) {
    const events = await db.selectFrom('request_events').select(['type', 'event_on', 'data']).where('request_id', '=', id).orderBy('id').execute();
    const firstReply = events.find((e) => e.type === 'reply');
    const lastReopen = events.map((e, i) => ({ e, i })).filter((x) => x.e.type === 'reopen').at(-1);
    if (!firstReply || !lastReopen) continue;
    const newReply = events.slice(lastReopen.i + 1).filter((e) => e.type === 'reply').at(-1);
    const outcomeOf = (e: { data: string }) => {
      const d = JSON.parse(e.data) as { outcome?: unknown };
      return typeof d.outcome === 'string' ? d.outcome : null;
    };
    await db
      .updateTable('requests')
      .set({
        first_outcome: outcomeOf(firstReply),
        first_replied_on: firstReply.event_on,
        reopened_on: lastReopen.e.event_on,
        outcome: newReply ? outcomeOf(newReply) : null,
        replied_on: newReply ? newReply.event_on : null,
      })
      .where('id', '=', id)
      .execute();
  }
}
