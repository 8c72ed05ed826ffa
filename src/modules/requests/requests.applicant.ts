/**
 * The applicant's side of a request, beyond the form: finding one's request by 登记编号 plus the phone number
 * or the last four characters of the ID number (as well as the private link), and the files the reply
 * releases — uploaded by the handler, checked like an item's attachments, downloadable only by the applicant.
 *
 * A lookup that fails says nothing about why: a wrong phone, a guessed number and a nonexistent one give
 * the same error (the route adds the rate limit).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import { notFound } from '../../errors.js';
import { assertRole } from '../accounts/access.js';
import { appendAudit } from '../audit-log/audit-log.service.js';
import { loadCalendar } from '../calendar/calendar.service.js';
import { todayCst, type Actor, type Ctx } from '../context.js';
import { checkUpload, storeUpload, type Upload } from '../disclosure/attachments.service.js';
import type { LetterInput, LetterKind } from '../../render/letters.js';
import { agencyRef, loadForStaff } from './requests.access.js';
import { letterInputOf } from './requests.letters.js';
import * as repo from './requests.repository.js';
import type { Applicant, RequestRow } from './requests.repository.js';
import * as files from './reply-files.repository.js';
import type { ReplyFile } from './reply-files.repository.js';
import { buildView, getRequestByTracking, type RequestView } from './requests.views.js';

export type { ReplyFile };

/** How the applicant reaches the request: the key of the private link, or a grant from a verified lookup. */
export type ApplicantAccess = { key: string } | { grant: string };

const NOT_FOUND = '该申请（登记编号与手机号码或证件号码后4位不匹配，或该申请不存在）';

const digits = (s: string) => s.replace(/[\s\-－—()（）+]/g, '').toUpperCase();

/**
 * Does the proof name this applicant? The whole phone number (with or without +86, spaces or dashes), or
 * the last four characters of the ID number (an X is an X).
 */
export function proofMatches(a: Applicant, proof: string): boolean {
  const p = digits(proof);
  if (p.length < 4) return false;
  if (p.length === 4 && a.idNumber && digits(a.idNumber).endsWith(p)) return true;
  if (a.phone && p.length >= 7) {
    const phone = digits(a.phone).replace(/^0?86(?=1\d{10}$)/, '');
    const given = p.replace(/^0?86(?=1\d{10}$)/, '');
    return phone.length >= 7 && phone === given;
  }
  return false;
}

/** A grant: the tracking number, an expiry and their HMAC under the installation's secret. */
export function issueGrant(secret: string, trackingNo: string, now: Date, ttlMs = 2 * 3600_000): string {
  const exp = now.getTime() + ttlMs;
  const mac = createHmac('sha256', secret).update(`grant:${trackingNo}:${exp}`).digest('base64url');
  return `${exp}.${mac}`;
}

export function grantValid(secret: string, trackingNo: string, grant: string, now: Date): boolean {
  const [expS, mac] = grant.split('.');
  const exp = Number(expS);
  if (!mac || !Number.isFinite(exp) || exp < now.getTime()) return false;
  const want = Buffer.from(createHmac('sha256', secret).update(`grant:${trackingNo}:${exp}`).digest('base64url'));
  const got = Buffer.from(mac);
  return want.length === got.length && timingSafeEqual(want, got);
}

/**
 * The lookup by 登记编号 + phone / ID last four. Returns the normalised tracking number; a mismatch and a
 * missing request throw the same not-found error.
 */
export async function verifyApplicant(ctx: Ctx, trackingNo: string, proof: string): Promise<string> {
  const no = trackingNo.trim().toUpperCase();
  const r = no && proof ? await repo.findByTrackingNo(ctx.db, no) : undefined;
  if (!r || !proofMatches(r.applicant, proof)) throw notFound(NOT_FOUND);
  return r.trackingNo;
}

/** The request as its applicant sees it, through either access. */
export async function viewForApplicant(ctx: Ctx, secret: string, trackingNo: string, access: ApplicantAccess): Promise<RequestView> {
  if ('key' in access) return getRequestByTracking(ctx, trackingNo, access.key);
  const no = trackingNo.trim().toUpperCase();
  if (!grantValid(secret, no, access.grant, ctx.now())) throw notFound(NOT_FOUND);
  const r = await repo.findByTrackingNo(ctx.db, no);
  if (!r) throw notFound(NOT_FOUND);
  return buildView(ctx.db, await loadCalendar(ctx), r, todayCst(ctx.now()), false, false);
}

export async function letterForApplicantAccess(ctx: Ctx, secret: string, trackingNo: string, access: ApplicantAccess, kind: LetterKind): Promise<LetterInput> {
  if (kind === 'consultation') throw notFound('该文书');
  return letterInputOf(ctx, await viewForApplicant(ctx, secret, trackingNo, access), kind);
}

// ---- Files released with the reply ----

export function replyFilePath(dataDir: string, f: ReplyFile): string {
  return join(dataDir, 'request-files', f.storedName.replace(/[^0-9a-z.]/g, ''));
}

export async function listReplyFiles(ctx: Ctx, r: RequestRow): Promise<ReplyFile[]> {
  return files.listFiles(ctx.db, r.id);
}

/** The handler uploads a file the reply releases; checked like an item's attachment; audited. */
export async function addReplyFile(ctx: Ctx, actor: Actor, requestId: number, up: Upload, limits: { maxBytes: number; dataDir: string }): Promise<ReplyFile> {
  const r = await loadForStaff(ctx, actor, requestId);
  assertRole(actor, agencyRef(r), ['handler'], '上传答复附件');
  const { fileName, ext, mediaType } = checkUpload(up, limits.maxBytes);
  return storeUpload(limits.dataDir, 'request-files', up, ext, (f) =>
    ctx.db.transaction().execute(async (tx) => {
      const at = ctx.now();
      const id = await files.insertFile(tx, { request_id: r.id, file_name: fileName, stored_name: f.storedName, media_type: mediaType, size: f.size, sha256: f.sha256, created_by: actor.userId, created_at: at.toISOString() });
      await appendAudit(tx, { actor, agencyId: r.agencyId, action: 'request.file_added', entity: 'request', entityId: r.id, data: { fileId: id, fileName, size: f.size, sha256: f.sha256 }, at });
      return (await files.findFile(tx, r.id, id))!;
    }),
  );
}

/** The files of a request for its applicant: shown once the reply is made. */
export async function replyFilesForApplicant(ctx: Ctx, view: RequestView): Promise<ReplyFile[]> {
  return view.request.repliedOn ? files.listFiles(ctx.db, view.request.id) : [];
}

export async function replyFileForApplicant(ctx: Ctx, secret: string, trackingNo: string, access: ApplicantAccess, fileId: number): Promise<ReplyFile> {
  const view = await viewForApplicant(ctx, secret, trackingNo, access);
  const f = Number.isSafeInteger(fileId) && fileId > 0 && view.request.repliedOn ? await files.findFile(ctx.db, view.request.id, fileId) : undefined;
  if (!f) throw notFound('该文件');
  return f;
}

export async function replyFileForStaff(ctx: Ctx, actor: Actor, requestId: number, fileId: number): Promise<ReplyFile> {
  const r = await loadForStaff(ctx, actor, requestId);
  const f = Number.isSafeInteger(fileId) && fileId > 0 ? await files.findFile(ctx.db, r.id, fileId) : undefined;
  if (!f) throw notFound('该文件');
  return f;
}
