/**
 * The agent's latency schedule: a round over the hub's latest probe targets every 10 s (cheap:
 * a handful of TCP connects), reported as one `latency` frame per round. A new list is probed at
 * once, so a new connection shows its latency without waiting a whole interval; rounds never
 * overlap and start at least `minGapMs` apart. A round the link cannot send is dropped, never
 * queued.
 */
import type { AgentLatency, ProbeTarget } from '../protocol/types.js';
import { type ProbeOptions, probeAll } from './probe.js';

export const PROBE_INTERVAL_MS = 10_000;

export interface ProberOptions extends ProbeOptions {
  /** Sends the frame now, or drops it and returns false (no hub): nothing is queued. */
  send: (frame: AgentLatency) => boolean;
  intervalMs?: number;
  /** The least time between the starts of two rounds, however often the list changes. */
  minGapMs?: number;
}

export class Prober {
  private targets: readonly ProbeTarget[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  /** The list changed during a round: start the next one soon rather than an interval later. */
  private changed = false;
  private lastStart = -Infinity;
  private stopped = false;
  private readonly intervalMs: number;
  private readonly minGapMs: number;

  constructor(private readonly o: ProberOptions) {
    this.intervalMs = o.intervalMs ?? PROBE_INTERVAL_MS;
    this.minGapMs = o.minGapMs ?? 1000;
  }

  /** Replaces the list (a probe-targets frame; [] when the hub is gone) and probes it soon. */
  setTargets(targets: readonly ProbeTarget[]): void {
    this.targets = targets;
    if (!targets.length) return clearTimeout(this.timer);
    if (this.running) this.changed = true;
    else this.arm(this.lastStart + this.minGapMs);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Starts a round at `at` (performance.now() time), or at once when that has passed. */
  private arm(at: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.round(), Math.max(0, at - performance.now()));
  }

  private async round(): Promise<void> {
    if (this.stopped || !this.targets.length) return;
    this.running = true;
    this.changed = false;
    this.lastStart = performance.now();
    const results = await probeAll(this.targets, this.o);
    this.running = false;
    if (this.stopped) return;
    this.o.send({ v: 1, type: 'latency', results });
    if (this.targets.length) this.arm(this.lastStart + (this.changed ? this.minGapMs : this.intervalMs));
  }
}
