/**
 * The database as Kysely sees it. Each capability declares its own tables by merging into `Database`
 * from its module (`declare module '../../db/schema.js' { interface Database { … } }`), so that no
 * single file lists every table; the migrations in ./migrations create them.
 *
 * Conventions, the same on both engines: integer ids; dates as 'YYYY-MM-DD' text; instants as ISO-8601
 * UTC text; booleans as integer 0/1; money as integer fen or yuan as stated per column.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface Database {}
