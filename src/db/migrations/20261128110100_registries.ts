import type { Kysely } from 'kysely';
import type { Engine } from '../database.js';
import { bigintType, withId } from '../dialect.js';

/** Registries that feed table 二 and the report's prose (条例第20条第（一）（五）（六）（八）项; new media). */
export async function up(db: Kysely<any>, engine: Engine): Promise<void> {
  // 规章 and 行政规范性文件: 制发 / 废止 / 现行有效 follow from the dates.
  await withId(engine, db.schema.createTable('normative_documents'))
    .addColumn('agency_id', 'integer', (c) => c.notNull().references('agencies.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // rule | normative_document
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('doc_number', 'text')
    .addColumn('issued_on', 'text', (c) => c.notNull())
    .addColumn('abolished_on', 'text')
    .addColumn('item_id', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('normative_documents_agency').on('normative_documents').columns(['agency_id', 'kind']).execute();

  // 行政许可 / 行政处罚 / 行政强制 decisions, one row each, or a counted batch (count > 1, e.g. imported totals).
  await withId(engine, db.schema.createTable('enforcement_decisions'))
    .addColumn('agency_id', 'integer', (c) => c.notNull().references('agencies.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // licensing | penalty | enforcement
    .addColumn('decided_on', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('doc_number', 'text')
    .addColumn('subject', 'text')
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('entry')) // entry | imported_total
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('enforcement_decisions_agency').on('enforcement_decisions').columns(['agency_id', 'kind', 'decided_on']).execute();

  // 行政事业性收费 collected (fen), per entry or per year total.
  await withId(engine, db.schema.createTable('fee_collections'))
    .addColumn('agency_id', 'integer', (c) => c.notNull().references('agencies.id'))
    .addColumn('collected_on', 'text', (c) => c.notNull())
    .addColumn('amount_fen', bigintType(engine), (c) => c.notNull())
    .addColumn('item', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('fee_collections_agency').on('fee_collections').columns(['agency_id', 'collected_on']).execute();

  // What went out on new media (WeChat, Douyin, …): per item or as a counted batch.
  await withId(engine, db.schema.createTable('new_media_posts'))
    .addColumn('agency_id', 'integer', (c) => c.notNull().references('agencies.id'))
    .addColumn('channel', 'text', (c) => c.notNull()) // wechat | douyin | toutiao | weibo | app | video | other
    .addColumn('account', 'text')
    .addColumn('published_on', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('title', 'text')
    .addColumn('item_id', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('new_media_posts_agency').on('new_media_posts').columns(['agency_id', 'published_on']).execute();
}
