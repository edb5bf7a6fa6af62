/**
 * The jobs the registry holds: hub-wide ones (state backup, health sweep, database backup of every
 * Galera cluster) with settings a user may change, and one scheduled-capacity job per scheduled
 * action of each cluster's scaling policy.
 */
import { join } from 'node:path';
import type { ScheduleKind, ScheduleSettings, State } from '../../protocol/types.js';
import { backupState } from '../backups/state-backup.js';
import type { Live } from '../live/live.js';
import type { Scaler } from '../scaling/scaler.js';
import type { Store } from '../store.js';
import type { GaleraBackups } from '../galera/backups.js';
import type { Operations } from '../operations/runner.js';
import { healthSummary } from './health-sweep.js';
import type { JobDef } from './registry.js';

export const HUB_JOBS: Record<string, { kind: ScheduleKind; title: string; defaults: ScheduleSettings }> = {
  'state-backup': { kind: 'state-backup', title: 'State backup (encrypted)', defaults: { cron: '0 3 * * *', timeZone: 'UTC', enabled: true, catchUp: true, keep: 7 } },
  'health-sweep': { kind: 'health-sweep', title: 'Health sweep', defaults: { cron: '*/5 * * * *', timeZone: 'UTC', enabled: true, catchUp: false } },
  // mariabackup on a Synced Galera node chosen by the hub, sealed and rotated like the state backup
  // (agent/hub/galera/backups.ts); off until a user turns it on.
  'database-backup': {
    kind: 'database-backup', title: 'Galera database backup (mariabackup)', defaults: { cron: '30 3 * * *', timeZone: 'UTC', enabled: false, catchUp: true, keep: 7 },
  },
};

/** How many database backups each Galera cluster keeps (the schedule's setting). */
export const databaseBackupKeep = (state: Pick<State, 'schedules'>) => state.schedules?.['database-backup']?.settings?.keep ?? HUB_JOBS['database-backup']!.defaults.keep!;

export const capacityJobId = (cluster: string, name: string) => `capacity:${cluster}:${name}`;

export interface JobDeps { store: Store; live: Live; scaler: Scaler; dataDir: string; galeraBackups: GaleraBackups; operations: Operations }

export function jobDefs(state: State, d: JobDeps): JobDef[] {
  const defs: JobDef[] = Object.entries(HUB_JOBS).map(([id, j]) => ({
    id, kind: j.kind, title: j.title, settings: state.schedules?.[id]?.settings ?? j.defaults,
    run: runnerFor(id, d),
  }));
  for (const [cluster, cfg] of Object.entries(state.scaling ?? {})) {
    for (const action of cfg.policy?.scheduled ?? []) {
      defs.push({
        id: capacityJobId(cluster, action.name), kind: 'scheduled-capacity', cluster,
        title: `${cluster}: scheduled capacity '${action.name}'`,
        settings: { cron: action.cron, timeZone: action.timeZone, enabled: cfg.policy?.enabled !== false, catchUp: true },
        run: () => d.scaler.runScheduled(cluster, action.name),
      });
    }
  }
  return defs;
}

function runnerFor(id: string, d: JobDeps): JobDef['run'] {
  switch (id) {
    case 'state-backup':
      return async () => {
        const keep = d.store.state.schedules?.[id]?.settings?.keep ?? HUB_JOBS[id]!.defaults.keep!;
        const r = await backupState(d.store.state, { dir: join(d.dataDir, 'backups'), keyFile: join(d.dataDir, 'backup.key'), keep });
        return `wrote ${r.file} (${r.bytes} bytes, AES-256-GCM)${r.removed.length ? `; removed ${r.removed.join(', ')}` : ''}`;
      };
    case 'database-backup':
      return async ({ by }) => {
        const clusters = d.store.state.clusters.filter((c) => c.galera);
        if (!clusters.length) return 'no Galera cluster to back up';
        const keep = databaseBackupKeep(d.store.state);
        let failed = false;
        const lines: string[] = [];
        // One cluster after the other: each one's backup is an operation of that cluster.
        for (const c of clusters) {
          try {
            const op = await d.operations.finished((await d.galeraBackups.backup(c.name, by, keep)).id);
            const made = op.steps.find((s) => s.action === 'backup')?.evidence as { file?: string; node?: string; bytes?: number; position?: string } | undefined;
            if (op.state !== 'done') throw new Error(op.error ?? op.state);
            const removed = (op.steps.find((s) => s.action === 'rotate')?.evidence?.['removed'] as string[] | undefined) ?? [];
            lines.push(`${c.name}: ${made?.file} from ${made?.node} (${made?.bytes} bytes, AES-256-GCM${made?.position ? `, position ${made.position}` : ''})${removed.length ? `; removed ${removed.join(', ')}` : ''}`);
          } catch (e) {
            failed = true;
            lines.push(`${c.name}: failed: ${(e as Error).message}`);
          }
        }
        if (failed) throw new Error(lines.join('\n'));
        return lines.join('\n');
      };
    case 'health-sweep':
      return async () => {
        await Promise.all(d.scaler.views().filter((v) => v.binding).map((v) => d.scaler.refresh(v.cluster)));
        return healthSummary(d.store.state, (sid) => d.live.status(sid), d.scaler.views()).summary;
      };
    default:
      return async () => { throw new Error(`${id} is not available in this hub`); };
  }
}
