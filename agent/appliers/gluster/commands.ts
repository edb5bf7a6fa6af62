/**
 * The `gluster` command lines of each job op, built from its validated fields (never a shell
 * string). Shared by the agent, which runs them, and the hub, which shows them in a plan.
 */
import type { GlusterJob } from '../../protocol/types.js';
import { mountArgs } from './fstab.js';

/** One CLI call: its arguments (after `gluster --mode=script`), and whether it answers in XML. */
export interface GlusterCommand { args: string[]; xml: boolean }

const replicaArgs = (j: { replica: 3; arbiter?: boolean; bricks: string[]; force?: boolean }) =>
  ['replica', '3', ...(j.arbiter ? ['arbiter', '1'] : []), ...j.bricks, ...(j.force ? ['force'] : [])];

/** The CLI calls of a job op, in order; [] for ops that are checks or waits (inspect, status …). */
export function glusterCommands(job: GlusterJob): GlusterCommand[] {
  const xml = (...args: string[]): GlusterCommand => ({ args, xml: true });
  switch (job.op) {
    case 'probe': return job.hosts.map((h) => xml('peer', 'probe', h));
    case 'create': return [xml('volume', 'create', job.volume, ...replicaArgs(job))];
    case 'set': return Object.entries(job.options).map(([k, v]) => xml('volume', 'set', job.volume, k, v));
    case 'start': return [xml('volume', 'start', job.volume)];
    case 'add-brick': return [xml('volume', 'add-brick', job.volume, ...replicaArgs(job))];
    case 'rebalance-start': return [xml('volume', 'rebalance', job.volume, 'start')];
    case 'rebalance-status': return [xml('volume', 'rebalance', job.volume, 'status')];
    case 'replace-brick': return [xml('volume', 'replace-brick', job.volume, job.from, job.to, 'commit', 'force')];
    case 'detach': return [xml('peer', 'detach', job.host, ...(job.force ? ['force'] : []))];
    // These two print human text even with --xml: only their exit code is read.
    case 'heal': return [{ args: ['volume', 'heal', job.volume, ...(job.full ? ['full'] : [])], xml: false }];
    case 'split-brain': return [{
      args: ['volume', 'heal', job.volume, 'split-brain', job.choice, ...(job.choice === 'source-brick' && job.brick ? [job.brick] : []), job.file],
      xml: false,
    }];
    default: return [];
  }
}

/** What a plan shows for a job op: its command lines, or what the agent does instead. */
export function describeJob(job: GlusterJob): string {
  const cmds = glusterCommands(job);
  if (cmds.length) return cmds.map((c) => `gluster ${c.args.join(' ')}`).join('\n');
  switch (job.op) {
    case 'inspect': return `check glusterd answers${job.paths?.length ? ` and ${job.paths.join(', ')} ${job.paths.length > 1 ? 'are' : 'is'} free (absent or empty)` : ''}`;
    case 'prepare': return `mkdir -p ${[...new Set(job.paths.map((p) => p.slice(0, p.lastIndexOf('/')) || '/'))].join(' ')}`;
    case 'wait-bricks': return `wait until every brick of ${job.volume} is online (gluster volume status ${job.volume})`;
    case 'status': return 'gluster pool list; gluster volume info; gluster volume status all detail; gluster volume heal VOL info summary';
    case 'mounts': return job.mounts.map((m) => `mount ${mountArgs(m).join(' ')} (and in fstab)`).join('\n') || 'unmount every managed Gluster mount';
    case 'mkdir': return `mkdir -p ${job.path} on ${job.volume}${job.links?.length ? `, linked as ${job.links.join(', ')}` : ''} (through a temporary mount)`;
    case 'rmdir': return `rm -r ${job.path} on ${job.volume}${job.unlinks?.length ? ` and its links ${job.unlinks.join(', ')}` : ''} (through a temporary mount)`;
    default: return job.op;
  }
}
