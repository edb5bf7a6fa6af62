/**
 * Gluster: pick a cluster, see its peers and every brick live (online, heal backlog, split-brain,
 * space), edit its role (volumes, brick paths, options, mount path), Plan (each command per node)
 * and Apply; expand a volume by a replica set, move a node's bricks to another node, remove a
 * peer, and resolve a split-brain file with an explicit choice that is confirmed before it runs.
 * Every change runs as an operation shown below. Changes need "apply configuration"; the role
 * needs "edit clusters".
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Cluster, GlusterClusterView, GlusterPlan, GlusterSettings, Operation } from '../../../agent/protocol/types.js';
import {
  SPLIT_BRAIN_CHOICES, type Started, applyGluster, brickState, expandGluster, planGluster, removeGlusterPeer, replaceGluster, resolveSplitBrain,
  saveGlusterRole, useGlusterViews,
} from '../gluster.js';
import { listOperations, newerOperation, onOperation } from '../operations.js';
import type { Model } from '../store.js';
import { OperationView } from './OperationView.js';

const percentText = (v: number | null) => (v === null ? '—' : `${v} %`);
const gb = (v: number | null) => (v === null ? '—' : `${(v / 1e9).toFixed(1)} GB`);

function Live({ view }: { view: GlusterClusterView }) {
  return (
    <div data-testid="gluster-live">
      <p class="uc-note" data-testid="gluster-summary"><strong>{view.summary}</strong>{view.reporter ? ` (as ${view.reporter} sees it)` : ''}</p>
      {view.peers.length > 0 && (
        <p class="uc-note" data-testid="gluster-peers">Peers: {view.peers.map((p) => `${p.serverId ?? p.hostname} ${p.connected ? 'connected' : 'disconnected'}`).join(', ')}</p>
      )}
      {view.volumes.map((v) => (
        <table class="uc-table" data-testid={`gluster-volume-${v.name}`}>
          <caption>{v.name}: {v.type}, replica {v.replica}{v.arbiter ? ` (arbiter ${v.arbiter})` : ''}{v.started ? '' : ', stopped'}</caption>
          <thead><tr><th scope="col">brick</th><th scope="col">server</th><th scope="col">state</th><th scope="col">to heal</th><th scope="col">split-brain</th><th scope="col">used</th><th scope="col">free</th></tr></thead>
          <tbody>
            {v.bricks.map((b) => (
              <tr data-testid="gluster-brick" data-server={b.serverId ?? ''} data-online={String(b.online)}>
                <td class="uc-mono">{b.name}{b.arbiter ? ' (arbiter)' : ''}</td><td>{b.serverId ?? '?'}</td>
                <td class={`uc-tone-${brickState(b).tone}`}>{brickState(b).text}</td>
                <td>{b.healPending ?? '—'}</td><td>{b.splitBrain ?? '—'}</td><td>{percentText(b.usedPct)}</td><td>{gb(b.sizeFree)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
      {view.mounts.length > 0 && <p class="uc-note" data-testid="gluster-mounts">Mounted on: {view.mounts.map((m) => `${m.serverId} ${m.path} (${m.state}${m.error ? `: ${m.error}` : ''})`).join(', ')}</p>}
    </div>
  );
}

/** The role as a form: one row per volume, the mount path for `filesystem` connections. */
function RoleForm({ cluster, onSave }: { cluster: Cluster; onSave(g: GlusterSettings | null): Promise<void> }) {
  const initial = cluster.gluster ?? { volumes: [{ name: 'vol0' }] };
  const [text, setText] = useState(() => JSON.stringify(initial, null, 2));
  useEffect(() => setText(JSON.stringify(cluster.gluster ?? { volumes: [{ name: 'vol0' }] }, null, 2)), [cluster.name]);
  const [error, setError] = useState<string>();
  const save = async () => {
    setError(undefined);
    let parsed: GlusterSettings;
    try {
      parsed = JSON.parse(text) as GlusterSettings;
    } catch (e) {
      return setError(`not JSON: ${(e as Error).message}`);
    }
    await onSave(parsed).catch((e: Error) => setError(e.message));
  };
  return (
    <details class="uc-gluster-role">
      <summary>Role settings</summary>
      <p class="uc-note">
        Volumes (<code>name</code>; <code>arbiter: true</code> for replica 2 + arbiter; <code>brickPath</code> with <code>{'{volume}'}</code>, <code>{'{server}'}</code>, <code>{'{n}'}</code>;
        per-server <code>bricks</code>; <code>options</code>; <code>force</code> for bricks on the root partition), <code>servers</code> (the first replica set),
        <code>mountPath</code> and <code>mountVolume</code> for servers connected by a <code>filesystem</code> connection.
      </p>
      <textarea class="uc-mono" rows={10} aria-label="Gluster role (JSON)" data-testid="gluster-role" value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
      <p>
        <button type="button" class="uc-secondary" onClick={save} data-testid="gluster-role-save">Save role</button>
        {cluster.gluster && <> <button type="button" class="uc-secondary" onClick={() => onSave(null).catch((e: Error) => setError(e.message))}>Remove role</button></>}
      </p>
      {error && <p class="uc-error" role="alert">{error}</p>}
    </details>
  );
}

