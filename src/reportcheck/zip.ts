/**
 * A small reader of zip archives by their central directory (stored and deflated entries; no ZIP64, no
 * encryption): used for DOCX (word/document.xml) and for batches of reports uploaded as one archive. Nothing is
 * ever written to disk; entry names are only labels. Guards against hostile archives (decompression bombs): the
 * entry count is capped before the directory is read; an entry is refused before it is inflated when its declared
 * size is over the per-entry limit or its declared ratio (inflated / compressed) is beyond what documents reach;
 * each entry is inflated with a ceiling of its declared size, so an archive that lies about its sizes cannot
 * expand beyond the budget; callers that read several entries cap their total (batch.ts).
 */
import { inflateRawSync } from 'node:zlib';

export interface ZipLimits {
  /** Entries an archive may have (all of them), checked before the directory is read. */
  maxEntries: number;
  /** Inflated size of one entry, in bytes. */
  maxEntryBytes: number;
  /** Inflated size / compressed size beyond which an entry is a bomb (from ratioFloorBytes on). */
  maxRatio: number;
  /** Entries smaller than this are not judged by their ratio (a page of spaces compresses well and harms no one). */
  ratioFloorBytes: number;
}

/**
 * Office XML and text compress 5 to 30 times; deflate cannot do better than ≈ 1032 times. 200 leaves real
 * documents a wide margin and stops a bomb (1 MB → 1 GiB is 1000 times) before one byte is inflated.
 */
export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 2000, maxEntryBytes: 64 * 1024 * 1024, maxRatio: 200, ratioFloorBytes: 1024 * 1024 };

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

/** An archive refused as a decompression bomb (too many entries, too large or too compressed an entry, a lying size). */
export class ZipBombError extends ZipError {
  override name = 'ZipBombError';
}

const mib = (n: number) => `${Math.ceil(n / 1048576)} MB`;

/** Throws ZipBombError when an entry, by its declared sizes, is over the limits (nothing is inflated). */
export function checkEntry(e: ZipEntry, limits: ZipLimits = DEFAULT_ZIP_LIMITS): void {
  if (e.uncompressedSize > limits.maxEntryBytes) {
    throw new ZipBombError(`条目解压后 ${mib(e.uncompressedSize)}，超过单个条目 ${mib(limits.maxEntryBytes)} 的上限（疑似压缩炸弹）：${e.name}`);
  }
  if (e.uncompressedSize >= limits.ratioFloorBytes && e.uncompressedSize / Math.max(1, e.compressedSize) > limits.maxRatio) {
    const ratio = Math.round(e.uncompressedSize / Math.max(1, e.compressedSize));
    throw new ZipBombError(`条目的压缩比为 ${ratio} 倍，超过 ${limits.maxRatio} 倍的上限（疑似压缩炸弹）：${e.name}`);
  }
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
export function zipEntries(buf: Buffer, opts: { maxEntries?: number } = { maxEntries: DEFAULT_ZIP_LIMITS.maxEntries }): ZipEntry[] {
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
    throw new ZipBombError(`压缩包中的条目过多（${count} 个，上限 ${opts.maxEntries} 个）`);
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
 * The content of one entry. The entry is checked against the limits first (checkEntry); inflation stops at the
 * entry's declared size (a lying header is refused, not inflated further); the output must have exactly the
 * declared size.
 */
export function zipEntryData(buf: Buffer, e: ZipEntry, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Buffer {
  if (e.flags & 0x1) throw new ZipError(`条目已加密，无法读取：${e.name}`);
  checkEntry(e, limits);
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
        throw new ZipBombError(`条目解压后超过声明的大小（疑似压缩炸弹）：${e.name}`);
      }
      throw new ZipError(`条目无法解压：${e.name}`);
    }
  } else throw new ZipError(`不支持的压缩方式 ${e.method}：${e.name}`);
  if (out.length !== e.uncompressedSize) throw new ZipError(`条目解压后的大小与声明不符：${e.name}`);
  return out;
}

/** Reads one entry of a zip archive (stored or deflated) by name, within the limits; null when there is none. */
export function unzipEntry(buf: Buffer, name: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Buffer | null {
  const e = zipEntries(buf, { maxEntries: limits.maxEntries }).find((x) => x.name === name);
  return e ? zipEntryData(buf, e, limits) : null;
}
