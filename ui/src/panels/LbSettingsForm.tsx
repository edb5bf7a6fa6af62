/**
 * A cluster's load-balancer settings: frontends, the web servers' port, the backend servers each
 * load balancer gets from the diagram (with weight and drain/maintenance), balance algorithm,
 * sticky sessions, health checks and the floating VIP. Save stores them on the hub; "Plan and
 * apply" then hands the cluster to the load-balancing panel (plan → diff → apply).
 */
import { useEffect, useState } from 'preact/hooks';
import { BALANCE_ALGORITHMS } from '../../../agent/protocol/lb.js';
import type { Cluster } from '../../../agent/protocol/types.js';
import { saveLoadBalancer } from '../edits.js';
import { type FrontendRow, type LbErrors, type LbForm, backendsOf, formFrom, settingsFrom } from '../lb-form.js';
import { requestPlan } from '../plans.js';
import type { Model } from '../store.js';

const BALANCE_LABEL: Record<(typeof BALANCE_ALGORITHMS)[number], string> = {
  roundrobin: 'round robin', leastconn: 'least connections', source: 'client address (hash)',
};

export function LbSettingsForm({ base, model, cluster }: { base: string; model: Model; cluster: Cluster }) {
  const acl = model.user.acl;
  const canEdit = acl.editClusters;
  const [f, setF] = useState<LbForm>(() => formFrom(cluster.loadBalancer));
  const [errors, setErrors] = useState<LbErrors>({});
  const [status, setStatus] = useState<{ text: string; error?: boolean }>();
  const [busy, setBusy] = useState(false);
  const [dirty, setDirty] = useState(false);
  // Another user's save (or this one's, echoed by the hub) refreshes the form unless it is being edited.
  useEffect(() => { if (!dirty) setF(formFrom(cluster.loadBalancer)); }, [cluster.loadBalancer]);
  useEffect(() => { setDirty(false); setErrors({}); setStatus(undefined); setF(formFrom(cluster.loadBalancer)); }, [cluster.name]);

  const set = (patch: Partial<LbForm>) => { setF({ ...f, ...patch }); setDirty(true); };
  const setRow = (i: number, patch: Partial<FrontendRow>) => set({ frontends: f.frontends.map((r, j) => (i === j ? { ...r, ...patch } : r)) });
  const backends = backendsOf(cluster, model.servers, model.connections.values());
  const backendServers = [...new Set([...backends.values()].flat())].sort();
  const backendNames = ['web', ...(cluster.loadBalancer?.backends ?? []).map((b) => b.name)];

  const save = async (andPlan: boolean) => {
    const r = settingsFrom(f, cluster.loadBalancer);
    if (!r.ok) { setErrors(r.errors); setStatus({ text: 'Nothing was saved: see the marked fields.', error: true }); return; }
    setErrors({});
    setBusy(true);
    try {
      await saveLoadBalancer(base, cluster.name, r.settings);
      setDirty(false);
      setStatus({ text: andPlan ? 'Saved. Planning…' : 'Saved. Plan and apply to put it on the load balancers.' });
      if (andPlan) requestPlan(cluster.name);
    } catch (e) {
      setStatus({ text: e instanceof Error ? e.message : String(e), error: true });
    } finally { setBusy(false); }
  };

  const err = (k: string) => errors[k] && <span class="uc-field-error" data-testid={`lb-error-${k}`}>{errors[k]}</span>;
  const text = (k: keyof LbForm, label: string, placeholder = '', testid = `lb-${k}`) => (
    <label class="uc-field">{label}
      <input data-testid={testid} value={f[k] as string} placeholder={placeholder} disabled={!canEdit} aria-invalid={errors[k] ? 'true' : undefined}
        onInput={(e) => set({ [k]: (e.target as HTMLInputElement).value } as Partial<LbForm>)} />
      {err(k)}
    </label>
  );

  return (
    <div class="uc-lbform" data-testid="lb-settings">
      <h3>Frontends</h3>
      <table class="uc-table uc-compact">
        <thead><tr><th>Name</th><th>Address</th><th>Port</th><th>Mode</th><th>Backend</th>{canEdit && <th />}</tr></thead>
        <tbody>{f.frontends.map((r, i) => (
          <tr data-testid={`lb-frontend-${i}`}>
            <td><input aria-label="Frontend name" data-field="name" value={r.name} disabled={!canEdit} onInput={(e) => setRow(i, { name: (e.target as HTMLInputElement).value })} />{err(`frontends.${i}.name`)}</td>
            <td><input aria-label="Frontend address" data-field="address" value={r.address} placeholder="every address" disabled={!canEdit} onInput={(e) => setRow(i, { address: (e.target as HTMLInputElement).value })} />{err(`frontends.${i}.address`)}</td>
            <td><input aria-label="Frontend port" data-field="port" class="uc-narrow" value={r.port} disabled={!canEdit} onInput={(e) => setRow(i, { port: (e.target as HTMLInputElement).value })} />{err(`frontends.${i}.port`)}</td>
            <td><select aria-label="Frontend mode" data-field="mode" value={r.mode} disabled={!canEdit} onChange={(e) => setRow(i, { mode: (e.target as HTMLSelectElement).value as 'http' | 'tcp' })}><option>http</option><option>tcp</option></select></td>
            <td><select aria-label="Frontend backend" data-field="backend" value={r.backend} disabled={!canEdit} onChange={(e) => setRow(i, { backend: (e.target as HTMLSelectElement).value })}>{backendNames.map((b) => <option>{b}</option>)}</select></td>
            {canEdit && <td><button type="button" class="uc-secondary uc-danger" aria-label={`Remove frontend ${r.name}`} onClick={() => set({ frontends: f.frontends.filter((_, j) => j !== i) })}>×</button></td>}
          </tr>
        ))}</tbody>
      </table>
      {err('frontends')}
      {canEdit && <button type="button" class="uc-secondary" data-testid="lb-add-frontend" onClick={() => set({ frontends: [...f.frontends, { name: `fe${f.frontends.length + 1}`, address: '', port: '', mode: 'http', backend: 'web' }] })}>Add a frontend</button>}

      <h3>Backend servers</h3>
      <p class="uc-note">From the diagram: the cluster's web servers, plus every server a load balancer has an <b>http</b> connection to (draw one to add a server, delete it to drain and remove it).</p>
      {[...backends].map(([lb, ids]) => <p class="uc-note" data-testid={`lb-backends-${lb}`}><b>{lb}</b>: {ids.join(', ') || 'none yet'}</p>)}
      {!backends.size && <p class="uc-note" data-testid="lb-no-balancer">The cluster has no server of type load balancer.</p>}
      {backendServers.length > 0 && (
        <table class="uc-table uc-compact">
          <thead><tr><th>Server</th><th>Weight</th><th>State</th></tr></thead>
          <tbody>{backendServers.map((id) => {
            const o = f.servers[id] ?? { weight: '10', state: 'ready' as const };
            const put = (patch: Partial<typeof o>) => set({ servers: { ...f.servers, [id]: { ...o, ...patch } } });
            return (
              <tr data-testid={`lb-server-${id}`}>
                <th>{id}</th>
                <td><input aria-label={`Weight of ${id}`} class="uc-narrow" value={o.weight} disabled={!canEdit} onInput={(e) => put({ weight: (e.target as HTMLInputElement).value })} />{err(`servers.${id}`)}</td>
                <td><select aria-label={`State of ${id}`} value={o.state} disabled={!canEdit} onChange={(e) => put({ state: (e.target as HTMLSelectElement).value as typeof o.state })}>
                  <option value="ready">ready</option><option value="drain">drain (no new sessions)</option><option value="maint">maintenance</option>
                </select></td>
              </tr>
            );
          })}</tbody>
        </table>
      )}

      <h3>Balancing</h3>
      <div class="uc-form-grid uc-flush">
        {text('serverPort', 'Web servers\' port')}
        <label class="uc-field">Algorithm
          <select data-testid="lb-balance" value={f.balance} disabled={!canEdit} onChange={(e) => set({ balance: (e.target as HTMLSelectElement).value as LbForm['balance'] })}>
            {BALANCE_ALGORITHMS.map((b) => <option value={b}>{BALANCE_LABEL[b]}</option>)}
          </select>
        </label>
        <label class="uc-field">Sticky sessions
          <select data-testid="lb-sticky" value={f.sticky} disabled={!canEdit} onChange={(e) => set({ sticky: (e.target as HTMLSelectElement).value as LbForm['sticky'] })}>
            <option value="none">off</option><option value="cookie">by cookie (http)</option><option value="source">by client address</option>
          </select>
        </label>
        {f.sticky === 'cookie' && text('cookie', 'Cookie name', 'UCSRV')}
      </div>

      <h3>Health checks</h3>
      <div class="uc-form-grid uc-flush">
        <label class="uc-field uc-check"><input type="checkbox" data-testid="lb-checks" checked={f.checks} disabled={!canEdit} onChange={(e) => set({ checks: (e.target as HTMLInputElement).checked })} /> Check every server</label>
        {f.checks && <>
          {text('checkPath', 'Path (http)', '/')}
          {text('checkInterval', 'Every (seconds)', '1')}
          {text('checkFall', 'Down after failures', '2')}
          {text('checkRise', 'Up after successes', '2')}
        </>}
      </div>

      <h3>Floating address (VIP)</h3>
      <div class="uc-form-grid uc-flush">
        {text('vipAddress', 'Address', 'none')}
        {text('vipInterface', 'Interface', 'eth0')}
        {text('vipPrefix', 'Prefix length', '32')}
      </div>

      {status && <p class={status.error ? 'uc-error' : 'uc-ok'} role="status" data-testid="lb-status">{status.text}</p>}
      <div class="uc-form-actions">
        {canEdit && <button type="button" class="uc-secondary" data-testid="lb-save" disabled={busy} onClick={() => save(false)}>Save</button>}
        {canEdit && acl.apply && <button type="button" class="uc-primary" data-testid="lb-save-plan" disabled={busy} onClick={() => save(true)}>Save, then plan and apply…</button>}
        {!canEdit && acl.apply && cluster.loadBalancer && <button type="button" class="uc-primary" data-testid="lb-plan" onClick={() => requestPlan(cluster.name)}>Plan and apply…</button>}
      </div>
    </div>
  );
}
