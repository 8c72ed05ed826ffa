/**
 * The job queue seam: background work that must run once for the whole site, survive a restart and be
 * retried. PostgreSQL: pg-boss (its tables in a schema of their own, `<schema>_jobs`, or `pgboss` for the
 * public schema): any number of processes work the queues, each job is taken by one of them
 * (`FOR UPDATE SKIP LOCKED`), a recurring job is put in its queue once per occurrence whatever the number
 * of processes, and a job whose process died is taken again after `expireInSeconds`. SQLite: one process
 * runs them itself, one at a time per queue, with the same retry rule; what was waiting is found again
 * in the database's own records by the job's owner (src/modules/jobs) after a restart.
 *
 * A job of a queue defined `once` is not put in the queue again while one with the same key is waiting
 * (`send` returns null): enqueued twice, it runs once.
 */
import { randomUUID } from 'node:crypto';
import cronParser from 'cron-parser';
import PgBoss from 'pg-boss';
import type { DatabaseConfig } from '../config.js';

export interface JobRun {
  id: string;
  /** 0 on the first attempt. */
  retryCount: number;
  retryLimit: number;
  /** Aborted when the process is stopping. */
  signal: AbortSignal;
}

export interface QueueDefinition {
  /** Attempts after the first (default 2), `retryDelaySeconds` apart (default 10, doubling). */
  retryLimit?: number;
  retryDelaySeconds?: number;
  /** A run longer than this is taken as lost and retried (default 15 minutes). */
  expireInSeconds?: number;
  /** At most one job of a key waiting at a time (a second `send` while it waits returns null). */
  once?: boolean;
}

export type JobHandler = (data: Record<string, unknown>, run: JobRun) => Promise<void>;

export interface JobQueue {
  readonly kind: 'pg-boss' | 'in-process';
  /** Declares a queue and who works it (before start). */
  define(name: string, def: QueueDefinition, handler: JobHandler): void;
  /** A recurring job: `cron` (five fields, Beijing time), e.g. '7 * * * *' for every hour at :07. */
  every(name: string, cron: string, data?: Record<string, unknown>): void;
  /** Puts a job in its queue; its id, or null when a job of a `once` queue with that key is already waiting. */
  send(name: string, data: Record<string, unknown>, opts?: { key?: string; id?: string }): Promise<string | null>;
  /** Starts working the queues (and the recurring jobs). */
  start(): Promise<void>;
  /** Stops taking jobs; running ones are told to stop (their signal) and awaited up to `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /**
   * Told of each job still running when `stop` gave up waiting for it. PostgreSQL: the job is handed back to
   * pg-boss as failed first, so another process takes it after the retry delay (seconds), not when it would
   * have expired (15–30 minutes). SQLite: never called (a restart queues the site's unfinished jobs again).
   */
  onAbandoned(fn: (name: string, id: string, data: Record<string, unknown>) => Promise<void>): void;
}

export interface QueueLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

const TZ = 'Asia/Shanghai';

/** The pg-boss schema of an installation whose tables live in `schema`. */
export function jobSchemaOf(schema: string | undefined): string {
  return schema ? `${schema}_jobs` : 'pgboss';
}

export class PgBossQueue implements JobQueue {
  readonly kind = 'pg-boss' as const;
  readonly #boss: PgBoss;
  readonly #defs = new Map<string, { def: QueueDefinition; handler: JobHandler }>();
  readonly #every: { name: string; cron: string; data: Record<string, unknown> }[] = [];
  readonly #abort = new AbortController();
  /** The runs under way, and what they are (to hand back those still running when the process stops). */
  readonly #running = new Map<Promise<void>, { name: string; id: string; data: Record<string, unknown> }>();
  #abandoned: ((name: string, id: string, data: Record<string, unknown>) => Promise<void>) | undefined;
  #started = false;
  /** This process works the queues (false: it only sends jobs). */
  readonly #work: boolean;

