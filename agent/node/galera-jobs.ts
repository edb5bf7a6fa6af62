/**
 * The agent's side of MariaDB Galera: the galera-* jobs through the Galera applier, and the node's
 * live status (wsrep state, flow control, receive queue, last committed) sent to the hub every
 * second while this node is a Galera node of ours. Loaded only on such a node (main.ts), so an
 * agent without Galera pays nothing for it. Job payloads hold secrets: only the job's kind and
 * cluster are logged, never its payload.
 */
import type { AgentMessage, Job, JobResult } from '../protocol/types.js';
import { ApplyError } from '../appliers/contract.js';
import { GaleraApplier } from '../appliers/galera/applier.js';
import { restoreInto, streamBackup } from '../appliers/galera/backup.js';
import type { GaleraPaths } from '../appliers/paths.js';
import type { HubTransfer } from './transfer.js';

const STATUS_MS = 1000;

export class GaleraJobs {
  private applier: GaleraApplier;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  /** One job at a time: a second waits for the first. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly paths: GaleraPaths, private readonly send: (m: AgentMessage) => boolean, private readonly log: (line: string) => void = () => {},
    private readonly transfer?: HubTransfer,
  ) {
    this.applier = new GaleraApplier(paths);
  }

  /** Reports the status every second from now on (idempotent). */
  startReporting(): void {
    this.timer ??= setInterval(() => void this.report(), STATUS_MS).unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  run(job: Job): Promise<JobResult> {
    const next = this.queue.then(() => this.runNow(job));
    this.queue = next.catch(() => {});
    return next;
  }

  private async runNow(job: Job): Promise<JobResult> {
    const result = (ok: boolean, extra: Partial<JobResult> = {}): JobResult => ({ v: 1, type: 'job-result', jobId: job.id, ok, ...extra });
    const g = job.galera;
    if (!g) return result(false, { error: `a ${job.kind} job needs its galera part` });
    const progress = (step: string) => {
      this.log(`job ${job.id}: ${step}`);
      this.send({ v: 1, type: 'job-progress', jobId: job.id, step });
    };
    this.log(`job ${job.id}: ${job.kind} for cluster ${g.cluster}`);
    try {
      const need = <T>(v: T | undefined, what: string): T => {
        if (v === undefined) throw new ApplyError(`a ${job.kind} job needs ${what}`);
        return v;
      };
      let galera: JobResult['galera'] = {};
      switch (job.kind) {
        case 'galera-plan':
          galera = await this.applier.plan(need(g.desired, 'the desired state'));
          break;
        case 'galera-configure':
          galera = { file: await this.applier.configure(need(g.desired, 'the desired state'), g.secrets, need(g.expect, 'the planned hashes'), progress) };
          this.startReporting();
          break;
        case 'galera-start':
          galera = await this.applier.start(need(g.start, 'how to start'), g.secrets, progress);
          this.startReporting();
          break;
        case 'galera-stop':
          galera = { facts: await this.applier.stop(progress) };
          break;
        case 'galera-inspect':
          galera = { facts: await this.applier.facts(true) };
          break;
        case 'galera-sql':
          galera = await this.applier.sql(need(g.sql, 'the statement'));
          break;
        case 'galera-backup':
          galera = { backup: await this.backup(need(g.transfer, 'its transfer'), progress) };
          break;
        case 'galera-restore': {
          const source = await this.hub().download(need(g.transfer, 'its transfer'));
          galera = { restored: await restoreInto(this.paths, source, progress) };
          break;
        }
        default:
          throw new ApplyError(`not a galera job: ${job.kind}`);
      }
      this.log(`job ${job.id}: done`);
      void this.report();
      return result(true, { galera });
    } catch (e) {
      const message = e instanceof ApplyError ? e.message : `unexpected failure: ${(e as Error).message}`;
      this.log(`job ${job.id}: failed: ${message}`);
      const rolledBack = (e as { rolledBack?: boolean }).rolledBack === true;
      return result(false, { error: message.slice(0, 1024), ...(rolledBack ? { galera: { rolledBack } } : {}) });
    }
  }

  private hub(): HubTransfer {
    if (!this.transfer) throw new ApplyError('this agent cannot transfer files to the hub');
    return this.transfer;
  }

  /** Streams a mariabackup of this node to the hub; done once both ends say so. */
  private async backup(t: NonNullable<NonNullable<Job['galera']>['transfer']>, progress: (s: string) => void) {
    const hub = this.hub();
    const b = await streamBackup(this.paths, progress);
    let bytes = 0;
    b.stream.on('data', (c: Buffer) => { bytes += c.length; });
    try {
      const [, done] = await Promise.all([hub.upload(t, b.stream), b.done]);
      progress(`sent ${bytes} bytes to the hub`);
      return { bytes, ...done };
    } catch (e) {
      b.abort();
      await b.done.catch(() => {});
      throw e instanceof ApplyError ? e : new ApplyError(`the backup could not be sent to the hub: ${(e as Error).message}`);
    }
  }

  private async report(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const cluster = await this.applier.clusterOf();
      if (!cluster) return;
      const status = await this.applier.liveStatus();
      if (status) this.send({ v: 1, type: 'galera-status', cluster, status, at: Date.now() });
    } catch (e) {
      this.log(`galera status: ${(e as Error).message}`);
    } finally {
      this.polling = false;
    }
  }
}

