/**
 * The registries' read model: what table 二 of the annual report counts (规章/规范性文件 制发·废止·现行有效,
 * 许可/处罚/强制 decisions, 行政事业性收费) and the registry rows that would make it wrong.
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { YearRange } from '../../law/report-period.js';
import './registries.tables.js';

export interface ProactiveCounts {
  agencyId: number;
  rulesIssued: number;
  rulesAbolished: number;
  rulesInForce: number;
  docsIssued: number;
  docsAbolished: number;
  docsInForce: number;
  licensing: number;
  penalties: number;
  enforcement: number;
  feesFen: number;
}

/** Table 二 from the registries (规章/规范性文件 by dates, decisions by their counts, 行政事业性收费 in fen). */
export async function proactiveCounts(db: Executor, agencyIds: number[], y: YearRange): Promise<ProactiveCounts[]> {
  const by = new Map<number, ProactiveCounts>();
  const get = (id: number): ProactiveCounts => {
    let c = by.get(id);
    if (!c) {
      c = { agencyId: id, rulesIssued: 0, rulesAbolished: 0, rulesInForce: 0, docsIssued: 0, docsAbolished: 0, docsInForce: 0, licensing: 0, penalties: 0, enforcement: 0, feesFen: 0 };
      by.set(id, c);
    }
    return c;
  };
  const docs = await db
    .selectFrom('normative_documents')
    .where('agency_id', 'in', agencyIds)
    .select([
      'agency_id',
      'kind',
      sql<number>`sum(case when issued_on >= ${y.start} and issued_on <= ${y.end} then 1 else 0 end)`.as('issued'),
      sql<number>`sum(case when abolished_on >= ${y.start} and abolished_on <= ${y.end} then 1 else 0 end)`.as('abolished'),
      sql<number>`sum(case when issued_on <= ${y.end} and (abolished_on is null or abolished_on > ${y.end}) then 1 else 0 end)`.as('in_force'),
    ])
    .groupBy(['agency_id', 'kind'])
    .execute();
  for (const d of docs) {
    const c = get(d.agency_id);
    if (d.kind === 'rule') {
      c.rulesIssued += Number(d.issued);
      c.rulesAbolished += Number(d.abolished);
      c.rulesInForce += Number(d.in_force);
    } else if (d.kind === 'normative_document') {
      c.docsIssued += Number(d.issued);
      c.docsAbolished += Number(d.abolished);
      c.docsInForce += Number(d.in_force);
    }
  }
  const decisions = await db
    .selectFrom('enforcement_decisions')
    .where('agency_id', 'in', agencyIds)
    .where('decided_on', '>=', y.start)
    .where('decided_on', '<=', y.end)
    .select(['agency_id', 'kind', (eb) => eb.fn.sum<number>('count').as('n')])
    .groupBy(['agency_id', 'kind'])
    .execute();
  for (const d of decisions) {
    const c = get(d.agency_id);
    const n = Number(d.n ?? 0);
    if (d.kind === 'licensing') c.licensing += n;
    else if (d.kind === 'penalty') c.penalties += n;
    else if (d.kind === 'enforcement') c.enforcement += n;
  }
  const fees = await db
    .selectFrom('fee_collections')
    .where('agency_id', 'in', agencyIds)
    .where('collected_on', '>=', y.start)
    .where('collected_on', '<=', y.end)
    .select(['agency_id', (eb) => eb.fn.sum<number>('amount_fen').as('fen')])
    .groupBy('agency_id')
    .execute();
  for (const f of fees) get(f.agency_id).feesFen += Number(f.fen ?? 0);
  return [...by.values()];
}

export interface ChannelCount {
  agencyId: number;
  channel: string;
  n: number;
}

/** What went out on new media in the year, by channel (sum of the counted rows). */
export async function newMediaCounts(db: Executor, agencyIds: number[], y: YearRange): Promise<ChannelCount[]> {
  const rows = await db
    .selectFrom('new_media_posts')
    .where('agency_id', 'in', agencyIds)
    .where('published_on', '>=', y.start)
    .where('published_on', '<=', y.end)
    .select(['agency_id', 'channel', (eb) => eb.fn.sum<number>('count').as('n')])
    .groupBy(['agency_id', 'channel'])
    .execute();
  return rows.map((r) => ({ agencyId: r.agency_id, channel: r.channel, n: Number(r.n ?? 0) }));
}
export async function documentsForCheck(db: Executor, agencyIds: number[], y: YearRange) {
  return db
    .selectFrom('normative_documents')
    .where('agency_id', 'in', agencyIds)
    .where('abolished_on', 'is not', null)
    .where((eb) => eb('abolished_on', '<', eb.ref('issued_on')))
    .where('issued_on', '<=', y.end)
    .select(['id', 'title', 'doc_number', 'issued_on', 'abolished_on'])
    .limit(200)
    .execute();
}
