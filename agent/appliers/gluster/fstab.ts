/**
 * Managed Gluster client mounts in fstab: each one is a marker comment line followed by its entry,
 * so the agent knows which entries are its own and never touches the others. Pure.
 */
import type { GlusterMount } from '../../protocol/types.js';

const MARKER = '# unlimited-cluster: gluster mount of cluster ';

/** The backup volfile servers option (every server but the first), or '' for one server. */
export function backupOption(m: GlusterMount): string {
  const backups = m.servers.slice(1);
  return backups.length ? `backup-volfile-servers=${backups.join(':')}` : '';
}

/** The fstab options of a mount: mounted after the network, with its backup volfile servers. */
export const fstabOptions = (m: GlusterMount): string => ['defaults', '_netdev', backupOption(m)].filter(Boolean).join(',');

/** `mount` arguments: `-t glusterfs [-o backup-volfile-servers=…] host:/volume path`. */
export const mountArgs = (m: GlusterMount, path = m.path): string[] =>
  ['-t', 'glusterfs', ...(backupOption(m) ? ['-o', backupOption(m)] : []), mountSource(m), path];

export const mountSource = (m: GlusterMount): string => `${m.servers[0]}:/${m.volume}`;

export interface ManagedEntry { cluster: string; source: string; path: string }

/** The managed entries in `text`. */
export function managedEntries(text: string): ManagedEntry[] {
  const lines = text.split('\n');
  const out: ManagedEntry[] = [];
  lines.forEach((line, i) => {
    if (!line.startsWith(MARKER)) return;
    const [source, path] = (lines[i + 1] ?? '').trim().split(/\s+/);
    if (source && path) out.push({ cluster: line.slice(MARKER.length).split(' ')[0]!, source, path });
  });
  return out;
}

/** `text` with its managed entries replaced by `mounts` (other lines kept as they are). */
export function renderFstab(text: string, mounts: readonly GlusterMount[]): string {
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.startsWith(MARKER)) {
      i++; // and its entry
      continue;
    }
    kept.push(lines[i]!);
  }
  for (const m of mounts) kept.push(`${MARKER}${m.cluster} (managed by the hub; removed with its filesystem connection)`, `${mountSource(m)} ${m.path} glusterfs ${fstabOptions(m)} 0 0`);
  return kept.length ? `${kept.join('\n')}\n` : '';
}

/** Mount points of Gluster FUSE mounts in a /proc/self/mounts text (octal escapes decoded). */
export function glusterMountPoints(procMounts: string): Set<string> {
  const out = new Set<string>();
  for (const line of procMounts.split('\n')) {
    const [, point, type] = line.split(' ');
    if (point && type === 'fuse.glusterfs') out.add(point.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8))));
  }
  return out;
}
