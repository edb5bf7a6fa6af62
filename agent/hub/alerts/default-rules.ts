/** The rules a new hub starts with (and a version-1 state document is given when it is migrated). */
import type { AlertRule } from '../../protocol/types.js';
import { galeraAlertRules } from '../galera/alert-metrics.js';
import { glusterDefaultRules } from '../gluster/default-rules.js';

/**
 * cpu ≥ 80 % for 5 minutes, memory ≥ 85 % for 3 minutes, the fullest disk ≥ 90 %, a server
 * down (inactive) for 30 s, and the Gluster rules (gluster/default-rules.ts). No actions: they show
 * in the UI until someone adds a webhook or e-mail.
 */
export function defaultAlertRules(): AlertRule[] {
  return [
    { id: 'cpu-high', name: 'CPU above 80 %', metric: 'cpu', threshold: 80, forSeconds: 300, enabled: true, actions: [] },
    { id: 'memory-high', name: 'Memory above 85 %', metric: 'mem', threshold: 85, forSeconds: 180, enabled: true, actions: [] },
    { id: 'disk-full', name: 'Disk above 90 %', metric: 'disk', threshold: 90, forSeconds: 0, enabled: true, actions: [] },
    { id: 'server-down', name: 'Server down', metric: 'down', forSeconds: 30, enabled: true, actions: [] },
    ...galeraAlertRules(),
    ...glusterDefaultRules(),
  ];
}
