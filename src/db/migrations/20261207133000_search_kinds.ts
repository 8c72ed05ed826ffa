import type { Kysely } from 'kysely';
import type { Engine } from '../database.js';
import { tuneLargeValueStorage } from '../dialect.js';

/**
 * Everything a citizen looks for is searchable (issue 13, part 3; docs/search.md): search_docs holds, beside the
 * published items, the sections of published annual reports and the agencies' guides (`kind`), and the text of
 * an item's attachments (`files`, JSON [{name, text}], for the snippet). The text extracted from an attachment
 * (PDF, DOCX, XLSX) is kept with it in item_attachments.text when it is uploaded.
 */
export async function up(db: Kysely<any>, engine: Engine): Promise<void> {
  await db.schema.alterTable('search_docs').addColumn('kind', 'text', (c) => c.notNull().defaultTo('item')).execute();
  await db.schema.alterTable('search_docs').addColumn('files', 'text').execute();
  await db.schema.alterTable('item_attachments').addColumn('text', 'text').execute();
  await tuneLargeValueStorage(db, engine, { compressed: [['search_docs', 'files'], ['item_attachments', 'text']], incompressible: [] });
}
