/** The numbers the server list shows, derived from one metrics sample. */
import type { MetricsSample } from '../../agent/protocol/types.js';

const pct = (used: number, total: number) => (total > 0 ? (used / total) * 100 : 0);

export const memPercent = (s: MetricsSample) => pct(s.mem.used, s.mem.total);

/** The fullest mount: the one that will page someone first. 0 when the node reports none. */
export const diskPercent = (s: MetricsSample) => s.disks.reduce((max, d) => Math.max(max, pct(d.used, d.total)), 0);
