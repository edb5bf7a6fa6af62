/**
 * The hub process's own resource use, read when /metrics is scraped: resident memory, CPU time,
 * start time, and event-loop delay (the loop is what makes a busy hub slow to answer agents and
 * browsers).
 *
 * The delay is measured with our own timer into a node:perf_hooks histogram rather than with
 * monitorEventLoopDelay: that one drops the first interval after reset(), so a block in the same
 * tick as a scrape (the scrape's own rendering of a large fleet, for one) would never be seen.
 */
import { createHistogram, performance, type RecordableHistogram } from 'node:perf_hooks';

export interface ProcessReading {
  residentBytes: number;
  /** User plus system CPU time since the process started. */
  cpuSeconds: number;
  startTimeSeconds: number;
  /** Event-loop delay since the previous reading; NaN when nothing was measured yet. */
  eventLoop: { meanSeconds: number; maxSeconds: number; p99Seconds: number };
}

/** How often (ms) the loop is checked: a timer due every RESOLUTION_MS that fires late shows the delay. */
const RESOLUTION_MS = 10;
const NS_PER_MS = 1e6;
const NS_PER_S = 1e9;

export class ProcessStats {
  private readonly delay: RecordableHistogram = createHistogram();
  private last = performance.now();
  private readonly timer: NodeJS.Timeout;

  constructor() {
    this.timer = setInterval(() => this.check(), RESOLUTION_MS);
    this.timer.unref(); // measuring must not keep the process alive
  }

  /** Reads everything; the delay histogram starts again, so each scrape sees the delay since the previous one. */
  read(): ProcessReading {
    const cpu = process.cpuUsage();
    const h = this.delay;
    const measured = h.count > 0;
    const eventLoop = {
      meanSeconds: measured ? h.mean / NS_PER_S : NaN,
      maxSeconds: measured ? h.max / NS_PER_S : NaN,
      p99Seconds: measured ? h.percentile(99) / NS_PER_S : NaN,
    };
    h.reset();
    return {
      residentBytes: process.memoryUsage.rss(),
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      startTimeSeconds: performance.timeOrigin / 1000,
      eventLoop,
    };
  }

  close(): void {
    clearInterval(this.timer);
  }

  /** Records how late this tick of the timer came (at least 1 ns: the histogram takes only positive integers). */
  private check(): void {
    const now = performance.now();
    const lateMs = now - this.last - RESOLUTION_MS;
    this.last = now;
    this.delay.record(Math.max(1, Math.round(lateMs * NS_PER_MS)));
  }
}
