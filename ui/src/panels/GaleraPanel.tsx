/**
 * MariaDB Galera: pick a cluster with database servers; see each node live (state, Primary,
 * last committed, flow control, receive queue, what HAProxy is told); edit the Galera settings
 * (with the "edit clusters" permission); Plan (each node's diff and the ordered steps) and Apply,
 * add or remove a node, rolling restart and Recover (with the "apply configuration" permission).
 * The cluster's latest Galera operation shows below with its steps, its evidence (a recovery's
 * table of each node's grastate.dat and recovered position) and, while it asks, Confirm.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Cluster, GaleraClusterStatus, GaleraPlan, GaleraSettings, Operation } from '../../../agent/protocol/types.js';
import {
  addGaleraNode, applyGalera, getGalera, onGaleraStatus, optionsText, parseOptions, planGalera, recoverGalera, removeGaleraNode, rollingRestart,
  saveGaleraSettings,
} from '../galera.js';
import { nodeText, stateTone } from '../galera-marks.js';
import { isUnfinished, listOperations, onOperation, upsertOperation } from '../operations.js';
import type { Model } from '../store.js';
import { Diff } from './Diff.js';
import { OperationView } from './OperationView.js';

const pct = (x: number | undefined) => (x === undefined ? '—' : `${Math.round(x * 1000) / 10} %`);

function LiveTable({ status, canRemove, onRemove }: { status: GaleraClusterStatus; canRemove: boolean; onRemove(id: string): void }) {
  return (
    <table class="uc-table" data-testid="galera-nodes">
      <thead><tr><th scope="col">Node</th><th scope="col">State</th><th scope="col">Cluster</th><th scope="col">Last committed</th><th scope="col">Flow control</th><th scope="col">Receive queue</th><th scope="col">HAProxy</th>{canRemove && <th />}</tr></thead>
      <tbody>
        {status.nodes.map((n) => (
          <tr data-testid={`galera-node-${n.serverId}`} data-tone={stateTone(n.status, n.stale)}>
            <th scope="row">{n.serverId}{status.writer === n.serverId ? ' (writer)' : ''}</th>
            <td data-testid="galera-state">{nodeText(n.status, n.stale).split(' · ')[0]}</td>
            <td>{n.status?.running ? `${n.status.primary ? 'Primary' : 'non-Primary'}, ${n.status.clusterSize ?? '?'} nodes` : '—'}</td>
            <td>{n.status?.lastCommitted ?? '—'}</td>
            <td>{pct(n.status?.flowControlPaused)}</td>
            <td>{n.status?.recvQueue ?? '—'}</td>
            <td>{n.backend ?? '—'}</td>
            {canRemove && <td><button type="button" class="uc-ghost-dark" onClick={() => onRemove(n.serverId)} data-testid={`galera-remove-${n.serverId}`}>Remove…</button></td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Settings({ base, cluster, onSaved }: { base: string; cluster: Cluster; onSaved(msg: string, error?: boolean): void }) {
  const g = cluster.galera ?? {};
  const members = cluster.servers;
  const [form, setForm] = useState({
    clusterName: g.clusterName ?? '', sstMethod: g.sstMethod ?? 'mariabackup', gcacheSize: g.gcacheSize ?? '128M', flush: String(g.flushLogAtTrxCommit ?? 1),
    slaveThreads: String(g.slaveThreads ?? 2), writer: g.writer ?? '', autoRecover: g.autoRecover ?? false, options: optionsText(g.options),
  });
  useEffect(() => setForm((f) => ({ ...f, autoRecover: g.autoRecover ?? false })), [g.autoRecover]);
  const set = (k: keyof typeof form) => (e: Event) => {
    const el = e.target as HTMLInputElement;
    setForm({ ...form, [k]: el.type === 'checkbox' ? el.checked : el.value });
  };
  const save = async (e: Event) => {
    e.preventDefault();
    const options = parseOptions(form.options);
    if (typeof options === 'string') return onSaved(`Options: ${options}`, true);
    const next: GaleraSettings = {
      sstMethod: form.sstMethod as GaleraSettings['sstMethod'] & string, gcacheSize: form.gcacheSize, flushLogAtTrxCommit: Number(form.flush) as 1 | 2,
      slaveThreads: Number(form.slaveThreads), autoRecover: form.autoRecover, options,
      ...(form.clusterName ? { clusterName: form.clusterName } : {}), ...(form.writer ? { writer: form.writer } : {}),
    };
    try {
      await saveGaleraSettings(base, cluster.name, next);
      onSaved('Settings saved. Plan to see what they change.');
    } catch (err) {
      onSaved((err as Error).message, true);
    }
  };
  return (
    <form class="uc-galera-settings" onSubmit={save} data-testid="galera-settings">
      <label>Cluster name <input value={form.clusterName} placeholder={cluster.name} onInput={set('clusterName')} /></label>
      <label>SST method <select value={form.sstMethod} onChange={set('sstMethod')}><option value="mariabackup">mariabackup (the donor keeps serving)</option><option value="rsync">rsync (the donor blocks)</option></select></label>
      <label>gcache size <input value={form.gcacheSize} onInput={set('gcacheSize')} size={6} /></label>
      <label>innodb_flush_log_at_trx_commit <select value={form.flush} onChange={set('flush')}><option value="1">1 (safest)</option><option value="2">2</option></select></label>
      <label>Applier threads <input type="number" min={1} max={64} value={form.slaveThreads} onInput={set('slaveThreads')} /></label>
      <label>Writer <select value={form.writer} onChange={set('writer')}><option value="">first database server</option>{members.map((m) => <option value={m}>{m}</option>)}</select></label>
      <label class="uc-check"><input type="checkbox" checked={form.autoRecover} onChange={set('autoRecover')} data-testid="galera-auto-recover" /> Recover automatically (restart a crashed node; after every node went down, bootstrap the most advanced one without asking)</label>
      <label class="uc-wide">More [mysqld] options, one <code>option=value</code> a line (checked by mariadbd when planned)<textarea rows={3} value={form.options} onInput={set('options')} class="uc-mono" /></label>
      <p><button type="submit" class="uc-secondary" data-testid="galera-save">Save settings</button></p>
    </form>
  );
}

function PlanView({ plan }: { plan: GaleraPlan }) {
  return (
    <div class="uc-galera-plan" data-testid="galera-plan">
      {plan.error && <p class="uc-error" role="alert" data-testid="galera-plan-error">{plan.error}</p>}
      {!plan.error && (plan.steps.length
        ? <ol class="uc-plan-steps" data-testid="galera-plan-steps">{plan.steps.map((s) => <li>{s.title}</li>)}</ol>
        : <p class="uc-note" data-testid="galera-plan-steps">Every node is already as planned: Apply changes nothing.</p>)}
      {plan.nodes.map((n) => (
        <div class="uc-plan-node" data-testid={`galera-plan-node-${n.serverId}`}>
          <h3>{n.serverId} <span class="uc-plan-state">{n.error ? 'invalid' : n.file?.restart ? 'restart' : n.file?.diff ? 'file only' : 'no change'}</span></h3>
          {n.error && <p class="uc-error">{n.error}</p>}
          {n.file && <><p class="uc-note">{n.file.path}</p><Diff text={n.file.diff} /></>}
        </div>
      ))}
    </div>
  );
}

export function GaleraPanel({ base, model }: { base: string; model: Model }) {
  const acl = model.user.acl;
  const clusters = [...model.clusters.values()].filter((c) => c.galera || c.servers.some((id) => model.servers.get(id)?.type === 'database'));
  const [chosen, setChosen] = useState<string>();
  const name = chosen && clusters.some((c) => c.name === chosen) ? chosen : clusters.find((c) => c.galera)?.name ?? clusters[0]?.name;
  const cluster = name ? model.clusters.get(name) : undefined;
  const [status, setStatus] = useState<Record<string, GaleraClusterStatus>>({});
  const [ops, setOps] = useState<Operation[]>([]);
  const [plan, setPlan] = useState<GaleraPlan>();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ text: string; error?: boolean }>();
  const [adding, setAdding] = useState('');
  useEffect(() => onGaleraStatus((s) => setStatus((cur) => ({ ...cur, [s.cluster]: s }))), []);
  useEffect(() => onOperation((o) => setOps((cur) => upsertOperation(cur, o))), []);
  useEffect(() => {
    if (!name || !cluster?.galera) return;
    getGalera(base, name).then((s) => setStatus((cur) => ({ ...cur, [name]: cur[name] ?? s })), () => {});
    listOperations(base, name).then((list) => setOps((cur) => list.reduce(upsertOperation, cur)), () => {});
    setPlan(undefined);
  }, [base, name, !!cluster?.galera]);
  if (!clusters.length || !cluster) return null;

  const run = async (what: () => Promise<unknown>, ok?: string) => {
    setBusy(true);
    setNotice(undefined);
    try {
      await what();
      if (ok) setNotice({ text: ok });
    } catch (e) {
      setNotice({ text: e instanceof Error ? e.message : String(e), error: true });
    } finally {
      setBusy(false);
    }
  };
  const live = status[cluster.name];
  const op = ops.find((o) => o.cluster === cluster.name && o.kind.startsWith('galera.'));
  const running = !!op && isUnfinished(op);
  const candidates = [...model.servers.values()].filter((s) => s.type === 'database' && !cluster.servers.includes(s.id));
  const may = acl.apply;

  return (
    <section class="uc-card uc-plan" aria-labelledby="uc-galera-title" data-testid="galera-panel">
      <h2 id="uc-galera-title">MariaDB Galera</h2>
      <div class="uc-plan-body">
        <div class="uc-plan-bar">
          <select aria-label="Galera cluster" value={cluster.name} onChange={(e) => setChosen((e.target as HTMLSelectElement).value)} data-testid="galera-cluster">
            {clusters.map((c) => <option value={c.name}>{c.name}</option>)}
          </select>
          {live && <strong class={`uc-galera-summary uc-tone-${live.tone}`} data-testid="galera-summary">{live.summary}</strong>}
          {!cluster.galera && <span class="uc-note">This cluster has no Galera role yet: save settings to give it one.</span>}
        </div>
        {live && <LiveTable status={live} canRemove={may && !running} onRemove={(id) => {
          if (confirm(`Remove ${id} from ${cluster.name}? It leaves the cluster cleanly; its data stays.`)) void run(() => removeGaleraNode(base, cluster.name, id));
        }} />}
        {may && cluster.galera && (
          <div class="uc-plan-bar">
            <button type="button" class="uc-secondary" disabled={busy || running} onClick={() => run(async () => setPlan(await planGalera(base, cluster.name)))} data-testid="galera-plan-make">Plan</button>
            {plan && <button type="button" class="uc-primary" disabled={busy || running || !!plan.error} onClick={() => run(async () => { await applyGalera(base, cluster.name, plan.id); setPlan(undefined); })} data-testid="galera-apply">Apply</button>}
            <button type="button" class="uc-secondary" disabled={busy || running} onClick={() => confirm(`Restart every node of ${cluster.name}, one at a time?`) && run(() => rollingRestart(base, cluster.name))} data-testid="galera-rolling-restart">Rolling restart</button>
            <button type="button" class="uc-secondary" disabled={busy || running} onClick={() => run(() => recoverGalera(base, cluster.name))} data-testid="galera-recover">Recover</button>
            {candidates.length > 0 && <>
              <select aria-label="Database server to add" value={adding} onChange={(e) => setAdding((e.target as HTMLSelectElement).value)}>
                <option value="">add a node…</option>{candidates.map((s) => <option value={s.id}>{s.id}</option>)}
              </select>
              <button type="button" class="uc-secondary" disabled={busy || running || !adding} onClick={() => run(() => addGaleraNode(base, cluster.name, adding))} data-testid="galera-add">Add node</button>
            </>}
          </div>
        )}
        {notice && <p class={notice.error ? 'uc-error' : 'uc-ok'} role="status">{notice.text}</p>}
        {plan && <PlanView plan={plan} />}
        {op && <OperationView base={base} op={op} acl={acl} />}
        {acl.editClusters && <details class="uc-galera-settings-box" open={!cluster.galera}><summary>Settings</summary><Settings key={cluster.name} base={base} cluster={cluster} onSaved={(text, error) => setNotice({ text, ...(error ? { error } : {}) })} /></details>}
      </div>
    </section>
  );
}
