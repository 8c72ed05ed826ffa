/** SQL for the files a reply releases (request_files). */
import type { Executor } from '../../db/database.js';

export interface ReplyFile {
  id: number;
  requestId: number;
  fileName: string;
  storedName: string;
  mediaType: string;
  size: number;
  sha256: string;
  createdAt: string;
}

const COLS = ['id', 'request_id', 'file_name', 'stored_name', 'media_type', 'size', 'sha256', 'created_at'] as const;
type Row = { id: number; request_id: number; file_name: string; stored_name: string; media_type: string; size: number | string; sha256: string; created_at: string };
const toFile = (r: Row): ReplyFile => ({ id: Number(r.id), requestId: Number(r.request_id), fileName: r.file_name, storedName: r.stored_name, mediaType: r.media_type, size: Number(r.size), sha256: r.sha256, createdAt: r.created_at });

export async function insertFile(db: Executor, f: { request_id: number; file_name: string; stored_name: string; media_type: string; size: number; sha256: string; created_by: number | null; created_at: string }): Promise<number> {
  const r = await db.insertInto('request_files').values(f).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function listFiles(db: Executor, requestId: number): Promise<ReplyFile[]> {
  const rows = await db.selectFrom('request_files').select(COLS).where('request_id', '=', requestId).orderBy('id').execute();
  return rows.map((r) => toFile(r as Row));
}

export async function findFile(db: Executor, requestId: number, id: number): Promise<ReplyFile | undefined> {
  const r = await db.selectFrom('request_files').select(COLS).where('request_id', '=', requestId).where('id', '=', id).executeTakeFirst();
  return r && toFile(r as Row);
}
