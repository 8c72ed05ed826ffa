/**
 * The applicant's pages: the lookup (/track: 登记编号 + phone or ID last four, rate-limited; or the private
 * link's key), the tracking page (/track/:trackingNo, by key or by the grant cookie a verified lookup sets),
 * the letters and the files the reply releases; and the handler's upload of those files in the office.
 */
import { createReadStream, existsSync } from 'node:fs';
import { acceptUploads } from '../../http/uploads.js';
import { asBuffer, Form, formRoute, formSchema } from '../../http/forms.js';
import { h } from 'preact';
import { AppError } from '../../errors.js';
import { pageEnv } from '../../http/page-env.js';
import { publicBaseUrl } from '../../http/site-urls.js';
import { redirectWithNotice, requireActor, type App, type FastifyReply, type FastifyRequest } from '../../http/types.js';
import type { LetterFormat } from '../../render/letter-html.js';
import type { LetterInput, LetterKind } from '../../render/letters.js';
import { LetterPage } from './letters.pages.js';
import { addReplyFile, issueGrant, letterForApplicantAccess, replyFileForApplicant, replyFileForStaff, replyFilePath, replyFilesForApplicant, verifyApplicant, viewForApplicant, type ApplicantAccess, type ReplyFile } from './requests.applicant.js';
import { TrackLookupPage, TrackPage, type Values } from './requests.pages.js';
import { LETTER_KIND_LABELS, LETTER_KINDS, type RequestView } from './requests.service.js';

const GRANT_COOKIE = 'gk_track';
const SAME_ANSWER = '未找到该申请：登记编号与手机号码或证件号码后4位不匹配，或该申请不存在。请核对后重试。';

export function trackingLink(app: App, req: FastifyRequest, trackingNo: string, key: string): string {
  const base = publicBaseUrl(app, req);
  return `${base}/track/${encodeURIComponent(trackingNo)}?key=${encodeURIComponent(key)}`;
}

/** `reply.docx`, `reply.pdf`, or `reply` (the HTML page). */
export function parseLetterFile(file: string): { kind: LetterKind; format: LetterFormat } {
  const m = /^([a-z]+)(?:\.(docx|pdf))?$/.exec(file);
  if (!m || !(LETTER_KINDS as readonly string[]).includes(m[1]!)) throw new AppError('not_found', '文书不存在');
  return { kind: m[1] as LetterKind, format: (m[2] ?? 'html') as LetterFormat };
}

