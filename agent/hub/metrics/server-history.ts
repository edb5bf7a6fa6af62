/**
 * One server's metrics history at two resolutions: the last 900 s at 1 s and the last 1440 min
 * at 1 min, each series packed as uint8 codes (codec.ts, ring.ts).
 *
 * Placement uses the hub's receive time, so an agent that stops sending leaves gaps:
 * - 1 s: a frame lands `round(Δ / 1 s)` points after the previous frame (Δ = time since it).
 *   Frames 1 s apart fill consecutive points whatever their phase against the clock's second
 *   (flooring to whole seconds would turn a few ms of jitter near a second boundary into a
 *   false gap next to a collision); 3 s apart leave two gaps; under 0.5 s apart the newer
 *   replaces the point.
 * - 1 min: wall-clock minutes (`floor(now / 60 s)`); a point is the average of the frames of
 *   that minute, rewritten on every frame so the newest minute is always current.
 *
 * Memory: HISTORY_BYTES = 18,989 bytes per server in one buffer (64 of minute sums; 1 s: 7,200
 * codes and 80 scales; 1 min: 11,520 codes and 125 scales), 51 % of the 37,504 of the uint16
 * codes it replaced (one byte a point is the floor: 18,720). `npm run bench:history-memory`
 * measures ~19.5 KB with the objects, about 190 MB of hub RSS for 10,000 servers. A frame costs
 * O(series), plus a rescale of up to 60 codes when a magnitude outgrows its block's scale.
 */
import { HISTORY_SERIES } from '../../protocol/history.js';
import type { HistoryBody, HistoryWindow, MetricsSample } from '../../protocol/types.js';
import { maxDiskPct, memPct } from '../live/status.js';
import { BucketRing, RingLayout } from './ring.js';

type SeriesName = (typeof HISTORY_SERIES)[number];
type StepMs = HistoryBody['stepMs'];

export const SECOND_POINTS = 900;
export const MINUTE_POINTS = 1440;
const SECOND_MS = 1000;
const MINUTE_MS = 60_000;

interface Column {
  /** A magnitude (scaled per block) rather than a percentage. */
  magnitude: boolean;
  pick(s: MetricsSample): number;
}

/** How each series is taken from a sample and packed, in HISTORY_SERIES order. */
const COLUMNS: Record<SeriesName, Column> = {
  cpu: { magnitude: false, pick: (s) => s.cpu },
  mem: { magnitude: false, pick: memPct },
  disk: { magnitude: false, pick: maxDiskPct },
  netRx: { magnitude: true, pick: (s) => s.net.rxBps },
  netTx: { magnitude: true, pick: (s) => s.net.txBps },
  load1: { magnitude: true, pick: (s) => s.load[0] ?? 0 },
  diskRead: { magnitude: true, pick: (s) => s.diskIO.readBps },
  diskWrite: { magnitude: true, pick: (s) => s.diskIO.writeBps },
};
const ORDER = HISTORY_SERIES.map((name) => COLUMNS[name]);
const WIDTH = ORDER.length;
const MAGNITUDE = ORDER.map((col) => col.magnitude);
const SECOND_LAYOUT = new RingLayout(SECOND_POINTS, MAGNITUDE);
const MINUTE_LAYOUT = new RingLayout(MINUTE_POINTS, MAGNITUDE);
const SUMS_BYTES = WIDTH * 8;

/** Bytes one server's history holds: the minute sums and both rings, in one buffer. */
export const HISTORY_BYTES = SUMS_BYTES + SECOND_LAYOUT.byteLength + MINUTE_LAYOUT.byteLength;

/** Scratch row of values; the hub records one frame at a time. */
const row = new Float64Array(WIDTH);

export class ServerHistory {
  /** One allocation per server, viewed as the sums and the bytes of both rings. */
  private readonly buffer = new ArrayBuffer(HISTORY_BYTES);
  /** Sums of the current minute's values and how many frames they hold. */
  private readonly sums = new Float64Array(this.buffer, 0, WIDTH);
  private readonly bytes = new Uint8Array(this.buffer);
  private readonly seconds = new BucketRing(SECOND_LAYOUT, this.bytes, SUMS_BYTES);
  private readonly minutes = new BucketRing(MINUTE_LAYOUT, this.bytes, SUMS_BYTES + SECOND_LAYOUT.byteLength);
  private count = 0;
  private minute = -1;
  /** Hub time of the newest 1 s point (bucket `seconds.newestBucket()`). */
  private lastAt = 0;

  /** Bytes held, the sums and both rings: HISTORY_BYTES. */
  get byteLength(): number {
    return this.sums.byteLength + this.seconds.byteLength + this.minutes.byteLength;
  }

  /** Records a frame received at hub time `now` (ms). */
  record(sample: MetricsSample, now: number): void {
    const newest = this.seconds.newestBucket();
    const second = newest === undefined ? Math.floor(now / SECOND_MS) : newest + Math.max(0, Math.round((now - this.lastAt) / SECOND_MS));
    this.lastAt = now;
    const minute = Math.floor(now / MINUTE_MS);
    if (minute !== this.minute) {
      this.minute = minute;
      this.sums.fill(0);
      this.count = 0;
    }
    this.count++;
    for (let c = 0; c < WIDTH; c++) {
      const v = ORDER[c]!.pick(sample);
      row[c] = v;
      this.sums[c]! += v;
    }
    this.seconds.write(second, row);
    for (let c = 0; c < WIDTH; c++) row[c] = this.sums[c]! / this.count;
    this.minutes.write(minute, row);
  }

  /** The window ending at the last step that is complete or has data, as of hub time `now`. */
  read(window: HistoryWindow, now: number): HistoryBody {
    if (window === '24h') {
      const current = Math.floor(now / MINUTE_MS);
      const end = (this.minutes.newestBucket() ?? -1) >= current ? current : current - 1;
      return body(window, MINUTE_MS, end * MINUTE_MS, this.minutes, end);
    }
    const newest = this.seconds.newestBucket();
    if (newest === undefined) return emptyHistory(window, now);
    // Where a frame arriving now would land; the step before it is the last one that is due.
    const behind = Math.max(0, Math.round((now - this.lastAt) / SECOND_MS) - 1);
    return body(window, SECOND_MS, this.lastAt + behind * SECOND_MS, this.seconds, newest + behind);
  }
}

/** The window of a server without samples: every point a gap, ending at the last whole step. */
export function emptyHistory(window: HistoryWindow, now: number): HistoryBody {
  const stepMs = window === '24h' ? MINUTE_MS : SECOND_MS;
  const size = window === '24h' ? MINUTE_POINTS : SECOND_POINTS;
  const series = Object.fromEntries(HISTORY_SERIES.map((name) => [name, new Array<null>(size).fill(null)]));
  return { window, stepMs, end: (Math.floor(now / stepMs) - 1) * stepMs, series: series as HistoryBody['series'] };
}

function body(window: HistoryWindow, stepMs: StepMs, endMs: number, ring: BucketRing, endBucket: number): HistoryBody {
  const series = {} as HistoryBody['series'];
  HISTORY_SERIES.forEach((name, c) => {
    series[name] = ring.column(c, endBucket);
  });
  return { window, stepMs, end: Math.round(endMs), series };
}
