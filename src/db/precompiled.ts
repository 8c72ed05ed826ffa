/**
 * Statements built and compiled once, then run with new values. Kysely builds and compiles every query
 * anew: for a short statement that costs more CPU than running it (on SQLite), so the few statements of the
 * hottest write paths (an API submission, its audit entry, the API token) are compiled once per engine.
 *
 * The query is written with Kysely as usual; its values come from the builder's second argument, whose
 * properties stand for the named parameters:
 *
 *   const byId = precompiled<{ id: number }>()((db, p) => db.selectFrom('agencies').select('name').where('id', '=', p.id));
 *   const rows = await byId.execute(tx, { id: 7 });
 *
 * Every value of the statement must be such a parameter, or a literal (sql.lit): a plain value would be
 * frozen into the compiled statement, so compiling it throws instead.
 */
import { CompiledQuery, type Compilable, type RootOperationNode } from 'kysely';
import type { Executor } from './database.js';

const NAME = Symbol('precompiled parameter');

export interface Precompiled<A, R> {
  /** Runs the statement on `db` (the database or an open transaction); its rows (empty for a plain write). */
  execute(db: Executor, args: A): Promise<R[]>;
}

export function precompiled<A extends object>() {
  return <R>(build: (db: Executor, p: A) => Compilable<R>): Precompiled<A, R> => {
    // One compiled form per engine: the key is the query compiler, shared by a Kysely instance and its
    // transactions.
    const compiled = new WeakMap<object, { sql: string; names: (keyof A)[]; query: RootOperationNode }>();
    const compile = (db: Executor) => {
      const p = new Proxy({} as A, { get: (_, name) => ({ [NAME]: name }) });
      const q = build(db, p).compile();
      const names = q.parameters.map((v) => {
        const name = v !== null && typeof v === 'object' ? (v as { [NAME]?: keyof A })[NAME] : undefined;
        if (name === undefined) throw new Error(`precompiled statement with a fixed value (${String(v)}): pass it as a parameter or sql.lit: ${q.sql}`);
        return name;
      });
      return { sql: q.sql, names, query: q.query };
    };
    return {
      async execute(db, args) {
        const key = db.getExecutor().adapter;
        let c = compiled.get(key);
        if (!c) compiled.set(key, (c = compile(db)));
        const parameters = c.names.map((n) => args[n]);
        const result = await db.executeQuery<R>({ ...CompiledQuery.raw(c.sql, parameters), query: c.query });
        return result.rows;
      },
    };
  };
}
