/** Floors the benchmarks compare against: what the store does with no application around it. */
import { sql, type Kysely } from 'kysely';

/** Rows/s of a bare batched insert of rows shaped like items (1 000 per transaction, 100 per statement). */
export async function bareInsertRate(db: Kysely<any>, rows: number): Promise<number> {
  await sql`drop table if exists bench_bare_items`.execute(db);
  await sql`create table bench_bare_items (id integer primary key, agency_id integer, title text, summary text, body text, published_on text)`.execute(db);
  const body = '<p>为深入贯彻落实党中央、国务院决策部署，进一步推进优化营商环境工作，结合我市实际，制定本方案。</p>'.repeat(6);
  const t = performance.now();
  for (let i = 0; i < rows; i += 1000) {
    await db.transaction().execute(async (tx) => {
      const values = [];
      for (let j = i; j < Math.min(rows, i + 1000); j++) values.push(sql`(${j + 1}, ${j % 100}, ${`关于印发《江州市优化营商环境实施方案》的通知${j}`}, ${'为深入贯彻落实党中央、国务院决策部署'}, ${body}, ${'2024-05-06'})`);
      // chunks of 100 rows per statement keep within both engines' parameter limits
      for (let k = 0; k < values.length; k += 100) await sql`insert into bench_bare_items values ${sql.join(values.slice(k, k + 100))}`.execute(tx);
    });
  }
  const secs = (performance.now() - t) / 1000;
  await sql`drop table bench_bare_items`.execute(db);
  return rows / secs;
}
