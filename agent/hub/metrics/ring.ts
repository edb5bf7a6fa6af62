/**
 * A fixed-size ring of rows of uint16 codes, addressed by bucket number: any integer that grows
 * by one per step (seconds, minutes). Writing a bucket newer than the newest blanks the buckets
 * skipped in between, so missing data reads back as GAP instead of being squeezed out.
 * Memory is the one typed array, allocated up front: size × width × 2 bytes.
 */
export const GAP = 0xffff;

export class BucketRing {
  private readonly codes: Uint16Array;
  /** The newest bucket written, or undefined while empty. */
  private newest: number | undefined;

  /** `size` buckets (rows) of `width` codes (columns). */
  constructor(readonly size: number, readonly width: number) {
    this.codes = new Uint16Array(size * width).fill(GAP);
  }

  get byteLength(): number {
    return this.codes.byteLength;
  }

  newestBucket(): number | undefined {
    return this.newest;
  }

  /** Whether `bucket` is within the last `size` buckets up to the newest. */
  holds(bucket: number): boolean {
    return this.newest !== undefined && bucket <= this.newest && bucket > this.newest - this.size;
  }

  /**
   * Stores `row` (width codes) as `bucket`, a non-negative integer. A bucket older than the ring
   * holds is refused (false); an older one it holds is overwritten.
   */
  write(bucket: number, row: ArrayLike<number>): boolean {
    if (this.newest === undefined || bucket > this.newest) {
      if (this.newest !== undefined) this.blank(this.newest + 1, Math.min(bucket - this.newest - 1, this.size));
      this.newest = bucket;
    } else if (!this.holds(bucket)) {
      return false;
    }
    const at = (bucket % this.size) * this.width;
    for (let c = 0; c < this.width; c++) this.codes[at + c] = row[c] ?? GAP;
    return true;
  }

  /** The code at (`bucket`, `column`); GAP for a bucket the ring does not hold. */
  get(bucket: number, column: number): number {
    return this.holds(bucket) ? this.codes[(bucket % this.size) * this.width + column]! : GAP;
  }

  /** Column `column` of the `size` buckets ending at `end`, oldest first. */
  column(column: number, end: number, out = new Uint16Array(this.size)): Uint16Array {
    for (let i = 0; i < this.size; i++) out[i] = this.get(end - this.size + 1 + i, column);
    return out;
  }

  /** Sets `count` rows from bucket `from` on to GAP (two fills when the range wraps). */
  private blank(from: number, count: number): void {
    const start = from % this.size;
    const first = Math.min(count, this.size - start);
    this.codes.fill(GAP, start * this.width, (start + first) * this.width);
    this.codes.fill(GAP, 0, (count - first) * this.width);
  }
}
