/** GET /api/stats: counts and averages over what the caller may see. */
import { CONNECTION_TYPES, SERVER_STATUSES, SERVER_TYPES } from '../../protocol/common.js';
import { requireFlag, visibleModel } from '../auth/acl.js';
import type { Reply } from '../http/router.js';
import { memPct } from '../live/status.js';
import type { ApiContext } from './context.js';

const zeros = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

export async function stats(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'view');
  const view = visibleModel(ctx.svc.store.state, ctx.who.acl);
  const byType = zeros(SERVER_TYPES);
  const byStatus = zeros(SERVER_STATUSES);
  const connectionsByType = zeros(CONNECTION_TYPES);
  let agents = 0;
  let cpuSum = 0;
  let memSum = 0;
  let sampled = 0;
  for (const s of view.servers) {
    byType[s.type]++;
    byStatus[ctx.svc.live.status(s.id)]++;
    if (ctx.svc.live.isConnected(s.id)) agents++;
    const m = ctx.svc.live.sample(s.id);
    if (m && ctx.svc.live.isConnected(s.id)) {
      cpuSum += m.cpu;
      memSum += memPct(m);
      sampled++;
    }
  }
  for (const c of view.connections) connectionsByType[c.type]++;
  const avg = (sum: number) => (sampled ? Math.round((sum / sampled) * 10) / 10 : null);
  return {
    status: 200,
    body: {
      servers: { total: view.servers.length, byType, byStatus },
      connections: { total: view.connections.length, byType: connectionsByType },
      clusters: { total: view.clusters.length },
      agents: { connected: agents },
      averages: { cpuPct: avg(cpuSum), memPct: avg(memSum) },
    },
  };
}
