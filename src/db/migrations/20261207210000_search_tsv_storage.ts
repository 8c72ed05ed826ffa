import type { Kysely } from 'kysely';
import type { Engine } from '../database.js';
import { tuneLargeValueStorage } from '../dialect.js';

/**
 * PostgreSQL: the search documents' tsvector is stored uncompressed (issue 13, docs/search.md "Indexing on
 * PostgreSQL"). A tsvector of bigram tokens barely compresses (105 MB pglz against 99 MB lz4 and 105 MB stored as
 * is, on the real corpus) and pglz spent 1.5 s of the 14.6 s the server worked to index it. SQLite: nothing.
 */
export async function up(db: Kysely<any>, engine: Engine): Promise<void> {
  await tuneLargeValueStorage(db, engine, { compressed: [], incompressible: [['search_docs', 'tsv']] });
}
