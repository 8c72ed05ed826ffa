/**
 * Hearing the changes other processes commit (PostgreSQL LISTEN; the announcements are raised by a trigger
 * on the audit log, see migrations/20261207180000_change_notify.ts). One dedicated connection per process;
 * lost, it is opened again (after a pause that grows to 2 s), and `onChange` is called once the connection
 * is back, since anything committed meanwhile was not heard. Changes made through this process's own
 * connections (`own`: their server process ids) are not reported: the process saw them as it made them. `connected()` tells whether a change committed
 * now would be heard: while it is false, callers fall back to what they did before (the page cache polls
 * the audit chain head).
 */
import pg from 'pg';

export interface ChangeListener {
  connected(): boolean;
  close(): Promise<void>;
}

export interface ChangeHandlers {
  /** A change that may alter public pages was committed (by any process, this one included). */
  onChange: () => void;
  /** A change to accounts, sessions or API tokens was committed. */
  onAccountsChange?: () => void;
  log?: { warn(obj: object, msg: string): void };
}

export async function listenForChanges(url: string, schema: string | undefined, h: ChangeHandlers & { own?: ReadonlySet<number> }): Promise<ChangeListener> {
  const want = schema ?? 'public';
  let client: pg.Client | null = null;
  let live = false;
  let closed = false;
  let attempt = 0;
  let timer: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url });
    c.on('notification', (n) => {
      // Payload `schema:pid` (the announcing server process); a change made through this process's own
      // connections was seen here already.
      const [sch, pid] = (n.payload ?? '').split(':');
      if (sch !== want) return;
      if (pid && h.own?.has(Number(pid))) return;
      if (n.channel === 'gongkai_change') h.onChange();
      else if (n.channel === 'gongkai_accounts') h.onAccountsChange?.();
    });
    const lost = (err?: Error) => {
      if (client !== c) return;
      client = null;
      live = false;
      c.removeAllListeners('notification');
      c.end().catch(() => {});
      if (closed) return;
      h.log?.warn({ err: err?.message }, '数据库变更通知连接中断：页面缓存改为每秒检查一次，正在重新连接');
      schedule();
    };
    c.on('error', lost);
    c.on('end', () => lost());
    client = c;
    try {
      await c.connect();
      await c.query('listen gongkai_change');
      await c.query('listen gongkai_accounts');
      if (closed) {
        await c.end();
        return;
      }
      live = true;
      if (attempt > 0) {
        h.onChange(); // whatever was committed while nobody listened
        h.onAccountsChange?.();
      }
      attempt = 0;
    } catch (err) {
      lost(err as Error);
    }
  };
  const schedule = () => {
    attempt++;
    clearTimeout(timer);
    timer = setTimeout(() => void connect(), Math.min(100 * 2 ** attempt, 2000));
    timer.unref();
  };

  await connect();
  return {
    connected: () => live,
    async close() {
      closed = true;
      clearTimeout(timer);
      const c = client;
      client = null;
      live = false;
      await c?.end().catch(() => {});
    },
  };
}
