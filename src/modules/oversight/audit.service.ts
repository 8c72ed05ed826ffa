/**
 * 报告审核 (batch audit of published annual reports) for the oversight workspace: uploaded files (reports, or
 * zip archives of reports, and optionally last year's report) are audited as a background job.
 *
 * The job registry is IN MEMORY AND PER PROCESS: a job lives in the process that received the upload, is lost
 * when that process restarts, and is not visible to other processes behind a load balancer (the job page must
 * be served by the same process: sticky sessions, or a single process). Jobs run one at a time in upload order
 * (audits are CPU-bound: reading PDFs), each in a worker thread with its own memory and time limits
 * (reportcheck/isolated.ts) so that no upload, hostile or not, stalls the server, and expire an hour after they
 * were started. Only the account that
 * started a job, or an admin, may see it. Nothing is stored in the database; uploads are not kept after the job.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../../errors.js';
import type { AuditResult } from '../../reportcheck/audit.js';
import { BatchInputError, DEFAULT_BATCH_LIMITS, isReportArchive, uploadKind, uploadedDocuments, type BatchDocument } from '../../reportcheck/batch.js';
import { auditUploadsIsolated, type IsolationLimits } from '../../reportcheck/isolated.js';
import { isAdmin } from '../accounts/access.js';
import type { Actor } from '../context.js';
import { canOversee } from './oversight.service.js';

/** How long a job (and its results) is kept, in milliseconds. */
export const AUDIT_JOB_TTL_MS = 60 * 60 * 1000;
/** Jobs held at once by one process (running, queued and finished-but-not-expired). */
export const MAX_AUDIT_JOBS = 50;
/** Files in one upload. */
export const MAX_AUDIT_FILES = 50;
/** One upload may total this many times the per-file limit (GONGKAI_MAX_UPLOAD_MB): 100 MB by default. */
export const UPLOAD_TOTAL_FACTOR = 5;

export type AuditJobState = 'queued' | 'running' | 'done' | 'failed';

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

/** The in-memory registry of audit jobs of one app (see the module comment: per process). */
export class AuditJobs {
  readonly #jobs = new Map<string, AuditJob>();
  #queue: Promise<void> = Promise.resolve();
  readonly #abort = new AbortController();

  constructor(
    private readonly now: () => Date,
    private readonly limits?: IsolationLimits,
  ) {}

  #sweep(): void {
    const limit = this.now().getTime() - AUDIT_JOB_TTL_MS;
    for (const [id, j] of this.#jobs) if (j.createdAt.getTime() < limit && (j.state === 'done' || j.state === 'failed')) this.#jobs.delete(id);
  }

  /**
   * Starts a job over the uploaded files (prepared by prepareUpload: `docs` are their documents), queued behind
   * the jobs already running; returns at once.
   */
  start(actor: Actor, upload: { docs: BatchDocument[]; files: UploadedFile[]; previous: UploadedFile | null }): AuditJob {
    const { docs, files, previous } = upload;
    assertCanAudit(actor);
    this.#sweep();
    if (this.#jobs.size >= MAX_AUDIT_JOBS) throw new AppError('rate_limited', '服务器上的审核任务过多，请稍后再试');
    const job: AuditJob = {
      id: randomUUID(),
      ownerId: actor.userId,
      ownerName: actor.displayName,
      createdAt: this.now(),
      state: 'queued',
      done: 0,
      total: docs.length,
      current: null,
      previousFile: previous?.name ?? null,
      result: null,
      error: null,
    };
    this.#jobs.set(job.id, job);
    const signal = this.#abort.signal;
    this.#queue = this.#queue.then(async () => {
      if (signal.aborted) return;
      job.state = 'running';
      try {
        job.result = await auditUploadsIsolated(files, previous, {
          limits: this.limits,
          signal,
          onProgress: (done, _total, file) => {
            job.done = done;
            job.current = file;
          },
        });
        job.state = 'done';
      } catch (e) {
        job.state = 'failed';
        job.error = signal.aborted ? '服务已停止，审核未完成' : `审核未能完成：${e instanceof Error ? e.message : String(e)}`;
      }
      job.current = null;
    });
    return job;
  }

  /** A job for its owner or an admin; expired jobs are gone. */
  get(actor: Actor, id: string): AuditJob {
    this.#sweep();
    const job = this.#jobs.get(id);
    if (!job || job.createdAt.getTime() < this.now().getTime() - AUDIT_JOB_TTL_MS) {
      throw new AppError('not_found', '审核任务不存在或已过期（审核结果保留一小时）');
    }
    if (job.ownerId !== actor.userId && !isAdmin(actor)) throw new AppError('forbidden', '只有发起审核的账号和系统管理员可以查看该审核任务');
    return job;
  }

  /** The actor's jobs that have not expired, newest first (an admin sees all). */
  list(actor: Actor): AuditJob[] {
    this.#sweep();
    const limit = this.now().getTime() - AUDIT_JOB_TTL_MS;
    return [...this.#jobs.values()]
      .filter((j) => j.createdAt.getTime() >= limit && (j.ownerId === actor.userId || isAdmin(actor)))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  }

  /** Stops queued and running jobs (the app is closing). */
  close(): void {
    this.#abort.abort();
  }

  /** Resolves when every job started so far has finished. */
  idle(): Promise<void> {
    return this.#queue;
  }
}