export async function sendLetter(reply: FastifyReply, input: LetterInput, format: Exclude<LetterFormat, 'html'> = 'docx') {
  // The DOCX and PDF libraries (≈ 12 MB resident) are loaded on the first letter, not by every server at start.
  const buf =
    format === 'pdf'
      ? await (await import('../../render/letters-pdf.js')).renderLetterPdf(input)
      : await (await import('../../render/letters-docx.js')).renderLetterDocx(input);
  const name = `${input.trackingNo}-${LETTER_KIND_LABELS[input.kind]}.${format}`;
  reply.header('content-type', format === 'pdf' ? 'application/pdf' : 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  reply.header('content-disposition', `${format === 'pdf' ? 'inline' : 'attachment'}; filename="${input.trackingNo}-${input.kind}.${format}"; filename*=UTF-8''${encodeURIComponent(name)}`);
  reply.header('cache-control', 'no-store');
  return reply.send(buf);
}

function sendFile(reply: FastifyReply, dataDir: string, f: ReplyFile) {
  const path = replyFilePath(dataDir, f);
  if (!existsSync(path)) throw new AppError('not_found', '文件不存在');
  reply.type(f.mediaType);
  reply.header('content-length', f.size);
  reply.header('cache-control', 'private, no-store');
  reply.header('x-robots-tag', 'noindex');
  reply.header('content-disposition', `attachment; filename="${f.fileName.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(f.fileName)}`);
  return reply.send(createReadStream(path));
}

export default async function trackRoutes(app: App) {
  const ctx = app.ctx;
  const secret = app.config.secret;

  await acceptUploads(app, { files: 1, fields: 4, fieldSize: 10_000, parts: 6 });

  /** The applicant's access on this request: the key in the query, else the grant cookie. */
  const accessOf = (req: FastifyRequest): ApplicantAccess => {
    const key = (req.query as Values).key;
    if (typeof key === 'string' && key) return { key };
    return { grant: req.cookies[GRANT_COOKIE] ?? '' };
  };

  const lookupPage = (req: FastifyRequest, values: Values, error?: string) => h(TrackLookupPage, { env: pageEnv(req), values, error });

  app.get('/track', { schema: { hide: true } }, async (req, reply) => reply.page(lookupPage(req, {})));

  // By 登记编号 and phone / ID last four. Every failure gives the same page and status, and the route is limited
  // per client address (a four-digit guess needs thousands of tries).
  app.post('/track', { schema: { hide: true }, config: { rateLimit: { max: 10, timeWindow: '10 minutes' } } }, async (req, reply) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const no = typeof b.trackingNo === 'string' ? b.trackingNo.trim().slice(0, 40) : '';
    const proof = typeof b.proof === 'string' ? b.proof.trim().slice(0, 40) : '';
    if (!no || !proof) return reply.page(lookupPage(req, { trackingNo: no }, '请填写登记编号，以及申请时填写的手机号码或证件号码后4位。'), { status: 400 });
    let trackingNo: string;
    try {
      trackingNo = await verifyApplicant(ctx, no, proof);
    } catch (e) {
      if (e instanceof AppError && e.code === 'not_found') return reply.page(lookupPage(req, {}, SAME_ANSWER), { status: 404 });
      throw e;
    }
    reply.setCookie(GRANT_COOKIE, issueGrant(secret, trackingNo, ctx.now()), { path: `/track/${encodeURIComponent(trackingNo)}`, httpOnly: true, sameSite: 'lax', secure: req.protocol === 'https', maxAge: 7200 });
    return reply.redirect(`/track/${encodeURIComponent(trackingNo)}`, 303);
  });

  app.get('/track/lookup', { schema: { hide: true } }, async (req, reply) => {
    const q = req.query as Values;
    const no = (q.trackingNo ?? '').trim();
    const key = (q.key ?? '').trim();
    if (!no || !key) return reply.page(lookupPage(req, { trackingNo: no, key }, '请填写登记编号和查询码'), { status: 400 });
    return reply.redirect(`/track/${encodeURIComponent(no)}?key=${encodeURIComponent(key)}`, 303);
  });

  app.get('/track/:trackingNo', { schema: { hide: true }, config: { rateLimit: { max: 60, timeWindow: '1 minute' } } }, async (req, reply) => {
    const { trackingNo } = req.params as { trackingNo: string };
    const q = req.query as Values;
    const access = accessOf(req);
    let view: RequestView;
    try {
      view = await viewForApplicant(ctx, secret, trackingNo, access);
    } catch (e) {
      if (e instanceof AppError && e.code === 'not_found') return reply.page(lookupPage(req, {}, '未找到该申请：登记编号或查询码不正确，或查询已过期。'), { status: 404 });
      throw e;
    }
    reply.header('x-robots-tag', 'noindex');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cache-control', 'private, no-store');
    const key = 'key' in access ? access.key : '';
    const files = await replyFilesForApplicant(ctx, view);
    return reply.page(h(TrackPage, { env: pageEnv(req), view, keyParam: key, justFiled: q.filed === '1', link: key ? trackingLink(app, req, view.request.trackingNo, key) : '', files }));
  });

  app.get('/track/:trackingNo/letters/:file', { schema: { hide: true } }, async (req, reply) => {
    const { trackingNo, file } = req.params as { trackingNo: string; file: string };
    const { kind, format } = parseLetterFile(file);
    const access = accessOf(req);
    const input = await letterForApplicantAccess(ctx, secret, trackingNo, access, kind);
    if (format !== 'html') return sendLetter(reply, input, format);
    reply.header('x-robots-tag', 'noindex');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cache-control', 'private, no-store');
    const base = `/track/${encodeURIComponent(trackingNo)}`;
    const query = 'key' in access ? `?key=${encodeURIComponent(access.key)}` : '';
    return reply.page(h(LetterPage, { env: pageEnv(req), input, back: `${base}${query}`, base: `${base}/letters`, query }));
  });

  app.get('/track/:trackingNo/files/:fileId', { schema: { hide: true } }, async (req, reply) => {
    const { trackingNo, fileId } = req.params as { trackingNo: string; fileId: string };
    return sendFile(reply, app.config.dataDir, await replyFileForApplicant(ctx, secret, trackingNo, accessOf(req), Number(fileId)));
  });

  // The office: the handler uploads the files the reply releases; staff download them.
  // The upload is a one-field form on the request page: a misfit is told there, as an upload's refusal is.
  const refused = (req: FastifyRequest, reply: FastifyReply, e: AppError) =>
    redirectWithNotice(reply, `/office/requests/${Number((req.params as { id: string }).id)}#files`, `未上传：${e.message}`);
  app.post('/office/requests/:id/files', formRoute(formSchema({ file: Form.optional(Form.file('答复附件')) }), { invalid: refused }), async (req, reply) => {
    const actor = requireActor(req);
    const id = Number((req.params as { id: string }).id);
    const file = req.body.file;
    try {
      const f = await addReplyFile(ctx, actor, id, { fileName: file?.fileName ?? '', data: file ? asBuffer(file.data) : Buffer.alloc(0), truncated: !!file?.truncated }, { maxBytes: app.config.maxUploadBytes, dataDir: app.config.dataDir });
      return redirectWithNotice(reply, `/office/requests/${id}#files`, `答复附件“${f.fileName}”已上传，申请人可在答复后凭专属查询下载`);
    } catch (e) {
      if (e instanceof AppError && ['validation', 'payload_too_large', 'unsupported_media'].includes(e.code)) {
        return refused(req, reply, e);
      }
      throw e;
    }
  });

  app.get('/office/requests/:id/files/:fileId', { schema: { hide: true } }, async (req, reply) => {
    const actor = requireActor(req);
    const { id, fileId } = req.params as { id: string; fileId: string };
    return sendFile(reply, app.config.dataDir, await replyFileForStaff(ctx, actor, Number(id), Number(fileId)));
  });
}
