/**
 * The CJK font embedded in PDFs: Noto Serif SC (思源宋体, SIL Open Font License 1.1) from the npm package
 * `@fontsource/noto-serif-sc`, its "chinese-simplified" subset (one WOFF file per weight, about 7,900
 * characters: GB2312 level 1 nearly complete, ASCII and CJK punctuation). The WOFF is unpacked once into a
 * plain TrueType buffer and cached, so that each PDF parses only the table directory and embeds a subset
 * of the glyphs it uses.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { inflateSync } from 'node:zlib';

const require = createRequire(import.meta.url);

export type FontWeight = 'regular' | 'bold';

const FILES: Record<FontWeight, string> = {
  regular: '@fontsource/noto-serif-sc/files/noto-serif-sc-chinese-simplified-400-normal.woff',
  bold: '@fontsource/noto-serif-sc/files/noto-serif-sc-chinese-simplified-700-normal.woff',
};

export const PDF_FONT_PACKAGE = '@fontsource/noto-serif-sc';

const cache = new Map<FontWeight, Buffer>();

/** The font as a TrueType (sfnt) buffer, loaded once per process. */
export function cjkFont(weight: FontWeight = 'regular'): Buffer {
  let font = cache.get(weight);
  if (!font) {
    font = woffToSfnt(readFileSync(require.resolve(FILES[weight])));
    cache.set(weight, font);
  }
  return font;
}

/** Unpacks a WOFF 1.0 file (W3C WOFF, zlib-compressed tables) into the sfnt it wraps. */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.readUInt32BE(0) !== 0x774f4646) return woff; // not 'wOFF': already an sfnt
  const flavor = woff.readUInt32BE(4);
  const numTables = woff.readUInt16BE(12);
  const tables: { tag: number; checksum: number; data: Buffer }[] = [];
  for (let i = 0; i < numTables; i++) {
    const e = 44 + i * 20;
    const tag = woff.readUInt32BE(e);
    const offset = woff.readUInt32BE(e + 4);
    const compLength = woff.readUInt32BE(e + 8);
    const origLength = woff.readUInt32BE(e + 12);
    const checksum = woff.readUInt32BE(e + 16);
    const raw = woff.subarray(offset, offset + compLength);
    const data = compLength < origLength ? inflateSync(raw) : Buffer.from(raw);
    if (data.length !== origLength) throw new Error('woff: table length mismatch');
    tables.push({ tag, checksum, data });
  }
  tables.sort((a, b) => a.tag - b.tag);
  let entrySelector = 0;
  while (1 << (entrySelector + 1) <= numTables) entrySelector++;
  const searchRange = (1 << entrySelector) * 16;
  const headerLength = 12 + numTables * 16;
  const total = tables.reduce((n, t) => n + ((t.data.length + 3) & ~3), headerLength);
  const out = Buffer.alloc(total);
  out.writeUInt32BE(flavor, 0);
  out.writeUInt16BE(numTables, 4);
  out.writeUInt16BE(searchRange, 6);
  out.writeUInt16BE(entrySelector, 8);
  out.writeUInt16BE(numTables * 16 - searchRange, 10);
  let offset = headerLength;
  tables.forEach((t, i) => {
    const e = 12 + i * 16;
    out.writeUInt32BE(t.tag, e);
    out.writeUInt32BE(t.checksum, e + 4);
    out.writeUInt32BE(offset, e + 8);
    out.writeUInt32BE(t.data.length, e + 12);
    t.data.copy(out, offset);
    offset += (t.data.length + 3) & ~3;
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// 公文 faces (GB/T 9704 7.3.3: 黑体 first-level headings, 楷体 second-level ones, 仿宋 the body) by substitutes
// under an open licence. No 仿宋 under an open licence was found on npm or in Debian (fonts-cwtex-fs is
// GPL), so the body stays in Noto Serif SC; 黑体 is Noto Sans SC (npm @fontsource/noto-sans-sc, OFL 1.1);
// 楷体 is LXGW WenKai (霞鹜文楷, OFL 1.1) from Debian's fonts-lxgw-wenkai where installed (its npm
// packages carry only Latin or split WOFF2), else Noto Serif SC. The PDF names each substitute in its
// document properties (PDF_FONT_NOTE).

export type GongwenFace = 'hei' | 'kai';

const HEI_FILE = '@fontsource/noto-sans-sc/files/noto-sans-sc-chinese-simplified-400-normal.woff';
const KAI_PATHS = [process.env.GONGKAI_KAI_FONT, '/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf'];

const faceCache = new Map<GongwenFace, Buffer | null>();

/** The substitute face, or null when it is not available here (the caller falls back to Noto Serif SC). */
export function gongwenFace(face: GongwenFace): Buffer | null {
  if (faceCache.has(face)) return faceCache.get(face)!;
  let buf: Buffer | null = null;
  try {
    if (face === 'hei') buf = woffToSfnt(readFileSync(require.resolve(HEI_FILE)));
    else {
      const path = KAI_PATHS.find((p): p is string => !!p && existsSync(p));
      buf = path ? readFileSync(path) : null;
    }
  } catch {
    buf = null;
  }
  faceCache.set(face, buf);
  return buf;
}

/** What stands in for the 公文 fonts in this PDF, for its document properties. */
export function pdfFontNote(): string {
  const kai = gongwenFace('kai') ? 'LXGW WenKai（霞鹜文楷）' : 'Noto Serif SC';
  const hei = gongwenFace('hei') ? 'Noto Sans SC' : 'Noto Serif SC Bold';
  return `字体替代（SIL Open Font License 1.1）：仿宋_GB2312→Noto Serif SC；黑体→${hei}；楷体_GB2312→${kai}；方正小标宋简体→Noto Serif SC Bold`;
}