function PlanSteps({ plan }: { plan: GlusterPlan }) {
  if (plan.state === 'none') return <p class="uc-note" data-testid="gluster-plan-none">Nothing to do: the cluster already runs this role.</p>;
  return (
    <div data-testid="gluster-plan" data-state={plan.state}>
      {plan.errors.map((e) => <p class="uc-error" role="alert">{e}</p>)}
      {plan.steps.length > 0 && (
        <table class="uc-table">
          <thead><tr><th scope="col">#</th><th scope="col">node</th><th scope="col">step</th><th scope="col">command</th></tr></thead>
          <tbody>{plan.steps.map((s, i) => <tr><td>{i + 1}</td><td>{s.serverId}</td><td>{s.title}</td><td><pre class="uc-mono uc-cmd">{s.command}</pre></td></tr>)}</tbody>
        </table>
      )}
    </div>
  );
}

export function GlusterPanel({ base, model }: { base: string; model: Model }) {
  const acl = model.user.acl;
  const views = useGlusterViews();
  const candidates = [...model.clusters.values()].filter((c) => c.gluster || (acl.editClusters && c.servers.some((id) => model.servers.get(id)?.type === 'filesystem')));
  const [cluster, setCluster] = useState<string>();
  const chosen = candidates.find((c) => c.name === cluster) ?? candidates[0];
  const [plan, setPlan] = useState<GlusterPlan>();
  const [op, setOp] = useState<Operation>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [expand, setExpand] = useState<string[]>(['', '', '']);
  const [expandVolume, setExpandVolume] = useState('');
  const [replace, setReplace] = useState({ from: '', to: '' });
  const [peer, setPeer] = useState('');
  const [choice, setChoice] = useState<Record<string, { choice: string; brick: string }>>({});
  const name = chosen?.name;

  useEffect(() => {
    setPlan(undefined);
    setOp(undefined);
    if (!name) return undefined;
    listOperations(base, name).then((ops) => setOp((cur) => cur ?? ops.find((o) => o.kind.startsWith('gluster.'))), () => {});
    return onOperation((o) => { if (o.cluster === name && o.kind.startsWith('gluster.')) setOp((cur) => newerOperation(cur, o)); });
  }, [base, name]);

  const view = name ? views[name] : undefined;
  const members = useMemo(() => (chosen?.servers ?? []).filter((id) => model.servers.get(id)?.type === 'filesystem'), [chosen, model.servers]);
  if (!candidates.length || !chosen) return null;

  const run = async (what: () => Promise<Started | GlusterPlan | void>) => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await what();
      // A started operation shows its own steps; the plan table is for Plan, and for "nothing to do".
      if (r && 'operation' in r) {
        setPlan(r.operation ? undefined : r.plan);
        if (r.operation) setOp((cur) => newerOperation(cur, r.operation!));
      } else if (r) setPlan(r);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const select = (value: string, set: (v: string) => void, label: string, options: string[], testid: string) => (
    <select aria-label={label} value={value} data-testid={testid} onChange={(e) => set((e.target as HTMLSelectElement).value)}>
      <option value="">{label}</option>
      {options.map((o) => <option value={o}>{o}</option>)}
    </select>
  );
  const volumes = view?.volumes ?? [];

  return (
    <section class="uc-card uc-gluster" aria-labelledby="uc-gluster-title" data-testid="gluster-panel">
      <h2 id="uc-gluster-title">Gluster</h2>
      <div class="uc-plan-body">
        <div class="uc-plan-bar">
          <select aria-label="Cluster" value={chosen.name} onChange={(e) => setCluster((e.target as HTMLSelectElement).value)}>
            {candidates.map((c) => <option value={c.name}>{c.name}{c.gluster ? '' : ' (no role yet)'}</option>)}
          </select>
          {acl.apply && chosen.gluster && <>
            <button type="button" class="uc-secondary" disabled={busy} onClick={() => run(() => planGluster(base, chosen.name))} data-testid="gluster-plan-make">Plan</button>
            <button type="button" class="uc-primary" disabled={busy} onClick={() => run(() => applyGluster(base, chosen.name))} data-testid="gluster-apply">Apply</button>
          </>}
        </div>
        {view ? <Live view={view} /> : chosen.gluster && <p class="uc-note">Waiting for the first status…</p>}
        {acl.editClusters && <RoleForm cluster={chosen} onSave={async (g) => { await saveGlusterRole(base, chosen.name, g); }} />}
        {error && <p class="uc-error" role="alert" data-testid="gluster-error">{error}</p>}
        {plan && <PlanSteps plan={plan} />}
        {acl.apply && chosen.gluster && volumes.length > 0 && (
          <div class="uc-gluster-actions">
            <p class="uc-plan-bar">
              Expand {select(expandVolume, setExpandVolume, 'volume', volumes.map((v) => v.name), 'gluster-expand-volume')} by a replica set on
              {expand.map((v, i) => select(v, (x) => setExpand((cur) => cur.map((c, k) => (k === i ? x : c))), `server ${i + 1}`, members, `gluster-expand-${i}`))}
              <button type="button" class="uc-secondary" disabled={busy || !expandVolume || expand.some((x) => !x)} onClick={() => run(() => expandGluster(base, chosen.name, expandVolume, expand))} data-testid="gluster-expand">Expand</button>
            </p>
            <p class="uc-plan-bar">
              Move the bricks of {select(replace.from, (from) => setReplace((r) => ({ ...r, from })), 'node', members, 'gluster-replace-from')}
              to {select(replace.to, (to) => setReplace((r) => ({ ...r, to })), 'new node', members, 'gluster-replace-to')}
              <button type="button" class="uc-secondary" disabled={busy || !replace.from || !replace.to} onClick={() => run(() => replaceGluster(base, chosen.name, replace.from, replace.to))} data-testid="gluster-replace">Replace and heal</button>
            </p>
            <p class="uc-plan-bar">
              Remove the peer {select(peer, setPeer, 'node', members, 'gluster-peer')}
              <button type="button" class="uc-secondary" disabled={busy || !peer} onClick={() => run(() => removeGlusterPeer(base, chosen.name, peer))} data-testid="gluster-remove-peer">Remove peer</button>
              <span class="uc-note"> (only once it holds no brick)</span>
            </p>
          </div>
        )}
        {volumes.filter((v) => v.splitBrainFiles.length).map((v) => (
          <div class="uc-gluster-split" data-testid={`gluster-split-${v.name}`}>
            <h3>Split-brain on {v.name}</h3>
            <ul>
              {v.splitBrainFiles.map((file) => {
                const key = `${v.name}\n${file}`;
                const c = choice[key] ?? { choice: '', brick: '' };
                const set = (next: Partial<typeof c>) => setChoice((cur) => ({ ...cur, [key]: { ...c, ...next } }));
                return (
                  <li data-testid="gluster-split-file" data-file={file}>
                    <span class="uc-mono">{file}</span>{' '}
                    {acl.apply && <>
                      <select aria-label={`How to resolve ${file}`} value={c.choice} onChange={(e) => set({ choice: (e.target as HTMLSelectElement).value })} data-testid="gluster-split-choice">
                        <option value="">choose how…</option>
                        {SPLIT_BRAIN_CHOICES.map((o) => <option value={o.value}>{o.label}</option>)}
                      </select>
                      {c.choice === 'source-brick' && select(c.brick, (brick) => set({ brick }), 'brick', v.bricks.map((b) => b.name), 'gluster-split-brick')}
                      <button type="button" class="uc-secondary" disabled={busy || !c.choice || (c.choice === 'source-brick' && !c.brick)} data-testid="gluster-split-resolve"
                        onClick={() => run(() => resolveSplitBrain(base, chosen.name, { volume: v.name, file, choice: c.choice, ...(c.choice === 'source-brick' ? { brick: c.brick } : {}) }))}>
                        Resolve…
                      </button>
                    </>}
                  </li>
                );
              })}
            </ul>
            <p class="uc-note">Resolving overwrites the other copies; you confirm the choice before anything runs, and it is written to the audit log.</p>
          </div>
        ))}
        {op && <OperationView base={base} op={op} acl={acl} />}
      </div>
    </section>
  );
}
