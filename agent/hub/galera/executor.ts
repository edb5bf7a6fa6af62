/**
 * Runs the steps of Galera operations: each one is a job on one node (or a model change), with
 * its precondition (the cluster keeps a majority) and a check of its result (a start job returns
 * only once the node is Synced). Recovery's first step gathers every node's evidence and plans
 * the rest with `ctx.insertAfter` once it knows which node to bootstrap.
 */
import type { Cluster, GaleraJob, GaleraNodeFacts, Job, OperationStep } from '../../protocol/types.js';
import { withAudit } from '../audit/entries.js';
import type { StepContext, StepExecutor, StepPlan } from '../operations/runner.js';
import type { GaleraService } from './service.js';
import { chooseBootstrap, evidenceRow, promotionCandidate, quorumProblem, type EvidenceRow } from './planner.js';
import { desiredGalera, galeraCluster, writerOrder } from './settings.js';

/** How long a start may take (an SST of a big database) before the hub stops waiting. */
const START_TIMEOUT_MS = 15 * 60_000;
const JOB_MARGIN_MS = 60_000;
/** How long a drain waits for the live status to show that the others keep a majority. */
const QUORUM_WAIT_MS = 30_000;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function galeraExecutor(svc: GaleraService, clusterName: string, opts: { auto?: boolean; quorumWaitMs?: number } = {}): StepExecutor {
  const cluster = (): Cluster => {
    const c = svc.deps.store.state.clusters.find((x) => x.name === clusterName);
    if (!c?.galera) throw new Error(`cluster '${clusterName}' no longer has a Galera role`);
    return c;
  };
  const nodes = () => galeraCluster(svc.deps.store.state, cluster());
  const order = () => writerOrder(cluster(), nodes().map((n) => n.id));
  const desired = (id: string) => {
    const d = desiredGalera(cluster(), nodes()).get(id);
    if (!d) throw new Error(`${id} is not a database server of cluster '${clusterName}'`);
    return d;
  };

  /**
   * Resolves once the others are Synced in a majority without `id`. The live status comes once a
   * second: a node a step before just saw Synced may not have reported it yet, so this waits a
   * while for the reports before it refuses.
   */
  async function keepsMajority(id: string, ctx: StepContext): Promise<void> {
    const end = Date.now() + (opts.quorumWaitMs ?? QUORUM_WAIT_MS);
    for (;;) {
      const problem = quorumProblem(order(), (x) => svc.live.status(x), id);
      if (!problem) return;
      if (Date.now() >= end) throw new Error(`not taking ${id} out: ${problem}`);
      ctx.progress(`waiting for the others to report Synced: ${problem}`);
      await new Promise((r) => setTimeout(r, 500));
      ctx.cancelled();
    }
  }

  const job = (id: string, kind: Job['kind'], galera: Omit<GaleraJob, 'cluster'>, ctx?: StepContext, timeoutMs?: number) =>
    svc.job(clusterName, id, kind, galera, ctx, timeoutMs);

  const inspect = async (id: string): Promise<{ facts?: GaleraNodeFacts; error?: string }> => {
    try {
      return { facts: (await job(id, 'galera-inspect', {})).facts };
    } catch (e) {
      return { error: (e as Error).message };
    }
  };

  /** Writes the node's configuration as planned (`args`), or as planned right now. */
  async function configure(id: string, args: Record<string, unknown> | undefined, ctx: StepContext): Promise<void> {
    let base = str(args?.['base']), next = str(args?.['next']);
    if (!base || !next) {
      const plan = await job(id, 'galera-plan', { desired: desired(id) });
      ({ base, next } = plan.file!);
    }
    await job(id, 'galera-configure', { desired: desired(id), secrets: await svc.secrets.get(clusterName), expect: { base, next } }, ctx);
  }

  async function start(id: string, start: NonNullable<GaleraJob['start']>, ctx: StepContext) {
    const r = await job(id, 'galera-start', { start: { timeoutMs: START_TIMEOUT_MS, ...start }, secrets: await svc.secrets.get(clusterName) }, ctx, START_TIMEOUT_MS + JOB_MARGIN_MS);
    return { joinedBy: r.joinedBy ?? 'none', ...(start.position ? { position: start.position } : {}) };
  }

  async function gather(ctx: StepContext): Promise<Record<string, unknown>> {
    const ids = order();
    const rows: EvidenceRow[] = await Promise.all(ids.map(async (id) => {
      const r = await inspect(id);
      return evidenceRow(id, r.facts, r.error);
    }));
    ctx.evidence({ nodes: rows });
    const primary = rows.filter((r) => r.mariadbd === 'running' && r.state !== 'non-Primary');
    const down = rows.filter((r) => r.mariadbd === 'down');
    if (primary.length) {
      if (!down.length) return { nodes: rows, decision: 'every node runs in a Primary component: nothing to recover' };
      ctx.insertAfter(down.map((r) => ({
        action: 'join', serverId: r.node, args: { recover: true },
        title: `Restart ${r.node} with its recovered position${r.recovered ? ` ${r.recovered}` : ''} (rejoins by IST)`,
      })));
      return { nodes: rows, decision: `${down.map((r) => r.node).join(', ')} ${down.length > 1 ? 'rejoin' : 'rejoins'} the Primary component on ${primary.map((r) => r.node).join(', ')}` };
    }
    if (rows.some((r) => r.mariadbd === 'running')) {
      const c = promotionCandidate(ids, rows);
      if (!c || opts.auto) {
        throw new Error('no node is in a Primary component, and some still run (non-Primary): a partition or lost nodes. Automatic recovery never promotes a minority; ' +
          'if the missing nodes are gone for good, start Recover by hand to promote the most advanced survivor');
      }
      const decision = `promote ${c.node} (last committed ${c.last_committed}, the most advanced of the running nodes) to a Primary component of its own`;
      ctx.evidence({ nodes: rows.map((r) => (r === c ? { ...r, chosen: '✓' } : r)), decision });
      await ctx.confirm(`No node is in a Primary component. Promote ${c.node} (last committed ${c.last_committed}) to a new Primary component? Only do this if the other nodes are gone for good: if they come back on their own side, the cluster splits.`);
      ctx.insertAfter([{ action: 'promote', title: `Promote ${c.node} to a Primary component`, serverId: c.node }]);
      return { decision };
    }
    const choice = chooseBootstrap(ids, rows);
    if ('refuse' in choice) {
      ctx.evidence({ decision: `refused: ${choice.refuse}` });
      throw new Error(choice.refuse);
    }
    const others = rows.filter((r) => r.node !== choice.serverId);
    const decision = `bootstrap ${choice.serverId}: ${choice.why}`;
    ctx.evidence({ nodes: rows.map((r) => (r.node === choice.serverId ? { ...r, chosen: '✓' } : r)), decision });
    if (!opts.auto) {
      await ctx.confirm(`Every node is down. Bootstrap the cluster from ${choice.serverId} (${choice.why})? Then ${others.map((r) => r.node).join(', ') || 'no other node'} join it with their recovered positions.`);
    }
    ctx.insertAfter([
      { action: 'bootstrap', title: `Bootstrap ${choice.serverId} from position ${choice.position}`, serverId: choice.serverId, args: { position: choice.position } },
      ...others.map((r): StepPlan => ({
        action: 'join', title: `Start ${r.node} with its recovered position ${r.recovered ?? ''}`.trim(), serverId: r.node,
        args: r.recovered ? { position: r.recovered } : { recover: true },
      })),
    ]);
    return { decision };
  }

  return async (step: OperationStep, ctx: StepContext) => {
    const id = step.serverId ?? '';
    const args = step.args ?? {};
    switch (step.action) {
      case 'configure':
        await configure(id, args, ctx);
        return;
      case 'bootstrap':
        return start(id, { mode: 'bootstrap', ...(args['initUsers'] ? { initUsers: true } : {}), ...(str(args['position']) ? { position: str(args['position'])! } : {}) }, ctx);
      case 'join': {
        let position = str(args['position']);
        if (!position && args['recover']) {
          const facts = (await inspect(id)).facts;
          if (facts?.running) return { note: `${id} was already running` };
          position = facts?.recovered;
        }
        const sst = str(args['sstMethod']) as 'rsync' | 'mariabackup' | undefined;
        return start(id, { mode: 'join', ...(position ? { position } : {}), ...(sst ? { sstMethod: sst } : {}) }, ctx);
      }
      case 'drain': {
        await keepsMajority(id, ctx);
        return svc.drain(clusterName, id, ctx);
      }
      case 'undrain':
        await svc.undrain(clusterName, id);
        return;
      case 'restart': {
        if (str(args['base'])) await configure(id, args, ctx);
        await job(id, 'galera-stop', {}, ctx, 6 * 60_000);
        return start(id, { mode: 'join', ...(str(args['base']) ? { rollback: true } : {}) }, ctx);
      }
      case 'stop':
        await job(id, 'galera-stop', {}, ctx, 6 * 60_000);
        return;
      case 'add-member':
        await svc.deps.store.update((s) => withAudit({
          ...s, clusters: s.clusters.map((c) => (c.name === clusterName && !c.servers.includes(id) ? { ...c, servers: [...c.servers, id] } : c)),
        }, 'hub', 'cluster.update', clusterName, new Date(), { detail: `added ${id} (Galera add node)`, clusters: [clusterName], servers: [id] }));
        return;
      case 'remove-member':
        await svc.undrain(clusterName, id, false);
        await svc.deps.store.update((s) => withAudit({
          ...s, clusters: s.clusters.map((c) => (c.name === clusterName ? { ...c, servers: c.servers.filter((x) => x !== id) } : c)),
        }, 'hub', 'cluster.update', clusterName, new Date(), { detail: `removed ${id} (Galera remove node)`, clusters: [clusterName], servers: [id] }));
        return;
      case 'plan-rest': {
        const p = await svc.planNodes(clusterName);
        if (p.error) throw new Error(p.error);
        ctx.insertAfter(p.steps);
        return { planned: p.steps.length ? p.steps.map((s) => s.title).join('; ') : 'nothing more to do' };
      }
      case 'gather':
        return gather(ctx);
      case 'promote':
        await job(id, 'galera-sql', { sql: { op: 'promote' } }, ctx);
        return;
      default:
        throw new Error(`unknown step action '${step.action}'`);
    }
  };
}

