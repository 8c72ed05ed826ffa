/**
 * 报告审核 (batch audit of published annual reports) for the oversight workspace: uploaded files (reports, or
 * zip archives of reports, and optionally last year's report) are audited as a background job.
 *
 * A job is a record in the database (src/modules/jobs: state, progress, result) with its uploaded files, run
 * through the site's job queue (src/db/queue.ts): on PostgreSQL by whichever process takes it, once, retried
 * if it fails or its process dies; on SQLite by the one process, in upload order. Any process shows its page.
 * Jobs expire an hour after they were started. Only the account that started a job, or an admin, may see it;
 * the uploads are deleted once the job has run. Each document is audited in a worker with its own memory and
 * time limits (reportcheck/isolated.ts) so that no upload, hostile or not, stalls the server.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../../errors.js';
import type { AuditResult } from '../../reportcheck/audit.js';
import { BatchInputError, DEFAULT_BATCH_LIMITS, isReportArchive, uploadKind, uploadedDocuments, type BatchDocument } from '../../reportcheck/batch.js';
import { auditUploadsIsolated, type IsolationLimits } from '../../reportcheck/isolated.js';
import { isAdmin } from '../accounts/access.js';
import type { JobQueue, JobRun } from '../../db/queue.js';
import type { Actor, Ctx } from '../context.js';
import { findJob, jobFiles, listJobs, recordJob, runTracked, unfinishedJobs, type JobProgress, type JobRecord } from '../jobs/jobs.service.js';
import { canOversee } from './oversight.service.js';

/** How long a job (and its results) is kept, in milliseconds. */
export const AUDIT_JOB_TTL_MS = 60 * 60 * 1000;
/** Jobs waiting or running at once, for the whole site. */
export const MAX_AUDIT_JOBS = 50;
/** Files in one upload. */
export const MAX_AUDIT_FILES = 50;
/** One upload may total this many times the per-file limit (GONGKAI_MAX_UPLOAD_MB): 100 MB by default. */
export const UPLOAD_TOTAL_FACTOR = 5;

export type AuditJobState = 'queued' | 'running' | 'done' | 'failed';
/** Attempts after the first (the queue's definition, src/jobs/site-jobs.ts). */
export const AUDIT_RETRY_LIMIT = 2;

export interface AuditJob {
  id: string;
  ownerId: number;
  ownerName: string;
  createdAt: Date;
  state: AuditJobState;
  /** Documents audited so far, and in all. */
  done: number;
  total: number;
  current: string | null;
  previousFile: string | null;
  result: AuditResult | null;
  error: string | null;
  /** The job's record as the jobs page shows it (state in words, attempts, interruption). */
  record?: JobRecord;
}

export interface UploadedFile {
  name: string;
  data: Buffer;
  /** The upload went over the size limit and was cut. */
  truncated: boolean;
  /** The upload came after the total budget of the request was spent (its data was dropped). */
  overTotal?: boolean;
}

/** A refused upload: the field and the Chinese message to show there. */
export interface UploadProblem {
  field: 'files' | 'previous';
  message: string;
}

export function assertCanAudit(actor: Actor): void {
  if (!canOversee(actor)) throw new AppError('forbidden', '报告审核仅限监督检查（只读）账号和系统管理员');
}

const mb = (bytes: number) => `${Math.floor(bytes / 1048576)} MB`;

function checkFile(f: UploadedFile, field: UploadProblem['field'], maxBytes: number): UploadProblem | null {
  if (f.truncated || f.data.length > maxBytes) return { field, message: `文件“${f.name}”超过 ${mb(maxBytes)} 的上限` };
  if (f.data.length === 0) return { field, message: `文件“${f.name}”是空文件` };
  if (!uploadKind(f.data)) {
    return { field, message: `文件“${f.name}”不是 PDF、DOCX、ZIP 压缩包、HTML 或文本文件（按文件内容判断），无法审核` };
  }
  return null;
}

/**
 * Checks an upload and turns it into the documents of a batch (archives expanded, guarded against zip bombs
 * and path tricks). Returns the problems to show at the fields instead when anything is refused.
 */
export function prepareUpload(
  input: { files: UploadedFile[]; previous: UploadedFile | null },
  opts: { maxBytes: number; maxTotalBytes: number },
): { docs: BatchDocument[]; files: UploadedFile[]; previous: UploadedFile | null } | { problems: UploadProblem[] } {
  const problems: UploadProblem[] = [];
  if (input.files.length === 0) problems.push({ field: 'files', message: '请选择要审核的报告文件（可多选），或一个 zip 压缩包' });
  if (input.files.length > MAX_AUDIT_FILES) problems.push({ field: 'files', message: `一次最多上传 ${MAX_AUDIT_FILES} 个文件；更多的报告请打包成 zip 压缩包上传` });
  const all = [...input.files, ...(input.previous ? [input.previous] : [])];
  if (all.some((f) => f.overTotal)) {
    return { problems: [{ field: 'files', message: `本次上传的文件合计超过 ${mb(opts.maxTotalBytes)}；请分批上传` }] };
  }
  for (const f of input.files) {
    const p = checkFile(f, 'files', opts.maxBytes);
    if (p) problems.push(p);
  }
  if (input.previous) {
    const p = checkFile(input.previous, 'previous', opts.maxBytes);
    if (p) problems.push(p);
    else if (isReportArchive(input.previous.data, input.previous.name)) {
      problems.push({ field: 'previous', message: '上一年度报告应为单个报告文件（PDF、DOCX、HTML 或文本），不能是压缩包' });
    }
  }
  if (problems.length) return { problems };
  let docs: BatchDocument[];
  try {
    docs = uploadedDocuments(input.files, DEFAULT_BATCH_LIMITS);
  } catch (e) {
    if (e instanceof BatchInputError) return { problems: [{ field: 'files', message: e.message }] };
    throw e;
  }
  if (docs.length === 0) return { problems: [{ field: 'files', message: '压缩包中没有可审核的报告（.txt .htm .html .pdf .docx）' }] };
  if (docs.length > DEFAULT_BATCH_LIMITS.maxEntries) {
    return { problems: [{ field: 'files', message: `一次最多审核 ${DEFAULT_BATCH_LIMITS.maxEntries} 份报告，本次共 ${docs.length} 份` }] };
  }
  return { docs, files: input.files, previous: input.previous };
}

