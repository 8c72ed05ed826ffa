import type { Executor } from '../../db/database.js';
import '../agencies/agencies.read-model.js';

/** The code and materialised path of an agency (the agencies directory is published for joins). */
export async function agencyCodeAndPath(db: Executor, id: number): Promise<{ code: string; path: string } | undefined> {
  return db.selectFrom('agencies').select(['code', 'path']).where('id', '=', id).executeTakeFirst();
}
