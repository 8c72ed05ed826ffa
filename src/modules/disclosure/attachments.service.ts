/**
 * Attachments of an item: size- and type-limited. The type is read from the content's magic bytes and must
 * agree with the file name's extension; files are stored under DATA_DIR/attachments with generated names.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { AppError, notFound } from '../../errors.js';
import { appendAudit } from '../audit-log/audit-log.service.js';
import { assertRole } from '../accounts/access.js';
import { getAgencyById } from '../agencies/agencies.service.js';
import type { Actor, Ctx } from '../context.js';
import { internals, type Attachment } from './disclosure.service.js';
import { readAttachmentText } from '../../reportcheck/attachment-text-isolated.js';
import { indexItems } from '../search/search.service.js';

const { repo, stepActor } = internals;

/**
 * Inside the attachment's transaction: the item is still a draft or in review, and its version is raised (a
 * conditional update over what is read here), so that an approval or sign-off that read the item before the
 * attachment changed it is refused (item.changed_meanwhile), and no attachment lands on an item approved or
 * published since the status was first checked.
 */
async function holdEditable(tx: Parameters<typeof repo.findItem>[0], itemId: number, at: string, what: string): Promise<void> {
  const cur = await repo.findItem(tx, itemId);
  if (!cur) throw notFound('信息');
  const meanwhile = () => new AppError('conflict', `该信息刚刚被他人处理（现为不可修改的状态），不能${what}；请刷新页面查看`, { reason: 'item.changed_meanwhile' });
  if (cur.status !== 'draft' && cur.status !== 'in_review') throw meanwhile();
  if (!(await repo.updateItemIf(tx, itemId, { updated_at: at }, { status: cur.status, version: cur.version }))) throw meanwhile();
}

type Kind = 'pdf' | 'ole' | 'zip' | 'png' | 'jpeg' | 'gif' | 'text';

