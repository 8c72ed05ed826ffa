/**
 * Building a batch's postings in one pass, without an object per posting: grams get dense ids from an
 * open-addressing table (typed arrays), each document's duplicates are dropped with a last-document mark per
 * gram, and a counting sort by gram id groups the postings. Documents are added in descending sort-key
 * order, so each gram's keys come out already in the order of the posting lists (descending). No I/O.
 */
import type { GramSink } from './text.js';

export class GramGroups implements GramSink {
  private slots = new Int32Array(1 << 12); // slot → id + 1 (0: empty)
  private bits = 12;
  private gramOf = new Float64Array(1 << 11);
  private lastDoc = new Int32Array(1 << 11);
  private ids = 0;
  private pGram = new Int32Array(1 << 16);
  private pDoc = new Int32Array(1 << 16);
  private n = 0;
  /** The document whose grams are being added (0, 1, 2 … in descending key order). */
  doc = 0;

  add(gram: number): void {
    const mask = (1 << this.bits) - 1;
    let h = Math.imul((gram >>> 0) ^ Math.imul((gram / 4294967296) | 0, 0x27d4eb2d), 0x9e3779b1) >>> (32 - this.bits);
    let id: number;
    for (;;) {
      const s = this.slots[h]!;
      if (s === 0) {
        id = this.newId(gram, h);
        break;
      }
      if (this.gramOf[s - 1] === gram) {
        id = s - 1;
        break;
      }
      h = (h + 1) & mask;
    }
    if (this.lastDoc[id] === this.doc + 1) return;
    this.lastDoc[id] = this.doc + 1;
    if (this.n === this.pGram.length) {
      this.pGram = grow(this.pGram, this.n * 2);
      this.pDoc = grow(this.pDoc, this.n * 2);
    }
    this.pGram[this.n] = id;
    this.pDoc[this.n++] = this.doc;
  }

  private newId(gram: number, slot: number): number {
    const id = this.ids++;
    if (id === this.gramOf.length) {
      const g = new Float64Array(id * 2);
      g.set(this.gramOf);
      this.gramOf = g;
      this.lastDoc = grow(this.lastDoc, id * 2);
    }
    this.gramOf[id] = gram;
    this.lastDoc[id] = 0;
    this.slots[slot] = id + 1;
    if (this.ids * 2 > this.slots.length) this.rehash();
    return id;
  }

  private rehash(): void {
    this.bits++;
    const mask = (1 << this.bits) - 1;
    this.slots = new Int32Array(1 << this.bits);
    for (let id = 0; id < this.ids; id++) {
      const gram = this.gramOf[id]!;
      let h = Math.imul((gram >>> 0) ^ Math.imul((gram / 4294967296) | 0, 0x27d4eb2d), 0x9e3779b1) >>> (32 - this.bits);
      while (this.slots[h] !== 0) h = (h + 1) & mask;
      this.slots[h] = id + 1;
    }
  }

  get postings(): number {
    return this.n;
  }

  /** Each gram with its documents' keys (descending when documents were added in descending key order). */
  groups(keyOfDoc: ArrayLike<number>): Map<number, Float64Array> {
    const start = new Int32Array(this.ids + 1);
    for (let i = 0; i < this.n; i++) start[this.pGram[i]! + 1]!++;
    for (let id = 0; id < this.ids; id++) start[id + 1]! += start[id]!;
    const fill = start.slice(0, this.ids);
    const keys = new Float64Array(this.n);
    for (let i = 0; i < this.n; i++) keys[fill[this.pGram[i]!]!++] = keyOfDoc[this.pDoc[i]!]!;
    const out = new Map<number, Float64Array>();
    for (let id = 0; id < this.ids; id++) out.set(this.gramOf[id]!, keys.subarray(start[id]!, start[id + 1]!));
    return out;
  }
}

function grow(a: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}
