/**
 * A fixed-size ring of rows of values packed as uint8 codes (codec.ts), addressed by bucket
 * number: any integer that grows by one per step (seconds, minutes). Writing a bucket newer than
 * the newest blanks the buckets skipped in between, so missing data reads back as a gap (null)
 * instead of being squeezed out.
 *
 * Percent columns are codes on their own. Magnitude columns share one scale per block of BLOCK
 * buckets (one byte per block and column): a value above its block's scale grows the scale and
 * rounds the block's codes again. Blocks are counted in buckets, not rows, and the ring keeps
 * the scales of one block more than it can show, so a new block always starts from the smallest
 * scale while the block whose rows it is overwriting keeps its own.
 */
import { GAP, decodeMagnitude, encodeMagnitude, percentCodec, rescale, scaleFor, scaleOf } from './codec.js';

export const BLOCK = 60;

/** The shape of a ring, shared by every ring of that shape. */
export class RingLayout {
  readonly width: number;
  /** Blocks whose scales are kept: those a window can touch, plus the one being started. */
  readonly blocks: number;
  /** Per column, its index among the magnitude columns, or -1 for a percent column. */
  readonly scaleIndex: readonly number[];
  readonly scaledColumns: number;
  /** Bytes of a ring: size × width codes, then blocks × magnitude columns scale exponents. */
  readonly byteLength: number;

  /** `size` buckets (rows) of one code per column; `magnitude[c]` tells which columns are scaled. */
  constructor(readonly size: number, magnitude: readonly boolean[]) {
    this.width = magnitude.length;
    this.blocks = Math.ceil((size - 1) / BLOCK) + 1;
    let n = 0;
    this.scaleIndex = magnitude.map((m) => (m ? n++ : -1));
    this.scaledColumns = n;
    this.byteLength = size * this.width + this.blocks * n;
  }
}

export class BucketRing {
  /** The newest bucket written, or undefined while empty. */
  private newest: number | undefined;

  /**
   * The ring uses layout.byteLength bytes of `bytes` from `base` on, so rings can share one
   * allocation (every typed array is an object of its own, ~100 bytes more per server).
   */
  constructor(readonly layout: RingLayout, private readonly bytes = new Uint8Array(layout.byteLength), private readonly base = 0) {
    if (base < 0 || base + layout.byteLength > bytes.length) throw new Error(`a ring of this layout needs ${layout.byteLength} bytes from ${base}, not ${bytes.length - base}`);
    const scales = base + layout.size * layout.width;
    bytes.fill(GAP, base, scales).fill(0, scales, base + layout.byteLength);
  }

  get size(): number {
    return this.layout.size;
  }

  get byteLength(): number {
    return this.layout.byteLength;
  }

  newestBucket(): number | undefined {
    return this.newest;
  }

  /** Whether `bucket` is within the last `size` buckets up to the newest. */
  holds(bucket: number): boolean {
    return this.newest !== undefined && bucket <= this.newest && bucket > this.newest - this.layout.size;
  }

  /**
   * Stores `row` (one value per column) as `bucket`, a non-negative integer. A bucket older than
   * the ring holds is refused (false); an older one it holds is overwritten.
   */
  write(bucket: number, row: ArrayLike<number>): boolean {
    const { size, width, scaleIndex } = this.layout;
    if (this.newest === undefined || bucket > this.newest) {
      if (this.newest !== undefined) {
        this.blank(this.newest + 1, Math.min(bucket - this.newest - 1, size));
        this.startBlocks(Math.floor(this.newest / BLOCK) + 1, Math.floor(bucket / BLOCK));
      }
      this.newest = bucket;
    } else if (!this.holds(bucket)) {
      return false;
    }
    const at = this.base + (bucket % size) * width;
    for (let c = 0; c < width; c++) {
      const v = row[c] ?? 0;
      if (scaleIndex[c]! < 0) {
        this.bytes[at + c] = percentCodec.encode(v);
        continue;
      }
      const s = this.scaleAt(bucket, c);
      let k = this.bytes[s]!;
      if (v > scaleOf(k)) k = this.grow(bucket, c, k, scaleFor(v));
      this.bytes[at + c] = encodeMagnitude(v, k);
    }
    return true;
  }

  /** The value at (`bucket`, `column`); null for a gap or a bucket the ring does not hold. */
  get(bucket: number, column: number): number | null {
    if (!this.holds(bucket)) return null;
    const code = this.bytes[this.base + (bucket % this.layout.size) * this.layout.width + column]!;
    if (code === GAP) return null;
    return this.layout.scaleIndex[column]! < 0 ? percentCodec.decode(code) : decodeMagnitude(code, this.bytes[this.scaleAt(bucket, column)]!);
  }

  /** Column `column` of the `size` buckets ending at `end`, oldest first. */
  column(column: number, end: number, out = new Array<number | null>(this.layout.size)): (number | null)[] {
    for (let i = 0; i < this.layout.size; i++) out[i] = this.get(end - this.layout.size + 1 + i, column);
    return out;
  }

  /** Where the scale exponent of `bucket`'s block in magnitude column `column` is kept. */
  private scaleAt(bucket: number, column: number): number {
    const { size, width, blocks, scaledColumns, scaleIndex } = this.layout;
    return this.base + size * width + (Math.floor(bucket / BLOCK) % blocks) * scaledColumns + scaleIndex[column]!;
  }

  /** Resets the scales of blocks `first`..`last` (only the last `blocks` matter) to the smallest. */
  private startBlocks(first: number, last: number): void {
    const { size, width, blocks, scaledColumns } = this.layout;
    for (let b = Math.max(first, last - blocks + 1); b <= last; b++) {
      const at = this.base + size * width + (b % blocks) * scaledColumns;
      this.bytes.fill(0, at, at + scaledColumns);
    }
  }

  /** Grows the scale of `bucket`'s block in `column` from k to `to`, rounding its held codes again. */
  private grow(bucket: number, column: number, k: number, to: number): number {
    const { size, width } = this.layout;
    const start = Math.floor(bucket / BLOCK) * BLOCK;
    const newest = this.newest!;
    for (let b = Math.max(start, newest - size + 1); b <= Math.min(start + BLOCK - 1, newest); b++) {
      const at = this.base + (b % size) * width + column;
      const code = this.bytes[at]!;
      if (code !== GAP) this.bytes[at] = rescale(code, k, to);
    }
    this.bytes[this.scaleAt(bucket, column)] = to;
    return to;
  }

  /** Sets `count` rows from bucket `from` on to GAP (two fills when the range wraps). */
  private blank(from: number, count: number): void {
    const { size, width } = this.layout;
    const start = from % size;
    const first = Math.min(count, size - start);
    this.bytes.fill(GAP, this.base + start * width, this.base + (start + first) * width);
    this.bytes.fill(GAP, this.base, this.base + (count - first) * width);
  }
}
