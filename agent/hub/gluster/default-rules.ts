/** The Gluster alert rules every new hub starts with (beside the server rules in alerts/default-rules.ts). */
import type { AlertRule } from '../../protocol/types.js';

/** A brick offline for 30 s, a heal backlog that has not shrunk for 10 minutes, any split-brain entry, a brick ≥ 90 % full. */
export function glusterDefaultRules(): AlertRule[] {
  return [
    { id: 'gluster-brick-offline', name: 'Gluster brick offline', metric: 'gluster_brick_offline', forSeconds: 30, enabled: true, actions: [] },
    { id: 'gluster-heal-stalled', name: 'Gluster heal backlog not shrinking', metric: 'gluster_heal_stalled', forSeconds: 600, enabled: true, actions: [] },
    { id: 'gluster-split-brain', name: 'Gluster split-brain', metric: 'gluster_split_brain', forSeconds: 0, enabled: true, actions: [] },
    { id: 'gluster-brick-full', name: 'Gluster brick above 90 %', metric: 'gluster_brick_full', threshold: 90, forSeconds: 0, enabled: true, actions: [] },
  ];
}
