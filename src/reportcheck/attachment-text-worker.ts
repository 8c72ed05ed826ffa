/**
 * The body of the attachment text worker (attachment-text-isolated.ts): a child process with its own heap limit
 * reads one file's text and sends it back. Run only as a forked child's entry.
 */
import { attachmentText } from './attachment-text.js';

export interface TextWorkerInput {
  data: Uint8Array;
  ext: string;
}
export type TextWorkerMessage = { ok: true; text: string } | { ok: false; error: string };

if (process.send) {
  process.once('message', (input: TextWorkerInput) => {
    const done = (m: TextWorkerMessage) => process.send!(m, undefined, {}, () => process.disconnect());
    attachmentText(Buffer.from(input.data.buffer, input.data.byteOffset, input.data.byteLength), input.ext).then(
      (text) => done({ ok: true, text }),
      (e: unknown) => done({ ok: false, error: e instanceof Error ? e.message : String(e) }),
    );
  });
}
