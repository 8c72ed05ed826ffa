/**
 * Multipart forms on this plugin's routes: each file is read into memory as `{ fileName, data, truncated }`
 * (bounded by GONGKAI_MAX_UPLOAD_MB; `truncated` when over it), for the use case to check by content.
 */
import multipart from '@fastify/multipart';
import type { App } from './types.js';

export async function acceptUploads(app: App, limits: { files: number; fields: number; fieldSize: number; parts: number }): Promise<void> {
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    throwFileSizeLimit: false,
    limits: { fileSize: app.config.maxUploadBytes, ...limits },
    async onFile(part) {
      const chunks: Buffer[] = [];
      for await (const c of part.file) chunks.push(c as Buffer);
      (part as unknown as { value: unknown }).value = { fileName: part.filename, data: Buffer.concat(chunks), truncated: part.file.truncated };
    },
  });
}
