/**
 * The only reader of process.env. Read and validated once at start; a bad value stops the start with a
 * Chinese message naming the variable.
 */
import { isIP } from 'node:net';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export type DatabaseConfig =
  | { engine: 'sqlite'; file: string }
  | { engine: 'postgres'; url: string; schema?: string; poolSize: number };

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  database: DatabaseConfig;
  /** Secret for signing cookies and CSRF tokens; from GONGKAI_SECRET or a file created in dataDir. */
  secret: string;
  /** Public base URL used in feeds, sitemap and letters (GONGKAI_BASE_URL), e.g. https://xxgk.example.gov.cn */
  baseUrl: string;
  /** Whether GONGKAI_BASE_URL was given; without it, links in answers are built from the request's host. */
  baseUrlSet: boolean;
  /**
   * Which X-Forwarded-* to believe (GONGKAI_TRUST_PROXY), as Fastify's trustProxy: false (none), a number of
   * proxy hops in front of the server, or the proxies' addresses (IPs, CIDR ranges, or proxy-addr's names
   * loopback, linklocal, uniquelocal). Never "trust all": the left-most X-Forwarded-For is the client's to write.
   */
  trustProxy: false | number | string[];
  /** Site identity printed in the portal footer. */
  site: { name: string; organiser: string; icp: string; siteCode: string };
  logLevel: string;
  maxUploadBytes: number;
  /**
   * Redis (REDIS_URL, redis://host:port/db): rate limits and one-time tokens shared by every process of the
   * site. Unset: each process keeps its own (right for one process).
   */
  redisUrl?: string;
  /**
   * A streaming replica of the PostgreSQL database (GONGKAI_READ_URL): anonymous portal reads go there;
   * everything else (staff, the API, every write) goes to DATABASE_URL.
   */
  readUrl?: string;
  /** The most a page read from the replica may lag (GONGKAI_READ_MAX_LAG, seconds, default 5), in ms. */
  readMaxLagMs: number;
  /** Reminders and notices (src/modules/notifications): mail through SMTP, SMS / 政务微信 / 钉钉 through one webhook. */
  notify: {
    /** GONGKAI_SMTP_URL, e.g. smtp://user:pass@mail.example.gov.cn:587 or smtps://…:465; none: no mail. */
    smtpUrl: string | null;
    /** GONGKAI_MAIL_FROM: the sender address. */
    mailFrom: string;
    /** GONGKAI_NOTIFY_WEBHOOK_URL: a gateway that forwards to SMS, 政务微信 or 钉钉 (JSON POST); none: no such messages. */
    webhookUrl: string | null;
    /** GONGKAI_NOTIFY_TIMEOUT_S: the longest a mail server or gateway may take before the attempt is given up and retried later. */
    timeoutMs: number;
  };
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`配置错误：${variable} ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function intVar(env: Env, name: string, def: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `必须是整数，实际为“${raw}”`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `必须在 ${min} 到 ${max} 之间，实际为 ${n}`);
  return n;
}

function urlVar(env: Env, name: string, protocols: string[]): string | null {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return null;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError(name, `不是有效的地址：“${raw.replace(/\/\/[^@/]*@/, '//***@')}”`);
  }
  if (!protocols.includes(u.protocol)) throw new ConfigError(name, `应以 ${protocols.map((p) => `${p}//`).join(' 或 ')} 开头`);
  return raw;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

export function parseDatabaseUrl(url: string, variable = 'DATABASE_URL'): DatabaseConfig {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ConfigError(variable, `不是有效的数据库地址（应为 postgres://用户@主机:端口/数据库）：“${url}”`);
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new ConfigError(variable, `只支持 postgres:// 地址，实际为“${u.protocol}”`);
  }
  if (!u.hostname || u.pathname.length <= 1) {
    throw new ConfigError(variable, `缺少主机或数据库名（应为 postgres://用户@主机:端口/数据库）：“${url}”`);
  }
  const schema = u.searchParams.get('schema') ?? undefined;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) {
    throw new ConfigError(variable, `schema 参数只能含小写字母、数字和下划线：“${schema}”`);
  }
  u.searchParams.delete('schema');
  return { engine: 'postgres', url: u.toString(), schema, poolSize: 10 };
}

export function databaseFromEnv(env: Env, cwd = process.cwd()): DatabaseConfig {
  if (env.DATABASE_URL) {
    const db = parseDatabaseUrl(env.DATABASE_URL);
    if (db.engine === 'postgres') db.poolSize = intVar(env, 'GONGKAI_PG_POOL', 10, 1, 500);
    return db;
  }
  const file = env.GONGKAI_DB ? resolve(cwd, env.GONGKAI_DB) : resolve(cwd, 'data', 'gongkai.db');
  if (env.GONGKAI_DB !== undefined && env.GONGKAI_DB.trim() === '') {
    throw new ConfigError('GONGKAI_DB', '不能为空');
  }
  return { engine: 'sqlite', file };
}