  constructor(
    config: Extract<DatabaseConfig, { engine: 'postgres' }>,
    private readonly log: QueueLog,
    opts: { pollingIntervalSeconds?: number; work?: boolean } = {},
  ) {
    this.#boss = new PgBoss({
      connectionString: config.url,
      schema: jobSchemaOf(config.schema),
      max: 3,
      application_name: 'gongkai-jobs',
      // Archive, retention and cron monitoring as pg-boss defaults them; polling every 2 s per queue.
      ...(opts.pollingIntervalSeconds ? { pollingIntervalSeconds: opts.pollingIntervalSeconds } : {}),
    });
    this.#work = opts.work ?? true;
    this.#boss.on('error', (err: Error) => this.log.warn({ err: err.message }, '任务队列出错（将自动重试）'));
  }

  define(name: string, def: QueueDefinition, handler: JobHandler): void {
    this.#defs.set(name, { def, handler });
  }

  every(name: string, cron: string, data: Record<string, unknown> = {}): void {
    cronParser.parseExpression(cron, { tz: TZ }); // a bad expression fails here, at start
    this.#every.push({ name, cron, data });
  }

  /** pg-boss started and the queues made (also before start(): a job may be sent before it is worked). */
  #ready(): Promise<void> {
    return (this.#opened ??= (async () => {
      await this.#boss.start();
      this.#started = true;
      for (const [name, { def }] of this.#defs) {
        const options = {
          name,
          policy: def.once ? ('stately' as const) : ('standard' as const),
          retryLimit: def.retryLimit ?? 2,
          retryDelay: def.retryDelaySeconds ?? 10,
          retryBackoff: true,
          expireInSeconds: def.expireInSeconds ?? 15 * 60,
        };
        if (!(await this.#boss.getQueue(name))) {
          // Two processes starting together: the second one's create finds the queue made.
          await this.#boss.createQueue(name, options).catch(async (e) => {
            if (!(await this.#boss.getQueue(name))) throw e;
          });
        } else await this.#boss.updateQueue(name, options);
      }
    })());
  }
  #opened: Promise<void> | undefined;

  async start(): Promise<void> {
    await this.#ready();
    for (const [name, { handler }] of this.#defs) {
      if (!this.#work) continue;
      await this.#boss.work<Record<string, unknown>>(name, { batchSize: 1, includeMetadata: true }, async ([job]) => {
        if (!job) return;
        const p = handler(job.data ?? {}, { id: job.id, retryCount: job.retryCount, retryLimit: job.retryLimit, signal: this.#abort.signal });
        const settled = p.catch(() => {});
        this.#running.set(settled, { name, id: job.id, data: job.data ?? {} });
        try {
          await p;
        } finally {
          this.#running.delete(settled);
        }
      });
    }
    const wanted = new Set(this.#every.map((e) => e.name));
    for (const s of await this.#boss.getSchedules()) if (this.#defs.has(s.name) && !wanted.has(s.name)) await this.#boss.unschedule(s.name);
    for (const e of this.#every) await this.#boss.schedule(e.name, e.cron, e.data, { tz: TZ });
  }

  async send(name: string, data: Record<string, unknown>, opts: { key?: string; id?: string } = {}): Promise<string | null> {
    await this.#ready();
    return this.#boss.send(name, data, { ...(opts.key ? { singletonKey: opts.key } : {}), ...(opts.id ? { id: opts.id } : {}) });
  }

  onAbandoned(fn: (name: string, id: string, data: Record<string, unknown>) => Promise<void>): void {
    this.#abandoned = fn;
  }

  async stop(graceMs = 10_000): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    this.#abort.abort();
    await Promise.race([Promise.all(this.#running.keys()), new Promise((r) => setTimeout(r, graceMs).unref())]);
    // Runs that did not end in time: back to the queue now (a rolling restart must not leave them waiting for
    // their expiry), then whoever keeps their records is told.
    const left = [...this.#running.values()];
    for (const j of left) {
      await this.#boss.fail(j.name, j.id, { message: 'the process stopped while the job ran' }).catch((err: Error) => this.log.warn({ job: j.name, id: j.id, err: err.message }, '停止时未能交还正在运行的任务（将在其超时后重新执行）'));
      await this.#abandoned?.(j.name, j.id, j.data).catch(() => {});
    }
    await this.#boss.stop({ graceful: true, close: true, wait: true, timeout: left.length ? 1000 : graceMs }).catch(() => {});
  }
}

/** SQLite (one process): the queues run here, one job at a time per queue, retried as pg-boss would. */
export class InProcessQueue implements JobQueue {
  readonly kind = 'in-process' as const;
  readonly #defs = new Map<string, { def: QueueDefinition; handler: JobHandler; tail: Promise<void>; waiting: Set<string> }>();
  readonly #every: { name: string; cron: string; data: Record<string, unknown> }[] = [];
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #abort = new AbortController();
  readonly #pending: { name: string; data: Record<string, unknown>; key?: string; id: string }[] = [];
  #started = false;
  #stopped = false;

  constructor(private readonly log: QueueLog) {}

  define(name: string, def: QueueDefinition, handler: JobHandler): void {
    this.#defs.set(name, { def, handler, tail: Promise.resolve(), waiting: new Set() });
  }

  every(name: string, cron: string, data: Record<string, unknown> = {}): void {
    cronParser.parseExpression(cron, { tz: TZ });
    this.#every.push({ name, cron, data });
  }

  async start(): Promise<void> {
    this.#started = true;
    for (const e of this.#every) this.#arm(e);
    for (const p of this.#pending.splice(0)) this.#enqueue(p.name, p.data, p.key, p.id);
  }

  #arm(e: { name: string; cron: string; data: Record<string, unknown> }): void {
    if (this.#stopped) return;
    const next = cronParser.parseExpression(e.cron, { tz: TZ, currentDate: new Date() }).next().getTime();
    // Timers hold at most ~24.8 days; a later occurrence is reached in steps.
    const t = setTimeout(() => {
      this.#timers.delete(t);
      if (Date.now() >= next - 1000) void this.send(e.name, e.data, { key: `every:${e.name}` });
      this.#arm(e);
    }, Math.min(Math.max(next - Date.now(), 1000), 2 ** 31 - 1));
    t.unref();
    this.#timers.add(t);
  }

  async send(name: string, data: Record<string, unknown>, opts: { key?: string; id?: string } = {}): Promise<string | null> {
    const q = this.#defs.get(name);
    if (!q) throw new Error(`no queue ${name}`);
    const key = opts.key ?? '';
    if (q.def.once && q.waiting.has(key)) return null;
    const id = opts.id ?? randomUUID();
    if (q.def.once) q.waiting.add(key);
    if (!this.#started) this.#pending.push({ name, data, key, id });
    else this.#enqueue(name, data, key, id);
    return id;
  }

  #enqueue(name: string, data: Record<string, unknown>, key: string | undefined, id: string): void {
    const q = this.#defs.get(name)!;
    const retryLimit = q.def.retryLimit ?? 2;
    q.tail = q.tail.then(async () => {
      q.waiting.delete(key ?? '');
      for (let attempt = 0; attempt <= retryLimit && !this.#abort.signal.aborted; attempt++) {
        try {
          await q.handler(data, { id, retryCount: attempt, retryLimit, signal: this.#abort.signal });
          return;
        } catch (err) {
          if (attempt === retryLimit || this.#abort.signal.aborted) {
            this.log.error({ job: name, id, err: err instanceof Error ? err.message : String(err) }, '后台任务失败');
            return;
          }
          await new Promise((r) => setTimeout(r, (q.def.retryDelaySeconds ?? 10) * 1000 * 2 ** attempt).unref());
        }
      }
    });
  }

  onAbandoned(): void {
    // A restart queues the unfinished jobs again from their records (src/modules/jobs requeueUnfinished).
  }

  async stop(graceMs = 10_000): Promise<void> {
    this.#stopped = true;
    this.#abort.abort();
    for (const t of this.#timers) clearTimeout(t);
    await Promise.race([Promise.all([...this.#defs.values()].map((q) => q.tail)), new Promise((r) => setTimeout(r, graceMs).unref())]);
  }
}

/** pg-boss on PostgreSQL, in-process on SQLite. */
export function createQueue(config: DatabaseConfig, log: QueueLog): JobQueue {
  return config.engine === 'postgres' ? new PgBossQueue(config, log) : new InProcessQueue(log);
}
