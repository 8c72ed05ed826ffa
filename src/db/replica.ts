/**
 * A streaming replica for anonymous portal reads (GONGKAI_READ_URL). Its lag is measured, not assumed: every
 * `sampleMs` the primary's current WAL position is noted with the time, and the replica's replayed position
 * read; the replica holds everything the primary had committed at the latest noted time whose position it
 * has replayed (`freshAsOf`). While that is more than `maxLagMs` ago — the replica stopped, fell behind or
 * does not answer — `usable()` is false and readers go to the primary. So a page read from the replica never
 * shows data older than `maxLagMs`: a withdrawal acknowledged on the primary is gone from
 * such pages within that bound, which is what the pages state.
 */
import { sql } from 'kysely';
import { createStore, type Db, type Store } from './database.js';

function lsn(text: string | null | undefined): bigint | null {
  if (!text) return null;
  const [hi, lo] = text.split('/');
  return (BigInt(`0x${hi}`) << 32n) | BigInt(`0x${lo}`);
}

export interface ReplicaLog {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export class ReadReplica {
  readonly #store: Store;
  readonly #samples: { t: number; lsn: bigint }[] = [];
  #freshAsOf = 0;
  #timer: NodeJS.Timeout | undefined;
  #sampling = false;
  #wasUsable = false;

  constructor(
    private readonly primary: Db,
    o: { url: string; schema?: string; poolSize: number },
    readonly maxLagMs: number,
    private readonly log: ReplicaLog,
    private readonly sampleMs = 250,
  ) {
    this.#store = createStore({ engine: 'postgres', url: o.url, schema: o.schema, poolSize: o.poolSize });
  }

  get db(): Db {
    return this.#store.db;
  }

  /** Instant (ms) by which everything committed on the primary is on the replica. */
  freshAsOf(): number {
    return this.#freshAsOf;
  }

  /** Current enough: its data is at most maxLagMs old until the next sample (hence the sample's margin). */
  usable(): boolean {
    return Date.now() - this.#freshAsOf <= this.maxLagMs - this.sampleMs;
  }

  async start(): Promise<void> {
    await this.#sample();
    this.#timer = setInterval(() => void this.#sample(), this.sampleMs);
    this.#timer.unref();
  }

  async #sample(): Promise<void> {
    if (this.#sampling) return;
    this.#sampling = true;
    try {
      const t = Date.now();
      const p = await sql<{ lsn: string }>`select pg_current_wal_lsn()::text as lsn`.execute(this.primary);
      const at = lsn(p.rows[0]?.lsn);
      if (at !== null) {
        this.#samples.push({ t, lsn: at });
        if (this.#samples.length > 400) this.#samples.shift();
      }
      const r = await sql<{ lsn: string | null; recovery: boolean }>`select pg_last_wal_replay_lsn()::text as lsn, pg_is_in_recovery() as recovery`.execute(this.#store.db);
      const row = r.rows[0];
      if (row && !row.recovery) {
        this.#freshAsOf = t; // not a replica at all (the primary itself): always current
      } else {
        const replayed = lsn(row?.lsn);
        if (replayed !== null) {
          for (let i = this.#samples.length - 1; i >= 0; i--) {
            if (this.#samples[i]!.lsn <= replayed) {
              this.#freshAsOf = Math.max(this.#freshAsOf, this.#samples[i]!.t);
              this.#samples.splice(0, i); // older samples are no longer needed
              break;
            }
          }
        }
      }
    } catch {
      // the replica (or the primary) did not answer: freshAsOf stays, the lag grows, readers move to the primary
    } finally {
      this.#sampling = false;
      const usable = this.usable();
      if (usable !== this.#wasUsable) {
        if (usable) this.log.info({ replica: 'usable' }, '只读副本已同步：匿名门户页面从副本读取');
        else this.log.warn({ replica: 'lagging', freshAsOf: new Date(this.#freshAsOf).toISOString() }, `只读副本滞后超过 ${this.maxLagMs / 1000} 秒或不可用：门户页面改从主库读取`);
        this.#wasUsable = usable;
      }
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#store.close();
  }
}
