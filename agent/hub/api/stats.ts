/** GET /api/stats: counts and averages over what the caller may see. */
import { CONNECTION_TYPES, SERVER_STATUSES, SERVER_TYPES } from '../../protocol/common.js';
import { requireFlag, visibleModel } from '../auth/acl.js';
import type { State } from '../../protocol/types.js';
import type { Reply } from '../http/router.js';
import { memPct } from '../live/status.js';
import type { ApiContext, Services } from './context.js';

const zeros = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

/**
 * The figures of the whole fleet (what a user of every cluster sees), kept while neither the
 * model nor anything live changed: a dashboard polling them costs one pass over 10,000 servers
 * per change, not per request.
 */
const wholeFleet = new WeakMap<Services['live'], { state: State; version: number; body: ReturnType<typeof figures> }>();

export async function stats(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'view');
  const { store: { state }, live } = ctx.svc;
  if (ctx.who.acl.scope !== '*') return { status: 200, body: figures(ctx.svc, visibleModel(state, ctx.who.acl)) };
  let kept = wholeFleet.get(live);
  if (kept?.state !== state || kept.version !== live.version) wholeFleet.set(live, (kept = { state, version: live.version, body: figures(ctx.svc, state) }));
  return { status: 200, body: kept.body };
}

function figures(svc: Pick<Services, 'live'>, view: Pick<State, 'servers' | 'connections' | 'clusters'>) {
  const byType = zeros(SERVER_TYPES);
  const byStatus = zeros(SERVER_STATUSES);
  const connectionsByType = zeros(CONNECTION_TYPES);
  let agents = 0;
  let cpuSum = 0;
  let memSum = 0;
  let sampled = 0;
  for (const s of view.servers) {
    byType[s.type]++;
    byStatus[svc.live.status(s.id)]++;
    if (svc.live.isConnected(s.id)) agents++;
    const m = svc.live.sample(s.id);
    if (m && svc.live.isConnected(s.id)) {
      cpuSum += m.cpu;
      memSum += memPct(m);
      sampled++;
    }
  }
  for (const c of view.connections) connectionsByType[c.type]++;
  const avg = (sum: number) => (sampled ? Math.round((sum / sampled) * 10) / 10 : null);
  return {
    servers: { total: view.servers.length, byType, byStatus },
    connections: { total: view.connections.length, byType: connectionsByType },
    clusters: { total: view.clusters.length },
    agents: { connected: agents },
    averages: { cpuPct: avg(cpuSum), memPct: avg(memSum) },
  };
}
