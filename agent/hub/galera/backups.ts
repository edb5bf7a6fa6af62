/**
 * Galera database backups in the hub. Which node a backup is taken on (pure: a Synced backup node,
 * not the writer while another is Synced, never a Donor/Desynced, joining or silent one); the
 * backup as an operation (mariabackup on that node, streamed through a one-time transfer on the
 * agent port and sealed as it arrives with the hub's backup key, the one the state backups use,
 * into DATA_DIR/backups/galera/CLUSTER/, the newest N kept); the list; and the restore into a
 * fresh node as an operation (every member checked stopped, the node's configuration written, the
 * backup opened chunk by chunk and sent to the node, which prepares it and copies it back into its
 * empty data directory; the node is bootstrapped from the backup's position; the others join it).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open as openFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { GaleraBackup, GaleraNodeStatus, Operation, OperationStep } from '../../protocol/types.js';
import { loadKey, keyId } from '../backups/envelope.js';
import { backupName, listBackups, rotation } from '../backups/state-backup.js';
import { openStream, readStreamHeader, sealStream } from '../backups/stream-envelope.js';
import type { Transfers } from '../backups/transfers.js';
import { HttpError, conflict, notFound } from '../errors.js';
import { findCluster } from '../model/clusters.js';
import type { StepContext, StepExecutor, StepPlan } from '../operations/runner.js';
import { galeraExecutor } from './executor.js';
import { isSynced } from './live.js';
import type { GaleraService } from './service.js';
import { galeraCluster, writerOrder } from './settings.js';

/** How long a backup or a restore may take before the hub stops waiting (a big database). */
const TRANSFER_JOB_MS = 6 * 60 * 60_000;

export type BackupChoice = { serverId: string; why: string } | { refuse: string };

/**
 * The node to back up from: the last Synced backup node in writer order (the last to take the
 * writes if the writer fails), else the writer when it is the only Synced node. A node that is a
 * Donor/Desynced, joining, non-Primary, silent or whose agent is away is never chosen.
 */
export function chooseBackupNode(order: readonly string[], writer: string | undefined, status: (id: string) => GaleraNodeStatus | undefined, connected: (id: string) => boolean): BackupChoice {
  const fit = order.filter((id) => isSynced(status(id)) && connected(id));
  const backups = fit.filter((id) => id !== writer);
  if (backups.length) return { serverId: backups.at(-1)!, why: `a Synced backup node${writer ? ` (the writer ${writer} keeps taking the writes)` : ''}` };
  if (writer && fit.includes(writer)) return { serverId: writer, why: 'the writer: no other node is Synced' };
  const states = order.map((id) => `${id} ${!connected(id) ? 'agent away' : status(id)?.state ?? 'no report'}`);
  return { refuse: `no Synced node to back up from (${states.join(', ')})` };
}

export interface GaleraBackupsDeps {
  galera: GaleraService;
  transfers: Transfers;
  /** DATA_DIR/backups */
  dir: string;
  keyFile: string;
  connected(serverId: string): boolean;
}

export class GaleraBackups {
  constructor(private readonly d: GaleraBackupsDeps) {}

  dirOf(cluster: string): string {
    return join(this.d.dir, 'galera', cluster);
  }

  private get svc() {
    return this.d.galera;
  }

  /** A cluster's backups, newest first. */
  async list(cluster: string): Promise<GaleraBackup[]> {
    const dir = this.dirOf(cluster);
    const out: GaleraBackup[] = [];
    for (const name of (await listBackups(dir, '')).reverse()) {
      try {
        const [h, st] = await Promise.all([readStreamHeader(join(dir, name)), stat(join(dir, name))]);
        out.push({ name, cluster, createdAt: h.createdAt, bytes: st.size, ...(h.meta['node'] ? { node: h.meta['node'] } : {}) });
      } catch { /* not a backup of ours: not listed */ }
    }
    return out;
  }

