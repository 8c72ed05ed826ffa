/** SQL of 考核: the weights. (The figures come from the other modules' read models.) */
import type { Executor } from '../../db/database.js';
import './assessment.tables.js';

export async function weightsOf(db: Executor, officeAgencyId: number, year: number): Promise<string | undefined> {
  const r = await db.selectFrom('assessment_weights').select('weights').where('office_agency_id', '=', officeAgencyId).where('year', '=', year).executeTakeFirst();
  return r?.weights;
}

export async function saveWeights(db: Executor, officeAgencyId: number, year: number, weights: string, by: number, at: string): Promise<void> {
  await db
    .insertInto('assessment_weights')
    .values({ office_agency_id: officeAgencyId, year, weights, updated_by: by, updated_at: at })
    .onConflict((oc) => oc.columns(['office_agency_id', 'year']).doUpdateSet({ weights, updated_by: by, updated_at: at }))
    .execute();
}