/** The kind of the audit jobs' records and the name of their queue. */
export const AUDIT_JOB_KIND = 'report.audit';

type AuditRecord = JobRecord<AuditResult>;

function toAuditJob(r: AuditRecord): AuditJob {
  return {
    id: r.id,
    ownerId: r.ownerId ?? 0,
    ownerName: r.ownerName ?? '',
    createdAt: r.createdAt,
    state: r.state,
    done: r.done,
    total: r.total,
    current: r.current,
    previousFile: typeof r.data.previousFile === 'string' ? r.data.previousFile : null,
    result: r.result,
    error: r.error,
    record: r,
  };
}

/**
 * Records an upload checked by prepareUpload as a job (its files kept with it until it has run) and puts it
 * in the queue; returns the job's id. Any process of the site may run it and show its page.
 */
export async function startAudit(
  ctx: Ctx,
  queue: Pick<JobQueue, 'send'>,
  actor: Actor,
  upload: { files: UploadedFile[]; previous: UploadedFile | null; documents: number },
): Promise<string> {
  assertCanAudit(actor);
  const waiting = await unfinishedJobs(ctx, AUDIT_JOB_KIND);
  if (waiting.length >= MAX_AUDIT_JOBS) throw new AppError('rate_limited', '服务器上的审核任务过多，请稍后再试');
  const id = randomUUID();
  await recordJob(ctx, {
    id,
    kind: AUDIT_JOB_KIND,
    owner: { id: actor.userId, name: actor.displayName },
    total: upload.documents,
    data: { previousFile: upload.previous?.name ?? null },
    files: [...upload.files.map((f) => ({ role: 'file', name: f.name, data: f.data })), ...(upload.previous ? [{ role: 'previous', name: upload.previous.name, data: upload.previous.data }] : [])],
    subject: `${upload.documents} 份报告${upload.previous ? `（对照上一年度：${upload.previous.name}）` : ''}`,
    href: `/office/oversight/audit/${id}`,
    retryLimit: AUDIT_RETRY_LIMIT,
  });
  await queue.send(AUDIT_JOB_KIND, { jobId: id }, { id });
  return id;
}

/**
 * Runs an audit job (called by the queue, in whichever process takes it, under the job's record: see
 * jobs.service runTracked): each document audited is one step of its progress.
 */
export async function auditJobWork(ctx: Ctx, id: string, progress: JobProgress, signal: AbortSignal, limits?: IsolationLimits): Promise<AuditResult> {
  const files = await jobFiles(ctx, id);
  const previousFile = files.find((f) => f.role === 'previous') ?? null;
  return auditUploadsIsolated(
    files.filter((f) => f.role === 'file').map((f) => ({ name: f.name, data: f.data })),
    previousFile && { name: previousFile.name, data: previousFile.data },
    {
      limits,
      signal,
      onProgress: (done, total, file) => {
        progress.total(total);
        progress.update(done, file);
      },
    },
  );
}

/** The queue's handler of the audit jobs. */
export async function runAuditJob(ctx: Ctx, data: Record<string, unknown>, run: JobRun, limits?: IsolationLimits): Promise<void> {
  await runTracked(ctx, AUDIT_JOB_KIND, data, run, (job, progress) => auditJobWork(ctx, job.id, progress, run.signal, limits));
}

/** A job for its owner or an admin; expired jobs are gone. */
export async function getAuditJob(ctx: Ctx, actor: Actor, id: string): Promise<AuditJob> {
  const job = await findJob<AuditResult>(ctx, id);
  if (!job || job.kind !== AUDIT_JOB_KIND || job.createdAt.getTime() < ctx.now().getTime() - AUDIT_JOB_TTL_MS) {
    throw new AppError('not_found', '审核任务不存在或已过期（审核结果保留一小时）');
  }
  if (job.ownerId !== actor.userId && !isAdmin(actor)) throw new AppError('forbidden', '只有发起审核的账号和系统管理员可以查看该审核任务');
  return toAuditJob(job);
}

/** The actor's jobs that have not expired, newest first (an admin sees all). */
export async function listAuditJobs(ctx: Ctx, actor: Actor): Promise<AuditJob[]> {
  const since = new Date(ctx.now().getTime() - AUDIT_JOB_TTL_MS);
  return (await listJobs<AuditResult>(ctx, AUDIT_JOB_KIND, since, isAdmin(actor) ? null : actor.userId)).map(toAuditJob);
}
