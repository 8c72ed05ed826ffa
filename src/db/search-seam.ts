/**
 * The search seam: the one place where the full-text index's storage differs between SQLite and
 * PostgreSQL. The index itself (src/modules/search) is engine-neutral — posting lists of character
 * bigrams in tables of our own, delta-encoded in binary blocks — and only the column and table options
 * below depend on the engine.
 */
import type { Engine } from './database.js';

export interface SearchStorage {
  /** Column type of a binary posting block: `blob` (SQLite) or `bytea` (PostgreSQL). */
  blob: 'blob' | 'bytea';
  /** A 64-bit integer column (grams and sort keys exceed 2^31). */
  int64: 'integer' | 'bigint';
  /** Suffix for key-only tables: SQLite stores them as a clustered B-tree (WITHOUT ROWID); PostgreSQL has none. */
  keyOnlyTableSuffix: string;
}

export function searchStorage(engine: Engine): SearchStorage {
  return engine === 'sqlite'
    ? { blob: 'blob', int64: 'integer', keyOnlyTableSuffix: ' without rowid' }
    : { blob: 'bytea', int64: 'bigint', keyOnlyTableSuffix: '' };
}
