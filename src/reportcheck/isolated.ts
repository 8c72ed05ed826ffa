/**
 * Auditing uploaded reports off the request thread. Reading a PDF or a DOCX is CPU-bound and, for a hostile file,
 * memory-bound: the documents are read in a worker — a child process with its own V8 heap limit
 * (--max-old-space-size) — and a time limit per document. When a worker dies (out of memory) or is stopped (out of
 * time), the document it was reading gets an error finding and a new worker goes on with the next one; the
 * server's event loop only passes messages. Explicit ceilings (zip.ts, readers.ts) stop known bombs before any of
 * this; the worker is the backstop for what they do not foresee (a stream pdfjs inflates on its own, a
 * pathological table).
 *
 * Why a process and not a worker_threads Worker with resourceLimits: on Node 20 a Worker that reaches its heap
 * limit while allocating a large string is not stopped but aborts the WHOLE process ("FATAL ERROR: Reached heap
 * limit", measured with a 25 MB HTML upload and a 64–128 MB worker heap): the backstop would take the server
 * down. A child process that runs out of memory dies alone.
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fork, type ChildProcess } from 'node:child_process';
import type { Finding } from '../law/report-model.js';
import { auditBuffer, type AuditedReport, type AuditResult } from './audit.js';
import type { WorkerInput, WorkerMessage } from './audit-worker.js';
import { uploadedDocuments } from './batch.js';

export interface IsolationLimits {
  /** The worker's V8 heap (old generation), in MB. */
  maxHeapMb: number;
  /** Time allowed per document (worker start included), in milliseconds. */
  documentTimeoutMs: number;
}

export const DEFAULT_ISOLATION: IsolationLimits = { maxHeapMb: 512, documentTimeoutMs: 120_000 };

export interface UploadedReportFile {
  name: string;
  data: Buffer;
}

const here = fileURLToPath(import.meta.url);
/** The worker's entry beside this file: .ts when running from the sources (tsx), .js when compiled (bin/gongkai.js). */
const workerUrl = new URL(`./audit-worker${extname(here)}`, import.meta.url);

/** A worker process over the entry; from the sources (tsx) it loads tsx first. */
function startWorker(maxHeapMb: number): ChildProcess {
  const execArgv = [`--max-old-space-size=${maxHeapMb}`, ...(extname(here) === '.ts' ? ['--import', 'tsx'] : [])];
  return fork(fileURLToPath(workerUrl), [], { execArgv, serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
}

async function failed(name: string, finding: Finding): Promise<AuditedReport> {
  const r = await auditBuffer(Buffer.alloc(0), name);
  r.findings = [finding];
  return r;
}

/**
 * Audits uploaded files (reports, or zip archives of reports, as uploadedDocuments expands them) and an optional
 * previous year's report, in workers (see the module comment). Rejects only when the signal is aborted.
 */
export async function auditUploadsIsolated(
  files: UploadedReportFile[],
  previous: UploadedReportFile | null,
  opts: { limits?: IsolationLimits; onProgress?: (done: number, total: number, file: string) => void; signal?: AbortSignal } = {},
): Promise<AuditResult> {
  const limits = opts.limits ?? DEFAULT_ISOLATION;
  const names = uploadedDocuments(files).map((d) => d.name);
  const reports: AuditedReport[] = [];
  let previousReport: AuditedReport | null | undefined = previous ? undefined : null;
  const shared = files.map((f) => ({ name: f.name, data: new Uint8Array(f.data.buffer, f.data.byteOffset, f.data.byteLength) }));
  const prevShared = previous ? { name: previous.name, data: new Uint8Array(previous.data.buffer, previous.data.byteOffset, previous.data.byteLength) } : null;

  while (reports.length < names.length || previousReport === undefined) {
    opts.signal?.throwIfAborted();
    const input: WorkerInput = { files: shared, previous: prevShared, previousReport, from: reports.length };
    const outcome = await new Promise<{ ok: true } | { ok: false; why: 'memory' | 'time' | 'error'; detail: string }>((resolve, reject) => {
      const worker = startWorker(limits.maxHeapMb);
      let stderr = '';
      worker.stderr?.on('data', (c: Buffer) => {
        if (stderr.length < 4000) stderr += c.toString();
      });
      let settled = false;
      let timer: NodeJS.Timeout;
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => finish({ ok: false, why: 'time', detail: '' }), limits.documentTimeoutMs);
      };
      const onAbort = () => finish(null);
      const finish = (r: Parameters<typeof resolve>[0] | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
        if (r === null) reject(opts.signal?.reason ?? new Error('aborted'));
        else resolve(r);
      };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      arm();
      worker.on('message', (m: WorkerMessage) => {
        if (m.t === 'previous') previousReport = m.report;
        else if (m.t === 'start') arm();
        else if (m.t === 'report') {
          reports.push(m.report);
          opts.onProgress?.(reports.length, names.length, names[m.index] ?? m.report.file);
          arm();
        }
      });
      worker.on('error', (e: Error) => finish({ ok: false, why: 'error', detail: e.message }));
      worker.on('close', (code, signal) => {
        if (code === 0) finish({ ok: true });
        else if (/heap out of memory|Reached heap limit/.test(stderr)) finish({ ok: false, why: 'memory', detail: '' });
        else finish({ ok: false, why: 'error', detail: signal ? `读取进程被终止（${signal}）` : `读取进程异常退出（${code}）` });
      });
      worker.send(input);
    });
    if (outcome.ok && reports.length >= names.length && previousReport !== undefined) break;
    // The worker died, was stopped, or ended without finishing: what it was reading is marked, the rest goes on.
    const why = outcome.ok ? { why: 'error' as const, detail: '读取进程意外结束' } : outcome;
    const message =
      why.why === 'memory'
        ? `读取该文件所需内存超过 ${limits.maxHeapMb} MB 的上限，已停止读取（疑似压缩炸弹或畸形文件）`
        : why.why === 'time'
          ? `读取该文件超过 ${Math.round(limits.documentTimeoutMs / 1000)} 秒的时限，已停止读取（疑似压缩炸弹或畸形文件）`
          : `读取该文件时出错，已停止读取：${why.detail}`;
    if (previousReport === undefined) {
      previousReport = null; // last year's report could not be read: the cross-year checks are left out
    } else {
      const name = names[reports.length]!;
      reports.push(await failed(name, { severity: 'error', rule: 'input.limits', message: `${name}：${message}`, where: 'file' }));
      opts.onProgress?.(reports.length, names.length, name);
    }
  }
  return { reports };
}
