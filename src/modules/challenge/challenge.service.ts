/**
 * A self-hosted challenge for public forms (no third-party service): the page carries a signed challenge;
 * a browser with JavaScript solves a small proof of work (public/assets/challenge.js: SHA-256 with a number
 * of leading zero bits), and a browser without JavaScript answers a simple arithmetic question instead.
 * Each challenge is good for one submission within its lifetime.
 */
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../errors.js';
import type { SharedState } from '../../shared-state/shared-state.js';

export interface Challenge {
  /** The signed token put in the form (hidden field `challenge`). */
  token: string;
  /** Leading zero bits required of sha256(token + ':' + nonce). */
  bits: number;
  /** The question for readers without JavaScript, e.g. "7 加 5 等于几？". */
  question: string;
}

const LIFETIME_MS = 30 * 60_000;
const CN_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

export interface ChallengeOptions {
  secret: string;
  bits?: number;
  now: Date;
}

function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

export function issueChallenge(o: ChallengeOptions): Challenge {
  const bits = o.bits ?? 16;
  const a = randomInt(1, 10);
  const b = randomInt(1, 10);
  const answerHash = createHash('sha256').update(`${o.secret}:${a + b}`).digest('base64url').slice(0, 16);
  const payload = [o.now.getTime(), randomBytes(9).toString('base64url'), bits, answerHash].join('.');
  return { token: `${payload}.${sign(o.secret, payload)}`, bits, question: `${CN_DIGITS[a]}加${CN_DIGITS[b]}等于几？（请填写阿拉伯数字）` };
}

function leadingZeroBits(buf: Buffer): number {
  let n = 0;
  for (const byte of buf) {
    if (byte === 0) {
      n += 8;
      continue;
    }
    n += Math.clz32(byte) - 24;
    break;
  }
  return n;
}

/** Seen tokens (one use each), kept for the lifetime of a challenge, with the submission they were used for. */
const used = new Map<string, { at: number; bindTo?: string }>();

/**
 * `bindTo` (the form's idempotency key): the same token may come again with the same key — a double click
 * or a retry of one submission, which the idempotency key makes harmless — but never for another one.
 */
export function verifyChallenge(o: ChallengeOptions & { token?: string; nonce?: string; answer?: string; bindTo?: string }): void {
  const fail = (why: string) => new AppError('validation', why, { reason: 'challenge', fields: [{ field: 'challenge', message: why }] });
  const parts = (o.token ?? '').split('.');
  if (parts.length !== 5) throw fail('人机验证信息缺失，请刷新页面后重新提交');
  const [ts, , bitsStr, answerHash, sig] = parts as [string, string, string, string, string];
  const payload = parts.slice(0, 4).join('.');
  const expected = Buffer.from(sign(o.secret, payload));
  if (expected.length !== Buffer.from(sig).length || !timingSafeEqual(expected, Buffer.from(sig))) throw fail('人机验证信息无效，请刷新页面后重新提交');
  const age = o.now.getTime() - Number(ts);
  if (!(age >= 0 && age <= LIFETIME_MS)) throw fail('页面停留时间过长，人机验证已过期，请核对内容后重新提交');
  const nowMs = o.now.getTime();
  for (const [k, u] of used) {
    if (nowMs - u.at <= LIFETIME_MS) break; // kept in insertion (time) order
    used.delete(k);
  }
  const prior = used.get(o.token!);
  if (prior && !(o.bindTo && prior.bindTo === o.bindTo)) throw fail('该表单已提交过，请勿重复提交');
  let ok = false;
  if (o.nonce && /^[0-9a-z]{1,32}$/i.test(o.nonce)) {
    ok = leadingZeroBits(createHash('sha256').update(`${o.token}:${o.nonce}`).digest()) >= Number(bitsStr);
  }
  if (!ok && o.answer && /^\s*\d{1,3}\s*$/.test(o.answer)) {
    ok = createHash('sha256').update(`${o.secret}:${Number(o.answer)}`).digest('base64url').slice(0, 16) === answerHash;
  }
  if (!ok) throw fail('人机验证未通过：请填写正确的计算结果');
  if (!prior) used.set(o.token!, { at: nowMs, bindTo: o.bindTo });
}

/**
 * The one-use rule across the site's processes: after verifyChallenge (which checks it in this process),
 * the token is claimed in the shared state (Redis when several processes serve the site). The same token
 * may come again only with the same `bindTo` (a retry of one submission).
 */
export async function spendChallenge(shared: SharedState, token: string, bindTo?: string): Promise<void> {
  const key = 'challenge:' + createHash('sha256').update(token).digest('base64url').slice(0, 24);
  const value = bindTo ? `k:${bindTo}` : `u:${randomBytes(9).toString('base64url')}`;
  const prior = await shared.claim(key, value, LIFETIME_MS);
  if (prior !== null && prior !== value) {
    throw new AppError('validation', '该表单已提交过，请勿重复提交', { reason: 'challenge', fields: [{ field: 'challenge', message: '该表单已提交过，请勿重复提交' }] });
  }
}

/** For tests and tools: solve the proof of work as the browser script does. */
export function solveChallenge(token: string, bits: number): string {
  for (let i = 0; ; i++) {
    const nonce = i.toString(36);
    if (leadingZeroBits(createHash('sha256').update(`${token}:${nonce}`).digest()) >= bits) return nonce;
  }
}
