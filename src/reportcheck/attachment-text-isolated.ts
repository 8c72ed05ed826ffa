/**
 * Reading an attachment's text off the server's thread, as the report audit reads uploads (isolated.ts: why a
 * child process and not a worker thread): a child process with its own heap limit, and a time limit per file.
 * The process is kept for the next file (starting one costs seconds) and files are read one at a time; a
 * process that runs out of memory or time is ended and the next file gets a new one. A file that is broken,
 * hostile, too slow or too large to read gets no text (null), never an error: the upload stands, the attachment
 * is only not found by its text.
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fork, type ChildProcess } from 'node:child_process';
import { TEXT_EXTENSIONS } from './attachment-text.js';
import type { TextWorkerInput, TextWorkerMessage } from './attachment-text-worker.js';

export interface TextLimits {
  /** The worker's V8 heap (old generation), in MB. */
  maxHeapMb: number;
  /** Time allowed per file (a worker's start included), in milliseconds. */
  timeoutMs: number;
}
export const DEFAULT_TEXT_LIMITS: TextLimits = { maxHeapMb: 256, timeoutMs: 60_000 };

const here = fileURLToPath(import.meta.url);
const workerUrl = new URL(`./attachment-text-worker${extname(here)}`, import.meta.url);

/** Whether a file of this extension has text to read (PDF, DOCX, XLSX, TXT, CSV). */
export const hasReadableText = (ext: string) => (TEXT_EXTENSIONS as readonly string[]).includes(ext.toLowerCase());

let worker: { process: ChildProcess; heapMb: number } | null = null;
let turn: Promise<unknown> = Promise.resolve();
let nextId = 1;

function workerFor(maxHeapMb: number): ChildProcess {
  if (worker && worker.heapMb === maxHeapMb && worker.process.exitCode === null && worker.process.signalCode === null) return worker.process;
  stop();
  const execArgv = [`--max-old-space-size=${maxHeapMb}`, ...(extname(here) === '.ts' ? ['--import', 'tsx'] : [])];
  const p = fork(fileURLToPath(workerUrl), [], { execArgv, serialization: 'advanced', stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
  p.on('exit', () => {
    if (worker?.process === p) worker = null;
  });
  p.on('error', () => {
    if (worker?.process === p) worker = null;
  });
  worker = { process: p, heapMb: maxHeapMb };
  return p;
}

function stop(): void {
  const p = worker?.process;
  worker = null;
  if (p && p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
}

/** Ends the kept worker process (tests; a server's shutdown need not: an idle worker holds nothing open). */
export const stopTextWorker = stop;

function readOne(data: Buffer, ext: string, limits: TextLimits): Promise<string | null> {
  const p = workerFor(limits.maxHeapMb);
  const id = nextId++;
  // While a file is read the worker keeps this process alive; idle, it does not (a command may end).
  p.ref();
  p.channel?.ref();
  return new Promise<string | null>((resolve) => {
    let settled = false;
    const finish = (text: string | null, kill = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      p.off('message', onMessage);
      p.off('exit', onExit);
      if (kill && worker?.process === p) stop();
      if (p.exitCode === null && p.signalCode === null) {
        p.unref();
        p.channel?.unref();
      }
      resolve(text);
    };
    const onMessage = (m: TextWorkerMessage) => {
      if (m.id === id) finish(m.ok ? m.text : null);
    };
    const onExit = () => finish(null);
    const timer = setTimeout(() => finish(null, true), limits.timeoutMs);
    p.on('message', onMessage);
    p.on('exit', onExit);
    const input: TextWorkerInput = { id, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), ext };
    try {
      p.send(input, (e) => e && finish(null, true));
    } catch {
      finish(null, true);
    }
  });
}

/** The file's text ('' when it has none), or null when it could not be read within the limits. */
export async function readAttachmentText(data: Buffer, ext: string, limits: TextLimits = DEFAULT_TEXT_LIMITS): Promise<string | null> {
  if (!hasReadableText(ext)) return null;
  const mine = turn.then(() => readOne(data, ext, limits));
  turn = mine.catch(() => null);
  return mine;
}
