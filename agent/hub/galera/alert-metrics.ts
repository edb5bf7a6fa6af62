/**
 * Galera's alert metrics, read from the nodes' live status: `galera_non_primary` holds while a
 * running node is outside a Primary component, `galera_not_synced` while a node of a Galera
 * cluster is anything but Synced (down included), `galera_flow_control` is the percentage of the
 * last second replication was paused. A server with no fresh Galera status has no data (the
 * `down` rule speaks for a silent agent), so they never fire for other servers.
 */
import type { AlertRule, GaleraNodeStatus } from '../../protocol/types.js';
import { CLEAR, type MetricSource, NO_DATA, withIds } from '../alerts/condition.js';

/** `ids`: the servers that sent a Galera status. */
export function galeraMetricSources(status: (serverId: string) => GaleraNodeStatus | undefined, ids?: () => Iterable<string>): Record<string, MetricSource> {
  const sources: Record<string, MetricSource> = {
    galera_non_primary: (id) => {
      const s = status(id);
      if (!s) return NO_DATA;
      return s.running && s.primary === false ? 0 : CLEAR;
    },
    galera_not_synced: (id) => {
      const s = status(id);
      if (!s) return NO_DATA;
      return s.running && s.state === 'Synced' && s.primary ? CLEAR : 0;
    },
    galera_flow_control: (id) => {
      const s = status(id);
      return s?.running && s.flowControlPaused !== undefined ? s.flowControlPaused * 100 : NO_DATA;
    },
  };
  return ids ? Object.fromEntries(Object.entries(sources).map(([m, f]) => [m, withIds(f, ids)])) : sources;
}

/** The default rules for Galera nodes (part of every new hub's defaults). */
export function galeraAlertRules(): AlertRule[] {
  return [
    { id: 'galera-non-primary', name: 'Galera node not in a Primary component', metric: 'galera_non_primary', forSeconds: 5, enabled: true, actions: [] },
    { id: 'galera-not-synced', name: 'Galera node not Synced for 60 s', metric: 'galera_not_synced', forSeconds: 60, enabled: true, actions: [] },
    { id: 'galera-flow-control', name: 'Galera flow control above 10 %', metric: 'galera_flow_control', threshold: 10, forSeconds: 30, enabled: true, actions: [] },
  ];
}
