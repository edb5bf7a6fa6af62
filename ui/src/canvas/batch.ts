/**
 * Many shapes of one colour drawn with few fill or stroke calls. Paths are flushed every CHUNK
 * shapes: Chromium's software rasteriser slows down badly on one path with tens of thousands of
 * sub-paths, while a few hundred calls cost next to nothing.
 */
const CHUNK = 256;

export class Batch {
  private paths: Path2D[];
  private counts: number[];
  constructor(private readonly c: CanvasRenderingContext2D, private readonly styles: readonly string[], private readonly mode: 'fill' | 'stroke' = 'fill') {
    this.paths = styles.map(() => new Path2D());
    this.counts = styles.map(() => 0);
  }

  /** The path to add the next shape of style `i` to. */
  path(i: number): Path2D {
    if (this.counts[i]! >= CHUNK) this.flushOne(i);
    this.counts[i]!++;
    return this.paths[i]!;
  }

  private flushOne(i: number) {
    if (!this.counts[i]) return;
    if (this.mode === 'fill') { this.c.fillStyle = this.styles[i]!; this.c.fill(this.paths[i]!); } else { this.c.strokeStyle = this.styles[i]!; this.c.stroke(this.paths[i]!); }
    this.paths[i] = new Path2D();
    this.counts[i] = 0;
  }

  /** Draws what is left, in style order. */
  flush() { for (let i = 0; i < this.paths.length; i++) this.flushOne(i); }
}
