/**
 * A PostgreSQL primary and its streaming replica, made by the test itself in temporary folders (so that CI on
 * a clean clone needs nothing set up): initdb of a small primary (replication allowed from 127.0.0.1, fsync
 * off), `pg_basebackup -R` of it into a second folder, both started on free ports as the `postgres` user (as
 * root) or as the current user. The machine's own cluster is not used for this: its pg_hba.conf allows no
 * replication connections, and changing the machine's configuration from a test is not ours to do.
 * Stopped (immediate) and removed afterwards.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './cluster.js';

const BIN = process.env.GONGKAI_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface ReplicaPair {
  primaryUrl: string;
  replicaUrl: string;
  /** A one-off query on the replica. */
  onReplica(sql: string): Promise<Record<string, unknown>[]>;
  stop(): void;
}

/** Why a pair cannot be made here, or null. */
export function replicaUnavailable(): string | null {
  for (const b of ['initdb', 'pg_ctl', 'pg_basebackup', 'postgres']) if (!existsSync(join(BIN, b))) return `${join(BIN, b)} not found (set GONGKAI_PG_BIN)`;
  if (process.getuid?.() === 0 && spawnSync('id', ['-u', 'postgres']).status !== 0) return 'running as root and there is no postgres user to run PostgreSQL as';
  return null;
}

export async function startReplicaPair(): Promise<ReplicaPair> {
  const root = process.getuid?.() === 0;
  const base = mkdtempSync(join(tmpdir(), 'gk-replica-'));
  const uid = root ? Number(execFileSync('id', ['-u', 'postgres']).toString()) : process.getuid!();
  const gid = root ? Number(execFileSync('id', ['-g', 'postgres']).toString()) : process.getgid!();
  chmodSync(base, 0o755);
  if (root) chownSync(base, uid, gid);
  const as = (cmd: string, args: string[]) => {
    const r = root ? spawnSync('runuser', ['-u', 'postgres', '--', join(BIN, cmd), ...args], { encoding: 'utf8' }) : spawnSync(join(BIN, cmd), args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout}`);
    return r.stdout;
  };
  const primary = join(base, 'primary');
  const replica = join(base, 'replica');
  const [p1, p2] = [await freePort(), await freePort()];
  as('initdb', ['-D', primary, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
  appendFileSync(join(primary, 'postgresql.conf'), `\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '${base}'\nfsync = off\nshared_buffers = 16MB\nmax_wal_senders = 4\nwal_level = replica\n`);
  appendFileSync(join(primary, 'pg_hba.conf'), '\nhost replication all 127.0.0.1/32 trust\n');
  as('pg_ctl', ['-D', primary, '-o', `-p ${p1}`, '-l', join(base, 'primary.log'), '-w', 'start']);
  const stop = () => {
    for (const d of [replica, primary]) if (existsSync(join(d, 'postmaster.pid'))) spawnSync(root ? 'runuser' : join(BIN, 'pg_ctl'), root ? ['-u', 'postgres', '--', join(BIN, 'pg_ctl'), '-D', d, '-m', 'immediate', 'stop'] : ['-D', d, '-m', 'immediate', 'stop']);
    rmSync(base, { recursive: true, force: true });
  };
  try {
    as('pg_basebackup', ['-h', '127.0.0.1', '-p', String(p1), '-U', 'postgres', '-D', replica, '-R', '-X', 'stream', '--no-sync']);
    as('pg_ctl', ['-D', replica, '-o', `-p ${p2}`, '-l', join(base, 'replica.log'), '-w', 'start']);
  } catch (e) {
    stop();
    throw e;
  }
  return {
    primaryUrl: `postgres://postgres@127.0.0.1:${p1}/postgres`,
    replicaUrl: `postgres://postgres@127.0.0.1:${p2}/postgres`,
    async onReplica(q) {
      const c = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${p2}/postgres` });
      await c.connect();
      try {
        return (await c.query(q)).rows;
      } finally {
        await c.end();
      }
    },
    stop,
  };
}
