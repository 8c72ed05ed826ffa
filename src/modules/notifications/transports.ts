/**
 * How a notification leaves the building: mail through SMTP (nodemailer) and one webhook for SMS, 政务微信 and
 * 钉钉 (a gateway the installation runs; it receives JSON and forwards). Each attempt is bounded by the timeout:
 * a mail server that hangs costs that long at most, and the attempt is retried later.
 */
import nodemailer from 'nodemailer';
import type { Ctx } from '../context.js';

export interface TransportConfig {
  smtpUrl: string | null;
  mailFrom: string;
  webhookUrl: string | null;
  timeoutMs: number;
  /** The public address of the site, for links in messages. */
  baseUrl: string;
}

export interface Message {
  to: string;
  subject: string;
  text: string;
}

export interface Transports {
  config: TransportConfig;
  mail: ((m: Message) => Promise<void>) | null;
  webhook: ((m: Message & { kind: string }) => Promise<void>) | null;
}

const registry = new WeakMap<object, Transports>();

function smtpOptions(url: string, timeoutMs: number) {
  const u = new URL(url);
  const secure = u.protocol === 'smtps:';
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined,
    // ?tls=off: a server on a closed network without STARTTLS; otherwise STARTTLS is used when offered.
    ignoreTLS: u.searchParams.get('tls') === 'off',
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  };
}

/** Bounds a promise by `ms` (the attempt counts as failed; what it was doing is dropped). */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}超时（${Math.round(ms / 1000)} 秒）`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export function createTransports(config: TransportConfig): Transports {
  const mail = config.smtpUrl
    ? async (m: Message) => {
        const transporter = nodemailer.createTransport(smtpOptions(config.smtpUrl!, config.timeoutMs));
        try {
          await within(transporter.sendMail({ from: config.mailFrom, to: m.to, subject: m.subject, text: m.text }), config.timeoutMs * 2, '邮件发送');
        } finally {
          transporter.close();
        }
      }
    : null;
  const webhook = config.webhookUrl
    ? async (m: Message & { kind: string }) => {
        const res = await fetch(config.webhookUrl!, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify({ to: m.to, kind: m.kind, title: m.subject, text: m.text }),
          signal: AbortSignal.timeout(config.timeoutMs),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (!res.ok) throw new Error(`短信/政务微信/钉钉网关返回 ${res.status}`);
      }
    : null;
  return { config, mail, webhook };
}

/** The transports of this store's application (set when its routes are registered; none: office list only). */
export function setTransports(ctx: Ctx, t: Transports): void {
  registry.set(ctx.db, t);
}

export function transportsOf(ctx: Ctx): Transports | null {
  return registry.get(ctx.db) ?? null;
}
