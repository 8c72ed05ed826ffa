import type { Kysely } from 'kysely';
import type { Engine } from '../database.js';

/**
 * 政府信息公开指南 (条例第12条) and 政府信息公开制度 per agency, as edited in the office. The office's
 * name, address, hours and contacts are not stored here: they come from the agency's contact block.
 */
export async function up(db: Kysely<any>, _engine: Engine): Promise<void> {
  await db.schema
    .createTable('agency_guides')
    .addColumn('agency_id', 'integer', (c) => c.primaryKey().references('agencies.id'))
    .addColumn('classification', 'text') // 一、政府信息的分类
    .addColumn('arrangement', 'text') // 二、编排体系
    .addColumn('access', 'text') // 三、获取方式
    .addColumn('other', 'text') // 其他说明
    .addColumn('institutions', 'text') // 政府信息公开制度 (the agency's rules for this work)
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
}
