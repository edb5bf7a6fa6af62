/**
 * The jobs the registry holds: hub-wide ones (state backup, health sweep, and the reserved
 * database backup) with settings a user may change, and one scheduled-capacity job per scheduled
 * action of each cluster's scaling policy.
 */
import { join } from 'node:path';
import type { ScheduleKind, ScheduleSettings, State } from '../../protocol/types.js';
import { backupState } from '../backups/state-backup.js';
import type { Live } from '../live/live.js';
import type { Scaler } from '../scaling/scaler.js';
import type { Store } from '../store.js';
import { healthSummary } from './health-sweep.js';
import type { JobDef } from './registry.js';

export const HUB_JOBS: Record<string, { kind: ScheduleKind; title: string; defaults: ScheduleSettings; unavailable?: string }> = {
  'state-backup': { kind: 'state-backup', title: 'State backup (encrypted)', defaults: { cron: '0 3 * * *', timeZone: 'UTC', enabled: true, catchUp: true, keep: 7 } },
  'health-sweep': { kind: 'health-sweep', title: 'Health sweep', defaults: { cron: '*/5 * * * *', timeZone: 'UTC', enabled: true, catchUp: false } },
  // mariabackup on a Synced Galera node chosen by the hub, sealed and rotated like the state
  // backup: its runner comes with the Galera feature (agent/protocol/galera.ts), not yet merged.
  'database-backup': {
    kind: 'database-backup', title: 'Galera database backup (mariabackup)', defaults: { cron: '30 3 * * *', timeZone: 'UTC', enabled: false, catchUp: true, keep: 7 },
    unavailable: 'needs the Galera feature, which this hub does not have yet',
  },
};

export const capacityJobId = (cluster: string, name: string) => `capacity:${cluster}:${name}`;

export interface JobDeps { store: Store; live: Live; scaler: Scaler; dataDir: string }

export function jobDefs(state: State, d: JobDeps): JobDef[] {
  const defs: JobDef[] = Object.entries(HUB_JOBS).map(([id, j]) => ({
    id, kind: j.kind, title: j.title, settings: state.schedules?.[id]?.settings ?? j.defaults,
    ...(j.unavailable ? { unavailable: j.unavailable } : {}),
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
    case 'health-sweep':
      return async () => {
        await Promise.all(d.scaler.views().filter((v) => v.binding).map((v) => d.scaler.refresh(v.cluster)));
        return healthSummary(d.store.state, (sid) => d.live.status(sid), d.scaler.views()).summary;
      };
    default:
      return async () => { throw new Error(`${id} is not available in this hub`); };
  }
}