/** Allowed extensions, the content they must have, and the type they are served as. */
export const ALLOWED_TYPES: Record<string, { kind: Kind; mediaType: string }> = {
  pdf: { kind: 'pdf', mediaType: 'application/pdf' },
  doc: { kind: 'ole', mediaType: 'application/msword' },
  xls: { kind: 'ole', mediaType: 'application/vnd.ms-excel' },
  ppt: { kind: 'ole', mediaType: 'application/vnd.ms-powerpoint' },
  wps: { kind: 'ole', mediaType: 'application/vnd.ms-works' },
  et: { kind: 'ole', mediaType: 'application/vnd.ms-excel' },
  docx: { kind: 'zip', mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  xlsx: { kind: 'zip', mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  pptx: { kind: 'zip', mediaType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation' },
  odt: { kind: 'zip', mediaType: 'application/vnd.oasis.opendocument.text' },
  ods: { kind: 'zip', mediaType: 'application/vnd.oasis.opendocument.spreadsheet' },
  ofd: { kind: 'zip', mediaType: 'application/ofd' },
  png: { kind: 'png', mediaType: 'image/png' },
  jpg: { kind: 'jpeg', mediaType: 'image/jpeg' },
  jpeg: { kind: 'jpeg', mediaType: 'image/jpeg' },
  gif: { kind: 'gif', mediaType: 'image/gif' },
  txt: { kind: 'text', mediaType: 'text/plain; charset=utf-8' },
  csv: { kind: 'text', mediaType: 'text/csv; charset=utf-8' },
};

export const ALLOWED_EXTENSIONS_LABEL = 'PDF、OFD、Word（doc/docx）、Excel（xls/xlsx）、PowerPoint、WPS、ODF、PNG/JPEG/GIF 图片、TXT/CSV 文本';

const starts = (b: Buffer, sig: number[]) => sig.every((v, i) => b[i] === v);

/** What the content is, by its magic bytes. */
export function sniff(b: Buffer): Kind | null {
  if (starts(b, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'pdf'; // %PDF-
  if (starts(b, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'ole';
  // A ZIP container (docx, xlsx, odt, ofd…) only when it is a whole archive: it ends with the central directory.
  if (starts(b, [0x50, 0x4b, 0x03, 0x04])) return b.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06])) >= Math.max(0, b.length - 65_557) ? 'zip' : null;
  if (starts(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (starts(b, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (starts(b, [0x47, 0x49, 0x46, 0x38])) return 'gif';
  if (!b.includes(0)) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(b);
      return 'text';
    } catch {
      return null;
    }
  }
  return null;
}

export interface Upload {
  fileName: string;
  data: Buffer;
  /** The upload went over the size limit and was cut off. */
  truncated: boolean;
}

function safeName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const base = name.replace(/^.*[\\/]/, '').replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '_').trim();
  return base.slice(-120) || '附件';
}

/**
 * An upload's checks, shared by items' attachments and the files a reply releases: a file was chosen, it is
 * within the size limit, its extension is allowed and its content (magic bytes) is of that type. Returns
 * the cleaned file name, the extension and the media type it is served as.
 */
export function checkUpload(up: Upload, maxBytes: number): { fileName: string; ext: string; mediaType: string } {
  const field = 'file';
  const fileName = safeName(up.fileName);
  const mb = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;
  if (!up.fileName || up.data.length === 0) throw new AppError('validation', '请选择要上传的文件', { fields: [{ field, message: '请选择要上传的文件' }] });
  if (up.truncated || up.data.length > maxBytes) {
    throw new AppError('payload_too_large', `附件“${fileName}”超过大小上限 ${mb(maxBytes)}`, { reason: 'attachment.too_large', fields: [{ field, message: `附件超过大小上限 ${mb(maxBytes)}` }] });
  }
  const ext = extname(fileName).slice(1).toLowerCase();
  const allowed = ALLOWED_TYPES[ext];
  if (!allowed) {
    throw new AppError('unsupported_media', `不允许上传 .${ext || '（无扩展名）'} 文件；允许的类型：${ALLOWED_EXTENSIONS_LABEL}`, { reason: 'attachment.type', fields: [{ field, message: `不允许的文件类型 .${ext}；允许：${ALLOWED_EXTENSIONS_LABEL}` }] });
  }
  const kind = sniff(up.data);
  if (kind !== allowed.kind) {
    throw new AppError('unsupported_media', `文件“${fileName}”的内容与扩展名 .${ext} 不符（文件内容不是该类型），已拒绝`, { reason: 'attachment.content_mismatch', fields: [{ field, message: `文件内容与扩展名 .${ext} 不符` }] });
  }
  return { fileName, ext, mediaType: allowed.mediaType };
}

export async function addAttachment(ctx: Ctx, actor: Actor, itemId: number, up: Upload, limits: { maxBytes: number; dataDir: string }): Promise<Attachment> {
  const item = await internals.loadItem(ctx, itemId);
  const agency = await getAgencyById(ctx, item.agencyId);
  assertRole(actor, agency, item.status === 'in_review' ? ['editor', 'reviewer'] : ['editor'], '上传附件');
  if (item.status !== 'draft' && item.status !== 'in_review') throw new AppError('conflict', '只有草稿或待审核的信息可以上传附件', { reason: 'item.not_editable' });
  const { fileName, ext, mediaType } = checkUpload(up, limits.maxBytes);
  // The text of a PDF, DOCX, XLSX (or TXT, CSV) for the search, read off this thread within limits; a file
  // whose text cannot be read is kept all the same (found by its item, not by its text).
  const text = await readAttachmentText(up.data, ext);
  return storeUpload(limits.dataDir, 'attachments', up, ext, (f) =>
    ctx.db.transaction().execute(async (tx) => {
      const at = ctx.now();
      await holdEditable(tx, itemId, at.toISOString(), '上传附件');
      const id = await repo.insertAttachment(tx, {
        item_id: itemId, file_name: fileName, stored_name: f.storedName, media_type: mediaType, size: f.size, sha256: f.sha256, created_by: actor.userId, created_at: at.toISOString(),
        text: text ?? '', // '' when the file has no text or could not be read: read once, at upload
      });
      await repo.insertStep(tx, { item_id: itemId, step: 'attach', outcome: null, opinion: fileName, content_hash: null, ...stepActor(actor), at: at.toISOString() });
      await appendAudit(tx, { actor, agencyId: item.agencyId, action: 'item.attach', entity: 'item', entityId: itemId, data: { attachmentId: id, fileName, size: f.size, sha256: f.sha256 }, at });
      return (await repo.findAttachment(tx, id))!;
    }),
  );
}

/**
 * Stores an upload that passed checkUpload under `dataDir/folder` with a random name, then runs `record` (the
 * use case's transaction) with what was stored; if recording fails the file is removed: no file without its row.
 */
export async function storeUpload<T>(
  dataDir: string,
  folder: string,
  up: Upload,
  ext: string,
  record: (stored: { storedName: string; sha256: string; size: number }) => Promise<T>,
): Promise<T> {
  const dir = join(dataDir, folder);
  mkdirSync(dir, { recursive: true });
  const storedName = `${randomBytes(16).toString('hex')}.${ext}`;
  const path = join(dir, storedName);
  writeFileSync(path, up.data, { flag: 'wx' });
  try {
    return await record({ storedName, sha256: createHash('sha256').update(up.data).digest('hex'), size: up.data.length });
  } catch (e) {
    rmSync(path, { force: true });
    throw e;
  }
}

export async function removeAttachment(ctx: Ctx, actor: Actor, attachmentId: number, dataDir: string): Promise<number> {
  const a = await repo.findAttachment(ctx.db, attachmentId);
  if (!a) throw notFound('附件');
  const item = await internals.loadItem(ctx, a.itemId);
  const agency = await getAgencyById(ctx, item.agencyId);
  assertRole(actor, agency, ['editor', 'reviewer'], '删除附件');
  if (item.status !== 'draft' && item.status !== 'in_review') throw new AppError('conflict', '只有草稿或待审核的信息可以删除附件', { reason: 'item.not_editable' });
  await ctx.db.transaction().execute(async (tx) => {
    const at = ctx.now();
    await holdEditable(tx, item.id, at.toISOString(), '删除附件');
    await repo.deleteAttachment(tx, a.id);
    await repo.insertStep(tx, { item_id: item.id, step: 'detach', outcome: null, opinion: a.fileName, content_hash: null, ...stepActor(actor), at: at.toISOString() });
    await appendAudit(tx, { actor, agencyId: item.agencyId, action: 'item.detach', entity: 'item', entityId: item.id, data: { attachmentId: a.id, fileName: a.fileName }, at });
  });
  rmSync(attachmentPath(dataDir, a), { force: true });
  return item.id;
}

/**
 * Reads the text of attachments uploaded before the search read them (text still null), for the search
 * (`gongkai search reindex`); each file once ('' when it has none or cannot be read). Published items whose
 * attachments gained text are indexed again. Returns how many files were read and items re-indexed.
 */
export async function readMissingAttachmentTexts(ctx: Ctx, dataDir: string): Promise<{ files: number; items: number }> {
  let after = 0;
  let files = 0;
  const touched = new Set<number>();
  for (;;) {
    const batch = await repo.attachmentsWithoutText(ctx.db, after, 50);
    if (!batch.length) break;
    for (const a of batch) {
      after = a.id;
      let text: string | null = null;
      try {
        const ext = extname(a.fileName).slice(1).toLowerCase();
        text = await readAttachmentText(readFileSync(attachmentPath(dataDir, a)), ext);
      } catch {
        text = null; // the file is missing: nothing to read
      }
      await repo.setAttachmentText(ctx.db, a.id, text ?? '');
      files++;
      if (text) touched.add(a.itemId);
    }
  }
  let items = 0;
  for (const id of touched) {
    const item = await repo.findItem(ctx.db, id);
    if (item?.status !== 'published') continue;
    const agency = await getAgencyById(ctx, item.agencyId);
    await ctx.db.transaction().execute(async (tx) => {
      const texts = await repo.attachmentTexts(tx, [id]);
      await indexItems(tx, [internals.searchDoc(item, agency, texts.get(id))]);
    });
    items++;
  }
  return { files, items };
}

export function attachmentPath(dataDir: string, a: Attachment): string {
  return join(dataDir, 'attachments', a.storedName.replace(/[^0-9a-z.]/g, ''));
}
