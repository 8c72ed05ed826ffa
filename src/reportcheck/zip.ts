/**
 * A small reader of zip archives by their central directory (stored and deflated entries; no ZIP64, no
 * encryption): used for DOCX (word/document.xml) and for batches of reports uploaded as one archive. Nothing is
 * ever written to disk; entry names are only labels. Guards against hostile archives: the caller caps the entry
 * count and the total uncompressed size, and each entry is inflated with a ceiling of its declared size, so an
 * archive that lies about its sizes cannot expand beyond the budget.
 */
import { inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  /** The name as stored (UTF-8 when flagged, otherwise UTF-8 if it decodes, else GB18030 as Chinese Windows writes). */
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
}

export class ZipError extends Error {
  override name = 'ZipError';
}

function decodeName(raw: Buffer, utf8Flag: boolean): string {
  if (utf8Flag) return raw.toString('utf8');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    return new TextDecoder('gb18030').decode(raw);
  }
}

/** Whether the buffer starts like a zip archive (a local file header). */
export function looksLikeZip(buf: Buffer): boolean {
  return buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04;
}

/**
 * The entries of the central directory. Throws ZipError when the archive is not a zip, is damaged, uses ZIP64,
 * or has more than `maxEntries` entries (checked before anything is read).
 */
export function zipEntries(buf: Buffer, opts: { maxEntries?: number } = {}): ZipEntry[] {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipError('不是有效的 ZIP/DOCX 文件');
  const count = buf.readUInt16LE(eocd + 10);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw new ZipError('不支持 ZIP64 格式的压缩包');
  if (opts.maxEntries !== undefined && count > opts.maxEntries) {
    throw new ZipError(`压缩包中的条目过多（${count} 个，上限 ${opts.maxEntries} 个）`);
  }
  const out: ZipEntry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw new ZipError('压缩包的目录已损坏');
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const compressedSize = buf.readUInt32LE(p + 20);
    const uncompressedSize = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const localOffset = buf.readUInt32LE(p + 42);
    if (compressedSize === 0xffffffff || uncompressedSize === 0xffffffff || localOffset === 0xffffffff) {
      throw new ZipError('不支持 ZIP64 格式的压缩包');
    }
    const name = decodeName(buf.subarray(p + 46, p + 46 + nameLen), (flags & 0x800) !== 0);
    out.push({ name, method, flags, compressedSize, uncompressedSize, localOffset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/**
 * The content of one entry. Inflation stops at the entry's declared size (a lying header is an error, not a
 * bomb); the output must have exactly the declared size.
 */
export function zipEntryData(buf: Buffer, e: ZipEntry): Buffer {
  if (e.flags & 0x1) throw new ZipError(`条目已加密，无法读取：${e.name}`);
  const local = e.localOffset;
  if (local + 30 > buf.length || buf.readUInt32LE(local) !== 0x04034b50) throw new ZipError(`压缩包已损坏：${e.name}`);
  const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
  if (start + e.compressedSize > buf.length) throw new ZipError(`压缩包已损坏（数据不完整）：${e.name}`);
  const data = buf.subarray(start, start + e.compressedSize);
  let out: Buffer;
  if (e.method === 0) out = Buffer.from(data);
  else if (e.method === 8) {
    try {
      // maxOutputLength must be ≥ 1; one byte more than declared reveals a lying header.
      out = inflateRawSync(data, { maxOutputLength: Math.max(1, e.uncompressedSize + 1) });
    } catch (err) {
      if (err instanceof RangeError || (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new ZipError(`条目解压后超过声明的大小（疑似压缩炸弹）：${e.name}`);
      }
      throw new ZipError(`条目无法解压：${e.name}`);
    }
  } else throw new ZipError(`不支持的压缩方式 ${e.method}：${e.name}`);
  if (out.length !== e.uncompressedSize) throw new ZipError(`条目解压后的大小与声明不符：${e.name}`);
  return out;
}

/** Reads one entry of a zip archive (stored or deflated) by name; null when there is none. */
export function unzipEntry(buf: Buffer, name: string): Buffer | null {
  const e = zipEntries(buf).find((x) => x.name === name);
  return e ? zipEntryData(buf, e) : null;
}
