/**
 * FTS5's structure record (row 10 of a table's `_data`): its levels and their segments, as fts5_index.c writes
 * it (fts5StructureWrite) — a 4-byte cookie, the version-2 marker (ff 00 00 01) when segments carry origins
 * (contentless_delete tables), then SQLite varints: levels, segments, write counter, and per level its merge
 * count and segments (id, first and last leaf page, and with version 2 five more numbers). No I/O.
 */
export interface Fts5Segment {
  id: number;
  /** Leaf pages. */
  pages: number;
}
export interface Fts5Structure {
  levels: Fts5Segment[][];
}

export function parseFts5Structure(block: Uint8Array): Fts5Structure {
  let at = 4;
  const v2 = block[4] === 0xff && block[5] === 0 && block[6] === 0 && block[7] === 1;
  if (v2) at = 8;
  // SQLite's varint: big-endian groups of 7 bits, the ninth byte whole (values here stay far below 2^53)
  const varint = (): number => {
    let v = 0;
    for (let i = 0; i < 9; i++) {
      if (at >= block.length) throw new Error('FTS5 structure record: truncated');
      const b = block[at++]!;
      if (i === 8) return v * 256 + b;
      v = v * 128 + (b & 0x7f);
      if (!(b & 0x80)) return v;
    }
    return v;
  };
  const nLevel = varint();
  varint(); // segments (the sum of the levels')
  varint(); // write counter
  const levels: Fts5Segment[][] = [];
  for (let l = 0; l < nLevel; l++) {
    varint(); // segments being merged into the next level
    const n = varint();
    const segs: Fts5Segment[] = [];
    for (let s = 0; s < n; s++) {
      const id = varint();
      const first = varint();
      const last = varint();
      if (v2) for (let k = 0; k < 5; k++) varint(); // origins, tombstone pages and entries, entries
      segs.push({ id, pages: last - first + 1 });
    }
    levels.push(segs);
  }
  return { levels };
}