function secretFrom(env: Env, dataDir: string): string {
  if (env.GONGKAI_SECRET !== undefined) {
    if (env.GONGKAI_SECRET.length < 32) throw new ConfigError('GONGKAI_SECRET', '至少需要 32 个字符');
    return env.GONGKAI_SECRET;
  }
  // No secret given: keep one in the data directory so sessions survive restarts.
  const file = join(dataDir, 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const s = randomBytes(32).toString('hex');
  writeFileSync(file, s, { mode: 0o600 });
  return s;
}

function redisUrlFrom(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError('REDIS_URL', `不是有效的 Redis 地址（应为 redis://主机:端口/库号）：“${raw}”`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new ConfigError('REDIS_URL', `只支持 redis:// 或 rediss:// 地址，实际为“${u.protocol}”`);
  return raw;
}

function readUrlFrom(env: Env): string {
  if (!env.DATABASE_URL) throw new ConfigError('GONGKAI_READ_URL', '只能与 DATABASE_URL（PostgreSQL）一起使用');
  const db = parseDatabaseUrl(env.GONGKAI_READ_URL!, 'GONGKAI_READ_URL');
  if (db.engine !== 'postgres') throw new ConfigError('GONGKAI_READ_URL', '必须是 postgres:// 地址');
  return env.GONGKAI_READ_URL!;
}

/**
 * GONGKAI_TRUST_PROXY: empty, 0 or false → trust no proxy; a whole number N → N hops (1: one reverse proxy;
 * `true` is read as 1); otherwise a comma-separated list of proxy addresses or CIDR ranges.
 */
export function trustProxyFrom(raw: string | undefined): false | number | string[] {
  const v = (raw ?? '').trim();
  if (v === '' || v === '0' || v.toLowerCase() === 'false') return false;
  if (v.toLowerCase() === 'true') return 1;
  if (/^\d+$/.test(v)) {
    const n = Number(v);
    if (n > 20) throw new ConfigError('GONGKAI_TRUST_PROXY', `代理层数过大：“${v}”（应为 1 到 20）`);
    return n;
  }
  const list = v.split(',').map((x) => x.trim()).filter(Boolean);
  for (const a of list) {
    const [addr, bits, extra] = a.split('/');
    const family = isIP(addr ?? '');
    const okBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (!(['loopback', 'linklocal', 'uniquelocal'].includes(a) || (family !== 0 && okBits && extra === undefined))) {
      throw new ConfigError('GONGKAI_TRUST_PROXY', `应为代理层数（如 1）或代理的地址（如 10.0.0.2,10.0.1.0/24）：“${a}”不是有效的地址`);
    }
  }
  return list;
}

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const dataDir = resolve(cwd, env.GONGKAI_DATA_DIR || 'data');
  const baseUrl = (env.GONGKAI_BASE_URL ?? '').replace(/\/+$/, '');
  if (baseUrl && !/^https?:\/\/[^/]+/.test(baseUrl)) {
    throw new ConfigError('GONGKAI_BASE_URL', `必须以 http:// 或 https:// 开头：“${baseUrl}”`);
  }
  const port = intVar(env, 'PORT', 3000, 0, 65535);
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `必须是 fatal、error、warn、info、debug、trace 或 silent 之一：“${logLevel}”`);
  }
  return {
    port,
    host: env.HOST || '0.0.0.0',
    dataDir,
    database: databaseFromEnv(env, cwd),
    secret: secretFrom(env, dataDir),
    baseUrl: baseUrl || `http://localhost:${port}`,
    baseUrlSet: !!baseUrl,
    trustProxy: trustProxyFrom(env.GONGKAI_TRUST_PROXY),
    site: {
      name: env.GONGKAI_SITE_NAME || '政府信息公开平台',
      organiser: env.GONGKAI_SITE_ORGANISER || '',
      icp: env.GONGKAI_SITE_ICP || '',
      siteCode: env.GONGKAI_SITE_CODE || '',
    },
    logLevel,
    maxUploadBytes: intVar(env, 'GONGKAI_MAX_UPLOAD_MB', 20, 1, 1024) * 1024 * 1024,
    ...(env.REDIS_URL ? { redisUrl: redisUrlFrom(env.REDIS_URL) } : {}),
    ...(env.GONGKAI_READ_URL ? { readUrl: readUrlFrom(env) } : {}),
    readMaxLagMs: intVar(env, 'GONGKAI_READ_MAX_LAG', 5, 1, 300) * 1000,
    notify: {
      smtpUrl: urlVar(env, 'GONGKAI_SMTP_URL', ['smtp:', 'smtps:']),
      mailFrom: env.GONGKAI_MAIL_FROM || `政府信息公开平台 <noreply@${hostOf(baseUrl) || 'localhost'}>`,
      webhookUrl: urlVar(env, 'GONGKAI_NOTIFY_WEBHOOK_URL', ['http:', 'https:']),
      timeoutMs: intVar(env, 'GONGKAI_NOTIFY_TIMEOUT_S', 20, 1, 600) * 1000,
    },
  };
}
