/**
 * A document's sort key (search_docs.skey, and SQLite's FTS5 rowid): its 发布日期 then its id, in one integer, so
 * that the index's own order is the order of "newest first". Pure.
 *
 *   key = (days since 1970-01-01) × 2^32 + (id + 2^31)
 *
 * Document ids are 32-bit (items positive, a report's sections and the guides negative: search.service.ts), so
 * the low 32 bits give the id back and keys are unique. Days within ±2^21 of 1970 (the years 3711 BC to 7711 AD)
 * keep the key within ±2^53: an exact JavaScript number, and an SQLite/PostgreSQL 64-bit integer.
 *
 * Why: above the count cap a query is answered newest first. With the key as FTS5's rowid, FTS5 reads its own
 * lists backwards and stops at the first matches (0.1 ms for 20 on the 1 M-item city), where a walk through the
 * documents by date checks each against the index (7.5 µs a row; 13–37 ms for a rare combination of words).
 */
const ID_BIAS = 2 ** 31;
const DAY_SPAN = 2 ** 32;
const DAY_MS = 86_400_000;

/** The key of a document published on `publishedOn` (YYYY-MM-DD…), with id `id` (a signed 32-bit integer). */
export function docKey(publishedOn: string, id: number): number {
  if (!Number.isInteger(id) || id < -ID_BIAS || id >= ID_BIAS) throw new Error(`search: document id out of range: ${id}`);
  return dayOf(publishedOn) * DAY_SPAN + (id + ID_BIAS);
}

/** The document id a key holds. */
export function idOfKey(key: number): number {
  return (((key % DAY_SPAN) + DAY_SPAN) % DAY_SPAN) - ID_BIAS;
}

/** Keys of the documents published from `from` (inclusive) to `to` (exclusive), dates YYYY-MM-DD: [lo, hi). */
export function keyRange(from: string, to: string): [lo: number, hi: number] {
  return [dayOf(from) * DAY_SPAN, dayOf(to) * DAY_SPAN];
}

function dayOf(date: string): number {
  const days = Math.floor(Date.parse(`${date.slice(0, 10)}T00:00:00Z`) / DAY_MS);
  if (!Number.isFinite(days) || days >= 2 ** 21 || days < -(2 ** 21)) throw new Error(`search: bad date: ${date}`);
  return days;
}

/** SQL pieces (both engines) that compute the same key from search_docs columns: used by the migration. */
export const KEY_DAY_SPAN = DAY_SPAN;
export const KEY_ID_BIAS = ID_BIAS;
