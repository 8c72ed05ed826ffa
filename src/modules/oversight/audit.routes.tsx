/**
 * /office/oversight/audit: 报告审核 — upload published reports (several files, or a zip archive; optionally last
 * year's report), audited as a background job of the site (see audit.service.ts); the job page shows
 * progress, then the results, with the summary CSV, the findings CSV and the Audit JSON to download.
 * Supervisors and admins only; a job only for the account that started it, or an admin.
 */
import multipart from '@fastify/multipart';
import type { AppError } from '../../errors.js';
import { Form, formRoute, formSchema } from '../../http/forms.js';
import { pageEnv } from '../../http/page-env.js';
import { requireActor, type App, type FastifyReply, type FastifyRequest } from '../../http/types.js';
import { findingsCsv, summaryCsv } from '../../reportcheck/batch.js';
import { AUDIT_BASE, AuditJobPage, AuditUploadPage } from './audit.pages.js';
import { MAX_AUDIT_FILES, UPLOAD_TOTAL_FACTOR, type UploadProblem, assertCanAudit, getAuditJob, listAuditJobs, prepareUpload, startAudit, type UploadedFile } from './audit.service.js';

interface MultipartFile {
  fileName?: string;
  data?: Buffer;
  truncated?: boolean;
  overTotal?: boolean;
}

/** Bytes received so far per upload request. */
const uploadBytes = new WeakMap<FastifyRequest, number>();

/** The files of a multipart field (one or several); a file input left empty sends a part without a name. */
function filesOf(body: unknown, field: string): UploadedFile[] {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[field] : undefined;
  const list = (Array.isArray(v) ? v : v === undefined ? [] : [v]) as unknown[];
  return list
    .filter((x): x is MultipartFile => !!x && typeof x === 'object' && Buffer.isBuffer((x as MultipartFile).data))
    .filter((f) => (f.fileName ?? '') !== '' || (f.data?.length ?? 0) > 0)
    .map((f) => ({ name: (f.fileName || '未命名文件').replace(/[\\/]/g, '_'), data: f.data!, truncated: !!f.truncated, overTotal: !!f.overTotal }));
}

const maxTotalBytes = (app: App) => app.config.maxUploadBytes * UPLOAD_TOTAL_FACTOR;

function download(reply: FastifyReply, name: string, type: string, body: string) {
  reply.header('cache-control', 'no-store');
  reply.header('content-disposition', `attachment; filename="${name.replace(/[^\x20-\x7e]|"/g, '_')}"`);
  return reply.type(type).send(body);
}

