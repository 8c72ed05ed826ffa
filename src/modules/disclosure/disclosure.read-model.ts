/** The disclosure module's read model: what the annual report counts of the published items. */
import type { Executor } from '../../db/database.js';
import type { YearRange } from '../../law/report-period.js';
import './disclosure.tables.js';

/** Items published on the portal in the year, per agency . */
export async function itemsPublished(db: Executor, agencyIds: number[], y: YearRange): Promise<{ agencyId: number; n: number }[]> {
  const rows = await db
    .selectFrom('items')
    .where('agency_id', 'in', agencyIds)
    .where('status', '=', 'published')
    .where('published_on', '>=', y.start)
    .where('published_on', '<=', y.end)
    .select(['agency_id', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('agency_id')
    .execute();
  return rows.map((r) => ({ agencyId: r.agency_id, n: Number(r.n) }));
}

/** 考核, 第二十六条: items published in the year and how many of them after their 20-working-day limit (late = 1). */
export async function publicationTimeliness(db: Executor, agencyIds: number[], y: YearRange): Promise<{ agencyId: number; published: number; late: number }[]> {
  if (!agencyIds.length) return [];
  const rows = await db
    .selectFrom('items')
    .where('agency_id', 'in', agencyIds)
    .where('status', '=', 'published')
    .where('published_on', '>=', y.start)
    .where('published_on', '<=', y.end)
    .select(['agency_id', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>(eb.case().when('late', '=', 1).then(1).else(0).end()).as('late')])
    .groupBy('agency_id')
    .execute();
  return rows.map((r) => ({ agencyId: r.agency_id, published: Number(r.n), late: Number(r.late ?? 0) }));
}

/**
 * The policy documents of 考核: published items of the 第二十条第（一）项 column 法规文件 (行政法规、规章和规范性文件), or
 * of a 政策文件 column (what many portals call it).
 */
export const POLICY_CATEGORIES = ['法规文件', '政策文件'];

/** 考核: policy documents published in the year, and how many have a published 政策解读 linked to them. */
export async function policyInterpretations(db: Executor, agencyIds: number[], y: YearRange): Promise<{ agencyId: number; policies: number; interpreted: number }[]> {
  if (!agencyIds.length) return [];
  const rows = await db
    .selectFrom('items as p')
    .innerJoin('item_categories as c', 'c.id', 'p.category_id')
    .where('p.agency_id', 'in', agencyIds)
    .where('c.name', 'in', POLICY_CATEGORIES)
    .where('p.status', '=', 'published')
    .where('p.published_on', '>=', y.start)
    .where('p.published_on', '<=', y.end)
    .select((eb) => [
      'p.agency_id',
      eb.fn.countAll<number>().as('n'),
      eb.fn
        .sum<number>(
          eb
            .case()
            .when(eb.exists(eb.selectFrom('items as i').select('i.id').whereRef('i.interprets_item_id', '=', 'p.id').where('i.status', '=', 'published')))
            .then(1)
            .else(0)
            .end(),
        )
        .as('interpreted'),
    ])
    .groupBy('p.agency_id')
    .execute();
  return rows.map((r) => ({ agencyId: r.agency_id, policies: Number(r.n), interpreted: Number(r.interpreted ?? 0) }));
}

/** The records behind publicationTimeliness (which = 'timeliness') or policyInterpretations (which = 'policies'). */
export async function assessmentItemRecords(db: Executor, agencyId: number, y: YearRange, which: 'timeliness' | 'policies', limit = 1000) {
  let q = db
    .selectFrom('items as p')
    .innerJoin('item_categories as c', 'c.id', 'p.category_id')
    .where('p.agency_id', '=', agencyId)
    .where('p.status', '=', 'published')
    .where('p.published_on', '>=', y.start)
    .where('p.published_on', '<=', y.end)
    .select((eb) => [
      'p.id',
      'p.index_no',
      'p.title',
      'p.generated_on',
      'p.due_on',
      'p.published_on',
      'p.late',
      eb.exists(eb.selectFrom('items as i').select('i.id').whereRef('i.interprets_item_id', '=', 'p.id').where('i.status', '=', 'published')).as('interpreted'),
    ]);
  if (which === 'policies') q = q.where('c.name', 'in', POLICY_CATEGORIES);
  const rows = await q.orderBy('p.late', 'desc').orderBy('p.published_on').limit(limit).execute();
  return rows.map((r) => ({
    id: r.id,
    indexNo: r.index_no,
    title: r.title,
    generatedOn: r.generated_on,
    dueOn: r.due_on,
    publishedOn: r.published_on!,
    late: r.late === 1,
    interpreted: Boolean(Number(r.interpreted)),
  }));
}