  /** Starts a backup of `cluster` on the node chosen now; keeps the newest `keep`. 409 when no node fits or the cluster is busy. */
  async backup(cluster: string, user: string, keep: number): Promise<Operation> {
    const c = findCluster(this.svc.deps.store.state, cluster);
    const order = writerOrder(c, galeraCluster(this.svc.deps.store.state, c).map((m) => m.id));
    const choice = chooseBackupNode(order, this.svc.view(c).writer, (id) => this.svc.live.status(id), this.d.connected);
    if ('refuse' in choice) throw conflict(`cannot back up ${cluster}: ${choice.refuse}`);
    const id = choice.serverId;
    const steps: StepPlan[] = [
      { action: 'backup', title: `Back up ${cluster} with mariabackup on ${id} (${choice.why}), encrypted as it reaches the hub`, serverId: id },
      { action: 'rotate', title: `Keep the newest ${keep} backup${keep > 1 ? 's' : ''} of ${cluster}`, args: { keep } },
    ];
    return this.svc.deps.operations.start({ cluster, flag: 'apply', kind: 'galera.backup', title: `Back up ${cluster} (on ${id})`, steps }, user, (step, ctx) => this.backupStep(step, ctx));
  }

  private async backupStep(step: OperationStep, ctx: StepContext): Promise<Record<string, unknown>> {
    const cluster = ctx.cluster;
    const dir = this.dirOf(cluster);
    if (step.action === 'rotate') {
      const removed = rotation(await listBackups(dir, ''), Number(step.args?.['keep']));
      for (const name of removed) await unlink(join(dir, name)).catch(() => {});
      return { removed, kept: (await listBackups(dir, '')).length };
    }
    const id = step.serverId!;
    const st = this.svc.live.status(id);
    if (!isSynced(st)) throw new Error(`${id} is ${st?.state ?? 'not reporting'} now, not Synced: no backup is taken on it`);
    const key = await loadKey(this.d.keyFile, true);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, backupName('', new Date()));
    const part = `${file}.part`;
    let received = 0;
    let said = 0;
    const count = new Transform({
      transform(chunk: Buffer, _enc, done) {
        received += chunk.length;
        if (Date.now() - said > 1000) {
          said = Date.now();
          ctx.progress(`${(received / 1e6).toFixed(1)} MB received from ${id}`);
        }
        done(null, chunk);
      },
    });
    const t = this.d.transfers.receive(`backup of ${cluster}`, async (body) => {
      await pipeline(body, count, sealStream(key, 'galera', { cluster, node: id }), createWriteStream(part, { mode: 0o600 }));
      const fh = await openFile(part, 'r+');
      await fh.sync();
      await fh.close();
    });
    try {
      const r = await this.svc.job(cluster, id, 'galera-backup', { transfer: t.ticket }, ctx, TRANSFER_JOB_MS);
      await t.result;
      await rename(part, file);
      const bytes = (await stat(file)).size;
      return { file: file.slice(dir.length + 1), node: id, bytes, sent: r.backup?.bytes ?? received, ...(r.backup?.position ? { position: r.backup.position } : {}), cipher: 'AES-256-GCM' };
    } catch (e) {
      this.d.transfers.cancel(t.ticket, (e as Error).message);
      const why = await t.result.then(() => '', (x: Error) => x.message);
      await unlink(part).catch(() => {});
      throw new Error(why && !(e as Error).message.includes(why) ? `${(e as Error).message} (the hub: ${why})` : (e as Error).message);
    }
  }

  /**
   * Restores backup `name` of cluster `from` into `serverId`, a database member of `cluster` whose
   * data directory is empty, while every member is stopped: the node starts a Primary component from
   * the backup's position and the others join it.
   */
  async restore(cluster: string, from: string, name: string, serverId: string, user: string): Promise<Operation> {
    const c = findCluster(this.svc.deps.store.state, cluster);
    const ids = galeraCluster(this.svc.deps.store.state, c).map((m) => m.id);
    if (!ids.includes(serverId)) throw notFound(`${serverId} is not a database server of ${cluster}`);
    const file = join(this.dirOf(from), name);
    const header = await readStreamHeader(file).catch((e: NodeJS.ErrnoException) => {
      throw e.code === 'ENOENT' ? notFound(`${from} has no backup ${name}`) : new HttpError(422, 'bad_backup', `${name}: ${e.message}`);
    });
    const key = await loadKey(this.d.keyFile).catch(() => undefined);
    if (!key || header.keyId !== keyId(key)) throw new HttpError(422, 'bad_backup', `${name} was sealed with another key (key ${header.keyId}) than this hub's: it cannot be opened here`);
    const what = `backup ${name} of ${from} (taken on ${header.meta['node'] ?? '?'} at ${header.createdAt})`;
    const steps: StepPlan[] = [
      { action: 'restore-check', title: `Check that every node of ${cluster} is stopped and ${serverId}'s data directory is empty`, serverId, args: { from, name } },
      { action: 'configure', title: `Write ${serverId}'s configuration`, serverId },
      { action: 'restore-data', title: `Restore ${what} into ${serverId} (mariabackup --prepare, then --copy-back)`, serverId, args: { from, name } },
    ];
    const galera = galeraExecutor(this.svc, cluster);
    const execute: StepExecutor = (step, ctx) => {
      if (step.action === 'restore-check') return this.restoreCheck(step, ctx, ids);
      if (step.action === 'restore-data') return this.restoreData(step, ctx);
      return galera(step, ctx);
    };
    return this.svc.deps.operations.start({ cluster, flag: 'apply', kind: 'galera.restore', title: `Restore ${cluster} from ${what}`, steps }, user, execute);
  }

  private async restoreCheck(step: OperationStep, ctx: StepContext, ids: readonly string[]): Promise<void> {
    const target = step.serverId!;
    const nodes = await Promise.all(ids.map(async (id) => {
      try {
        const f = (await this.svc.job(ctx.cluster, id, 'galera-inspect', {})).facts;
        return { node: id, mariadbd: f?.running ? 'running' : 'down', data: f?.initialized ? 'a database' : 'none' };
      } catch (e) {
        return { node: id, mariadbd: 'no answer', note: (e as Error).message };
      }
    }));
    ctx.evidence({ nodes });
    const running = nodes.filter((n) => n.mariadbd !== 'down');
    if (running.length) {
      throw new Error(`${running.map((n) => `${n.node} ${n.mariadbd}`).join(', ')}: a restore starts ${ctx.cluster}'s history again from the backup, so every node must be stopped first`);
    }
    if (nodes.find((n) => n.node === target)?.data !== 'none') throw new Error(`${target} already holds a database: a backup is restored into a fresh node (an empty data directory)`);
  }

  private async restoreData(step: OperationStep, ctx: StepContext): Promise<Record<string, unknown>> {
    const id = step.serverId!;
    const file = join(this.dirOf(String(step.args?.['from'])), String(step.args?.['name']));
    const key = await loadKey(this.d.keyFile);
    const t = this.d.transfers.send(`restore of ${file}`, () => {
      // Opened chunk by chunk: a damaged chunk stops the transfer there, and the node's restore fails.
      const plain = openStream(key);
      createReadStream(file).on('error', (e) => plain.destroy(e)).pipe(plain);
      return plain;
    });
    let restored;
    try {
      restored = (await this.svc.job(ctx.cluster, id, 'galera-restore', { transfer: t.ticket }, ctx, TRANSFER_JOB_MS)).restored;
    } catch (e) {
      this.d.transfers.cancel(t.ticket, (e as Error).message);
      const why = await t.result.then(() => '', (x: Error) => x.message);
      throw new Error(why ? `${file.split('/').pop()} ${why}; ${id}: ${(e as Error).message}` : (e as Error).message);
    }
    if (!restored) throw new Error(`${id} did not say which position it restored`);
    ctx.insertAfter([
      { action: 'bootstrap', title: `Bootstrap ${ctx.cluster} on ${id} from the restored position ${restored.position}`, serverId: id, args: { position: restored.position, initUsers: true } },
      { action: 'plan-rest', title: `Configure the other nodes of ${ctx.cluster} and join them (a full copy by SST from ${id})` },
    ]);
    return { position: restored.position };
  }
}
