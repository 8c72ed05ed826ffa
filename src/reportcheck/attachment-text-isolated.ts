/**
 * Reading an attachment's text off the server's thread, as the report audit reads uploads (isolated.ts: why a
 * child process and not a worker thread): a child process with its own heap limit and a time limit. A file that
 * is broken, hostile, too slow or too large to read gets no text (null), never an error: the upload stands, the
 * attachment is only not found by its text.
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fork } from 'node:child_process';
import { TEXT_EXTENSIONS } from './attachment-text.js';
import type { TextWorkerInput, TextWorkerMessage } from './attachment-text-worker.js';

export interface TextLimits {
  /** The worker's V8 heap (old generation), in MB. */
  maxHeapMb: number;
  /** Time allowed (worker start included), in milliseconds. */
  timeoutMs: number;
}
export const DEFAULT_TEXT_LIMITS: TextLimits = { maxHeapMb: 256, timeoutMs: 60_000 };

const here = fileURLToPath(import.meta.url);
const workerUrl = new URL(`./attachment-text-worker${extname(here)}`, import.meta.url);

/** Whether a file of this extension has text to read (PDF, DOCX, XLSX, TXT, CSV). */
export const hasReadableText = (ext: string) => (TEXT_EXTENSIONS as readonly string[]).includes(ext.toLowerCase());

/** The file's text ('' when it has none), or null when it could not be read within the limits. */
export async function readAttachmentText(data: Buffer, ext: string, limits: TextLimits = DEFAULT_TEXT_LIMITS): Promise<string | null> {
  if (!hasReadableText(ext)) return null;
  const execArgv = [`--max-old-space-size=${limits.maxHeapMb}`, ...(extname(here) === '.ts' ? ['--import', 'tsx'] : [])];
  const worker = fork(fileURLToPath(workerUrl), [], { execArgv, serialization: 'advanced', stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
  return new Promise<string | null>((resolve) => {
    let settled = false;
    const finish = (text: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
      resolve(text);
    };
    const timer = setTimeout(() => finish(null), limits.timeoutMs);
    worker.on('message', (m: TextWorkerMessage) => finish(m.ok ? m.text : null));
    worker.on('error', () => finish(null));
    worker.on('close', () => finish(null));
    const input: TextWorkerInput = { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), ext };
    worker.send(input);
  });
}
