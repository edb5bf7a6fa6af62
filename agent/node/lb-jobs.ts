/**
 * The agent's side of load balancing: `lb-plan` and `lb-apply` jobs through the HAProxy and
 * Keepalived appliers, and a live status (server states, floating addresses held) sent to the
 * hub within a second of a change (and every few seconds anyway) while either daemon runs.
 */
import type { AgentMessage, FilePlan, Job, JobResult, LbStatus } from '../protocol/types.js';
import { ApplyError } from '../appliers/contract.js';
import { HaproxyApplier } from '../appliers/haproxy/applier.js';
import { KeepalivedApplier } from '../appliers/keepalived/applier.js';
import type { ApplierPaths } from '../appliers/paths.js';

const STATUS_MS = 1000;
/** Sent at least this often even when unchanged, so the hub can tell a silent node from a steady one. */
export const LB_STATUS_HEARTBEAT_MS = 4000;

export class LbJobs {
  private haproxy: HaproxyApplier;
  private keepalived: KeepalivedApplier;
  private vips: string[] = [];
  private lastStatus = '';
  private lastSentAt = 0;
  private timer = setInterval(() => void this.report(), STATUS_MS).unref();
  /** One apply at a time: a second job waits for the first. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(paths: ApplierPaths, private readonly send: (m: AgentMessage) => boolean, private readonly log: (line: string) => void = () => {}) {
    this.haproxy = new HaproxyApplier(paths.haproxy);
    this.keepalived = new KeepalivedApplier(paths.keepalived);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  run(job: Job): Promise<JobResult> {
    const next = this.queue.then(() => this.runNow(job));
    this.queue = next.catch(() => {});
    return next;
  }

  private async runNow(job: Job): Promise<JobResult> {
    const result = (ok: boolean, extra: Partial<JobResult>): JobResult => ({ v: 1, type: 'job-result', jobId: job.id, ok, ...extra });
    const lb = job.lb;
    if (!lb) return result(false, { error: `a ${job.kind} job needs the desired load-balancing state` });
    const progress = (step: string) => {
      this.log(`job ${job.id}: ${step}`);
      this.send({ v: 1, type: 'job-progress', jobId: job.id, step });
    };
    this.log(`job ${job.id}: ${job.kind} for cluster ${lb.cluster}`);
    const files: FilePlan[] = [];
    try {
      if (job.kind === 'lb-plan') {
        if (lb.haproxy) files.push(await this.haproxy.plan(lb.cluster, lb.haproxy));
        if (lb.keepalived) files.push(await this.keepalived.plan(lb.cluster, lb.keepalived));
      } else {
        const expect = (a: FilePlan['applier']) => {
          const e = job.expect?.find((x) => x.applier === a);
          if (!e) throw new ApplyError(`no planned ${a} file in the job: plan first`);
          return e;
        };
        if (lb.haproxy) files.push(await this.haproxy.apply(lb.cluster, lb.haproxy, expect('haproxy'), progress));
        if (lb.keepalived) {
          files.push(await this.keepalived.apply(lb.cluster, lb.keepalived, expect('keepalived'), progress));
          this.vips = [lb.keepalived.vip.address];
        }
        void this.report(true);
      }
      this.log(`job ${job.id}: done`);
      return result(true, { plan: { files } });
    } catch (e) {
      const message = e instanceof ApplyError ? e.message : `unexpected failure: ${(e as Error).message}`;
      this.log(`job ${job.id}: failed: ${message}`);
      return result(false, { error: message.slice(0, 1024), plan: { files } });
    }
  }

  /** Sends the live status when it changed (or `force`). */
  private async report(force = false): Promise<void> {
    const servers = await this.haproxy.status();
    if (!servers && !this.vips.length) return;
    const status: LbStatus = { servers: servers ?? [], vips: await this.keepalived.held(this.vips) };
    const text = JSON.stringify(status);
    if (!force && text === this.lastStatus && Date.now() - this.lastSentAt < LB_STATUS_HEARTBEAT_MS) return;
    if (this.send({ v: 1, type: 'lb-status', status })) {
      this.lastStatus = text;
      this.lastSentAt = Date.now();
    }
  }
}
