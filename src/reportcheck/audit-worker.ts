/**
 * The body of the audit worker (see isolated.ts): a child process with its own heap limit, so that a hostile or
 * pathological upload costs that process and never the server's event loop or memory. It receives the uploaded
 * files (the first IPC message), expands them as the upload page did (uploadedDocuments), audits the documents
 * from `from` on, and sends one message per step. Run only as a forked child's entry.
 */
import { auditBuffer, type AuditedReport } from './audit.js';
import { auditBatch, uploadedDocuments } from './batch.js';

export interface WorkerInput {
  files: { name: string; data: Uint8Array }[];
  previous: { name: string; data: Uint8Array } | null;
  /** The previous year's report, already audited by an earlier worker (or null when it could not be). */
  previousReport: AuditedReport | null | undefined;
  /** The index of the first document to audit (the documents before it were audited by earlier workers). */
  from: number;
}

export type WorkerMessage =
  | { t: 'previous'; report: AuditedReport }
  | { t: 'start'; index: number }
  | { t: 'report'; index: number; report: AuditedReport };

const send = (m: WorkerMessage) => new Promise<void>((resolve, reject) => process.send!(m, undefined, {}, (e) => (e ? reject(e) : resolve())));

async function run(input: WorkerInput): Promise<void> {
  const buf = (d: Uint8Array) => Buffer.from(d.buffer, d.byteOffset, d.byteLength);
  let previous = input.previousReport ?? null;
  if (input.previous && input.previousReport === undefined) {
    previous = await auditBuffer(buf(input.previous.data), input.previous.name);
    await send({ t: 'previous', report: previous });
  }
  const docs = uploadedDocuments(input.files.map((f) => ({ name: f.name, data: buf(f.data) })));
  for (let i = input.from; i < docs.length; i++) {
    await send({ t: 'start', index: i });
    const { reports } = await auditBatch([docs[i]!], { previous });
    await send({ t: 'report', index: i, report: reports[0]! });
  }
}

if (process.send) {
  process.once('message', (input: WorkerInput) => {
    run(input).then(
      () => process.disconnect(),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  });
}
