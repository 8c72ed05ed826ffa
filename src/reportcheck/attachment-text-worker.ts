/**
 * The body of the attachment text worker (attachment-text-isolated.ts): a child process with its own heap limit
 * that reads files' text, one message at a time, and answers each with the text. Run only as a forked child's entry.
 */
import { attachmentText } from './attachment-text.js';

export interface TextWorkerInput {
  id: number;
  data: Uint8Array;
  ext: string;
}
export type TextWorkerMessage = { id: number; ok: true; text: string } | { id: number; ok: false; error: string };

if (process.send) {
  process.on('message', (input: TextWorkerInput) => {
    const done = (m: TextWorkerMessage) => process.send!(m);
    attachmentText(Buffer.from(input.data.buffer, input.data.byteOffset, input.data.byteLength), input.ext).then(
      (text) => done({ id: input.id, ok: true, text }),
      (e: unknown) => done({ id: input.id, ok: false, error: e instanceof Error ? e.message : String(e) }),
    );
  });
}