export default async function auditRoutes(app: App) {
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    throwFileSizeLimit: false,
    limits: { fileSize: app.config.maxUploadBytes, files: MAX_AUDIT_FILES + 1, fields: 5, fieldSize: 10_000, parts: MAX_AUDIT_FILES + 6 },
    async onFile(part) {
      // Files are kept in memory for the job: beyond the total budget of one upload, the rest is read and dropped.
      const req = this as unknown as FastifyRequest;
      const chunks: Buffer[] = [];
      let size = 0;
      let overTotal = false;
      for await (const c of part.file) {
        const used = (uploadBytes.get(req) ?? 0) + (c as Buffer).length;
        uploadBytes.set(req, used);
        if (used > maxTotalBytes(app)) overTotal = true;
        if (!overTotal) chunks.push(c as Buffer), (size += (c as Buffer).length);
      }
      (part as unknown as { value: unknown }).value = { fileName: part.filename, data: overTotal ? Buffer.alloc(0) : Buffer.concat(chunks, size), truncated: part.file.truncated, overTotal };
    },
  });

  const jobOf = (req: FastifyRequest) => getAuditJob(app.ctx, requireActor(req), (req.params as { job: string }).job);

  app.get(AUDIT_BASE, { schema: { hide: true } }, async (req, reply) => {
    const actor = requireActor(req);
    assertCanAudit(actor);
    return reply.page(<AuditUploadPage env={pageEnv(req)} maxBytes={app.config.maxUploadBytes} jobs={await listAuditJobs(app.ctx, actor)} now={app.ctx.now()} />);
  });

  /** The upload form: the reports (several files or a zip archive) and, optionally, last year's report. */
  const UploadForm = formSchema({
    files: Form.optional(Form.list('要审核的年度报告', Form.file('年度报告'), { maxItems: MAX_AUDIT_FILES + 1 })),
    previous: Form.optional(Form.file('上一年度报告')),
  });
  const uploadAgain = async (req: FastifyRequest, reply: FastifyReply, e: AppError) => {
    const actor = requireActor(req);
    assertCanAudit(actor);
    const problems: UploadProblem[] = (e.fields ?? [{ field: 'files', message: e.message }]).map((f) => ({ field: f.field === 'previous' ? 'previous' : 'files', message: f.message }));
    return reply.page(<AuditUploadPage env={pageEnv(req)} maxBytes={app.config.maxUploadBytes} problems={problems} jobs={await listAuditJobs(app.ctx, actor)} now={app.ctx.now()} />, { status: 400 });
  };
  app.post(AUDIT_BASE, formRoute(UploadForm, { invalid: uploadAgain }), async (req, reply) => {
    const actor = requireActor(req);
    assertCanAudit(actor);
    const prevFiles = filesOf(req.body, 'previous');
    const prepared = prepareUpload(
      { files: filesOf(req.body, 'files'), previous: prevFiles[0] ?? null },
      { maxBytes: app.config.maxUploadBytes, maxTotalBytes: maxTotalBytes(app) },
    );
    if ('problems' in prepared) {
      return reply.page(<AuditUploadPage env={pageEnv(req)} maxBytes={app.config.maxUploadBytes} problems={prepared.problems} jobs={await listAuditJobs(app.ctx, actor)} now={app.ctx.now()} />, {
        status: 400,
      });
    }
    const files = filesOf(req.body, 'files');
    const id = await startAudit(app.ctx, app.jobs, actor, { files, previous: prepared.previous, documents: prepared.docs.length });
    return reply.redirect(`${AUDIT_BASE}/${id}`, 303);
  });

  app.get(`${AUDIT_BASE}/:job`, { schema: { hide: true } }, async (req, reply) => {
    const job = await jobOf(req);
    if (job.state === 'queued' || job.state === 'running') reply.header('refresh', '2');
    return reply.page(<AuditJobPage env={pageEnv(req)} job={job} now={app.ctx.now()} />);
  });

  const finished = async (req: FastifyRequest) => {
    const job = await jobOf(req);
    if (!job.result) return null;
    return job.result;
  };

  app.get(`${AUDIT_BASE}/:job/summary.csv`, { schema: { hide: true } }, async (req, reply) => {
    const result = await finished(req);
    if (!result) return reply.redirect(`${AUDIT_BASE}/${(req.params as { job: string }).job}`, 303);
    return download(reply, 'report-audit-summary.csv', 'text/csv; charset=utf-8', summaryCsv(result));
  });

  app.get(`${AUDIT_BASE}/:job/findings.csv`, { schema: { hide: true } }, async (req, reply) => {
    const result = await finished(req);
    if (!result) return reply.redirect(`${AUDIT_BASE}/${(req.params as { job: string }).job}`, 303);
    return download(reply, 'report-audit-findings.csv', 'text/csv; charset=utf-8', findingsCsv(result));
  });

  app.get(`${AUDIT_BASE}/:job/audit.json`, { schema: { hide: true } }, async (req, reply) => {
    const result = await finished(req);
    if (!result) return reply.redirect(`${AUDIT_BASE}/${(req.params as { job: string }).job}`, 303);
    return download(reply, 'report-audit.json', 'application/json; charset=utf-8', `${JSON.stringify(result, null, 2)}\n`);
  });
}
