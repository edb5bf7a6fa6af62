/**
 * Load balancing: pick a cluster with load-balancer settings, Plan (each load balancer renders,
 * validates and diffs), read the diff per node, Apply; each node's progress streams in over the
 * live socket, as do the VIP holder and the backend servers' states. Shown only to users with the "apply configuration" permission.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { LbClusterStatus, PlanView } from '../../../agent/protocol/types.js';
import { CHANGE_LABELS, applyPlan, createPlan, onLbStatus, onPlan, onPlanRequest, vipLine } from '../plans.js';
import type { Model } from '../store.js';
import { Diff } from './Diff.js';

function Node({ node }: { node: PlanView['nodes'][number] }) {
  return (
    <div class="uc-plan-node" data-testid={`plan-node-${node.serverId}`} data-state={node.state}>
      <h3>{node.serverId} <span class="uc-plan-state">{node.state}</span></h3>
      {node.error && <p class="uc-error" role="alert">{node.error}</p>}
      {node.files.map((f) => (
        <div class="uc-plan-file">
          <p class="uc-note"><strong>{f.applier}</strong> {f.path}: {CHANGE_LABELS[f.change]}</p>
          {f.steps?.length ? <ul class="uc-note">{f.steps.map((s) => <li>{s}</li>)}</ul> : null}
          <Diff text={f.diff} />
        </div>
      ))}
      {node.steps.length > 0 && <ol class="uc-plan-steps" data-testid="plan-steps">{node.steps.map((s) => <li>{s}</li>)}</ol>}
    </div>
  );
}

/** Live: who holds the VIP and each load balancer's backend servers as HAProxy sees them. */
function LiveStatus({ status }: { status: LbClusterStatus }) {
  const vip = vipLine(status);
  return (
    <div class="uc-lb-live" data-testid="lb-live">
      {vip && <p class="uc-note" data-testid="lb-vip"><strong>{vip}</strong></p>}
      {status.nodes.map((n) => (
        <p class="uc-note" data-testid={`lb-servers-${n.serverId}`}>
          {n.serverId}{n.stale ? ' (no recent report)' : ''}: {n.servers.map((s) => `${s.backend}/${s.server} ${s.status} w${s.weight}`).join(', ') || 'no servers'}
        </p>
      ))}
    </div>
  );
}

export function PlanPanel({ base, model }: { base: string; model: Model }) {
  const clusters = [...model.clusters.values()].filter((c) => c.loadBalancer);
  const [cluster, setCluster] = useState<string>();
  const [plan, setPlan] = useState<PlanView>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [live, setLive] = useState<Record<string, LbClusterStatus>>({});
  const chosen = cluster ?? clusters[0]?.name;
  useEffect(() => onPlan((p) => setPlan((cur) => (cur?.id === p.id ? p : cur))), []);
  useEffect(() => onLbStatus((s) => setLive((cur) => ({ ...cur, [s.cluster]: s }))), []);
  const run = async (what: () => Promise<PlanView>) => {
    setBusy(true);
    setError(undefined);
    try {
      setPlan(await what());
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const section = useRef<HTMLElement>(null);
  // A cluster's panel hands a cluster over: choose it, plan it and show the plan.
  useEffect(() => onPlanRequest((name) => {
    setCluster(name);
    void run(() => createPlan(base, name));
    setTimeout(() => section.current?.scrollIntoView({ behavior: 'smooth', block: 'start' }), 0);
  }), [base]);
  if (!clusters.length) return null;

  return (
    <section class="uc-card uc-plan" aria-labelledby="uc-plan-title" data-testid="plan-panel" ref={section}>
      <h2 id="uc-plan-title">Load balancing</h2>
      <div class="uc-plan-body">
        <div class="uc-plan-bar">
          <select aria-label="Cluster" value={chosen} onChange={(e) => { setCluster((e.target as HTMLSelectElement).value); setPlan(undefined); }}>
            {clusters.map((c) => <option value={c.name}>{c.name}</option>)}
          </select>
          <button type="button" class="uc-secondary" disabled={busy || !chosen} onClick={() => run(() => createPlan(base, chosen!))} data-testid="plan-make">Plan</button>
          {plan && (
            <button type="button" class="uc-primary" disabled={busy || plan.state !== 'planned'} onClick={() => run(() => applyPlan(base, plan.id))} data-testid="plan-apply">
              Apply
            </button>
          )}
          {plan && <span class="uc-note" data-testid="plan-state">Plan {plan.state}{plan.applyMs !== undefined ? ` in ${plan.applyMs} ms` : ''}</span>}
        </div>
        {chosen && live[chosen] && <LiveStatus status={live[chosen]!} />}
        {error && <p class="uc-error" role="alert">{error}</p>}
        {plan?.nodes.map((n) => <Node node={n} />)}
      </div>
    </section>
  );
}
