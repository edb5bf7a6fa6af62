/**
 * Gluster in /metrics, from the cluster views (agent/hub/gluster/live.ts) the caller may see.
 * Per brick (labels cluster, volume, brick, server): up, heal backlog, split-brain entries, size
 * and free bytes; per volume: healthy; per peer: connected. Pure.
 */
import type { GlusterClusterView } from '../../protocol/types.js';
import { Family, labels } from './exposition.js';

export function glusterFamilies(views: readonly GlusterClusterView[]): Family[] {
  const up = new Family('uc_gluster_brick_up', 'Whether the brick is online (0 when volume status says it is down or leaves it out).', 'gauge');
  const heal = new Family('uc_gluster_brick_heal_pending', 'Entries waiting to heal on the brick (heal info summary).', 'gauge');
  const split = new Family('uc_gluster_brick_split_brain', 'Entries in split-brain on the brick.', 'gauge');
  const size = new Family('uc_gluster_brick_size_bytes', 'Size of the brick\'s filesystem.', 'gauge');
  const free = new Family('uc_gluster_brick_free_bytes', 'Free bytes on the brick\'s filesystem.', 'gauge');
  const healthy = new Family('uc_gluster_volume_healthy', 'Whether the volume is started with every brick online, nothing to heal, no split-brain.', 'gauge');
  const peer = new Family('uc_gluster_peer_connected', 'Whether the peer is connected, as the reporting node sees it.', 'gauge');
  for (const c of views) {
    if (c.stale) continue; // a silent reporter's last word is not current
    for (const v of c.volumes) {
      healthy.add(labels({ cluster: c.cluster, volume: v.name }), v.healthy ? 1 : 0);
      for (const b of v.bricks) {
        const set = labels({ cluster: c.cluster, volume: v.name, brick: b.name, server: b.serverId ?? '' });
        up.add(set, b.online ? 1 : 0);
        if (b.healPending !== null) heal.add(set, b.healPending);
        if (b.splitBrain !== null) split.add(set, b.splitBrain);
        if (b.sizeTotal !== null) size.add(set, b.sizeTotal);
        if (b.sizeFree !== null) free.add(set, b.sizeFree);
      }
    }
    for (const p of c.peers) peer.add(labels({ cluster: c.cluster, peer: p.hostname, server: p.serverId ?? '' }), p.connected ? 1 : 0);
  }
  return [up, heal, split, size, free, healthy, peer];
}
