/**
 * Galera in /metrics: per node of every visible Galera cluster (labels `cluster`, `server`) whether
 * mariadbd runs, whether it is Synced and in a Primary component, its state (one series per state,
 * 1 for the current one), flow-control paused ratio, receive queue, last committed seqno and the
 * cluster size it sees; per cluster its member and Synced counts. Only fresh reports: a node
 * whose agent went silent has no current value. Pure over the view and the live status.
 */
import { GALERA_STATES } from '../../protocol/galera.js';
import type { Cluster, GaleraClusterStatus, Server } from '../../protocol/types.js';
import { Family, labels, mergeLabels } from '../prometheus/exposition.js';

export function galeraFamilies(view: { servers: readonly Server[]; clusters: readonly Cluster[] }, status: (c: Cluster) => GaleraClusterStatus): Family[] {
  const f = (name: string, help: string) => new Family(name, help, 'gauge');
  const up = f('uc_galera_node_up', 'Whether the node\'s mariadbd runs (its agent reports it).');
  const synced = f('uc_galera_node_synced', 'Whether the node is Synced in a Primary component (takes clients).');
  const primary = f('uc_galera_node_primary', 'Whether the node is in a Primary component (wsrep_cluster_status).');
  const state = f('uc_galera_node_state', 'The node\'s Galera state: 1 for the current one, 0 for the others.');
  const fc = f('uc_galera_node_flow_control_paused_ratio', 'Fraction of the last second replication was paused by flow control (0-1).');
  const queue = f('uc_galera_node_recv_queue', 'Write-sets received and not yet applied (wsrep_local_recv_queue).');
  const committed = f('uc_galera_node_last_committed', 'The last committed seqno (wsrep_last_committed).');
  const size = f('uc_galera_node_cluster_size', 'The cluster size this node sees (wsrep_cluster_size).');
  const members = f('uc_galera_cluster_nodes', 'Database servers in the Galera cluster.');
  const syncedNodes = f('uc_galera_cluster_synced_nodes', 'Nodes Synced in a Primary component.');
  const visible = new Set(view.servers.map((s) => s.id));
  const stateLabels = GALERA_STATES.map((s) => [s, labels({ state: s })] as const);
  for (const c of view.clusters) {
    if (!c.galera) continue;
    const v = status(c);
    let n = 0;
    for (const node of v.nodes) {
      if (!visible.has(node.serverId)) continue;
      const s = node.status;
      const base = labels({ cluster: c.name, server: node.serverId });
      if (s && !node.stale) {
        const isSynced = s.running && s.state === 'Synced' && s.primary === true;
        if (isSynced) n++;
        up.add(base, s.running ? 1 : 0);
        synced.add(base, isSynced ? 1 : 0);
        for (const [name, set] of stateLabels) state.add(mergeLabels(base, set), name === s.state ? 1 : 0);
        if (s.running) {
          primary.add(base, s.primary ? 1 : 0);
          if (s.flowControlPaused !== undefined) fc.add(base, s.flowControlPaused);
          if (s.recvQueue !== undefined) queue.add(base, s.recvQueue);
          if (s.lastCommitted !== undefined) committed.add(base, s.lastCommitted);
          if (s.clusterSize !== undefined) size.add(base, s.clusterSize);
        }
      }
    }
    members.add(labels({ cluster: c.name }), v.nodes.length);
    syncedNodes.add(labels({ cluster: c.name }), n);
  }
  return [up, synced, primary, state, fc, queue, committed, size, members, syncedNodes];
}
