/**
 * The agent's side of Gluster: `gluster` jobs through the Gluster applier (one at a time), and,
 * while the hub names this node its cluster's reporter (a gluster-watch frame), one status round
 * a second sent as a `gluster-status` frame. A round starts at least a second after the previous
 * one started and never before it ended, so the CLI runs at most once a second per node and only
 * on the node that reports. main.ts loads this module only when a Gluster frame or job arrives.
 */
import { ApplyError } from '../appliers/contract.js';
import { GlusterApplier } from '../appliers/gluster/applier.js';
import { glusterPaths } from '../appliers/gluster/paths.js';
import type { AgentMessage, Job, JobResult } from '../protocol/types.js';

export const STATUS_EVERY_MS = 1000;

export class GlusterJobs {
  private applier = new GlusterApplier(glusterPaths(process.env));
  private queue: Promise<unknown> = Promise.resolve();
  private reporting = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly send: (m: AgentMessage) => boolean, private readonly log: (line: string) => void = () => {}) {}

  /** Starts or stops the status rounds. */
  watch(report: boolean): void {
    if (report === this.reporting) return;
    this.reporting = report;
    this.log(report ? 'gluster: reporting this cluster\'s status every second' : 'gluster: status reports stopped');
    if (report) void this.round();
    else clearTimeout(this.timer);
  }

  stop(): void {
    this.watch(false);
  }

  run(job: Job): Promise<JobResult> {
    const next = this.queue.then(() => this.runNow(job));
    this.queue = next.catch(() => {});
    return next;
  }

  private async round(): Promise<void> {
    const started = Date.now();
    try {
      const status = await this.applier.status();
      if (this.reporting) this.send({ v: 1, type: 'gluster-status', status });
    } catch (e) {
      this.log(`gluster: status round failed: ${(e as Error).message}`);
    }
    if (this.reporting) this.timer = setTimeout(() => void this.round(), Math.max(0, STATUS_EVERY_MS - (Date.now() - started)));
  }

  private async runNow(job: Job): Promise<JobResult> {
    const result = (ok: boolean, extra: Partial<JobResult>): JobResult => ({ v: 1, type: 'job-result', jobId: job.id, ok, ...extra });
    if (!job.gluster) return result(false, { error: 'a gluster job needs its op' });
    const progress = (step: string) => {
      this.log(`job ${job.id}: ${step}`);
      this.send({ v: 1, type: 'job-progress', jobId: job.id, step: step.slice(0, 512) });
    };
    this.log(`job ${job.id}: gluster ${job.gluster.op}`);
    try {
      const gluster = await this.applier.run(job.gluster, progress);
      return result(true, { gluster });
    } catch (e) {
      const message = e instanceof ApplyError ? e.message : `unexpected failure: ${(e as Error).message}`;
      this.log(`job ${job.id}: failed: ${message}`);
      return result(false, { error: message.slice(0, 1024) });
    }
  }
}
