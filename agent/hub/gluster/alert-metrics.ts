/**
 * Gluster's alert metrics, read from the volumes' live status (live.ts): bricks offline,
 * heal backlog that has not shrunk, split-brain entries (counts while they hold), and the fullest
 * brick in percent (compared with the rule's threshold). A server with no brick has no data.
 */
import { GLUSTER_ALERT_METRICS } from '../../protocol/gluster.js';
import { type MetricSource, withIds } from '../alerts/condition.js';
import type { GlusterLive } from './live.js';

export function glusterMetricSources(live: Pick<GlusterLive, 'metric' | 'servers'>): Record<string, MetricSource> {
  return Object.fromEntries(GLUSTER_ALERT_METRICS.map((m) => [m, withIds((id: string) => live.metric(m, id), () => live.servers())]));
}
