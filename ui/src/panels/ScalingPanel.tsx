/**
 * Scaling of a cluster, for users with the "scale" permission: the Auto Scaling binding (group,
 * region, optional pasted credentials, never shown back) and the user data for its launch
 * template; the policy; the group's instances with scale-in protection; what the policy sees and
 * would do (preview); the decision log; and a scale-in by hand, planned first (dry run), then run
 * as an operation whose steps stream in.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Acl, Operation, ScalingView } from '../../../agent/protocol/types.js';
import { onOperation, upsertOperation } from '../operations.js';
import {
  bindGroup, figuresText, formFromPolicy, getScaling, makeUserData, onScaling, policyFromForm, previewScaling, readingLine, scaleIn, setPolicy, setProtection, unbindGroup,
} from '../scaling.js';
import type { Model } from '../store.js';
import { OperationView } from './OperationView.js';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const when = (iso: string) => new Date(iso).toLocaleTimeString();

function Field({ label, name, form, set, type = 'text', help }: { label: string; name: string; form: Record<string, string | boolean>; set(k: string, v: string | boolean): void; type?: string; help?: string }) {
  return (
    <label class="uc-field">
      <span>{label}</span>
      {type === 'checkbox'
        ? <input type="checkbox" name={name} checked={form[name] === true} onChange={(e) => set(name, (e.target as HTMLInputElement).checked)} />
        : <input type={type} name={name} value={String(form[name] ?? '')} onInput={(e) => set(name, (e.target as HTMLInputElement).value)} />}
      {help && <small class="uc-note">{help}</small>}
    </label>
  );
}

function Binding({ base, cluster, view, acl, onView }: { base: string; cluster: string; view: ScalingView; acl: Acl; onView(v: ScalingView): void }) {
  const [form, setForm] = useState<Record<string, string>>({ groupName: '', region: 'us-east-1', accessKeyId: '', secretAccessKey: '' });
  const [userData, setUserData] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const run = async (what: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try { await what(); } catch (e) { setError(message(e)); } finally { setBusy(false); }
  };
  const b = view.binding;
  return (
    <div class="uc-scaling-binding" data-testid="scaling-binding">
      {b ? (
        <p class="uc-note" data-testid="scaling-bound">
          Bound to Auto Scaling group <strong>{b.groupName}</strong> in {b.region} (credentials: {b.credentials === 'stored' ? 'stored on the hub' : "the SDK's default chain"})
          {view.group && <> — desired <strong data-testid="scaling-desired">{view.group.desired}</strong> (group {view.group.min}–{view.group.max})</>}{' '}
          <button type="button" class="uc-secondary" disabled={busy} onClick={() => confirm(`Unbind ${cluster} from ${b.groupName}? The group keeps running.`) && run(async () => { await unbindGroup(base, cluster); onView(await getScaling(base, cluster)); })}>Unbind</button>
        </p>
      ) : (
        <form class="uc-form-grid" onSubmit={(e) => { e.preventDefault(); void run(async () => {
          const creds = form['accessKeyId'] ? { credentials: { accessKeyId: form['accessKeyId']!, secretAccessKey: form['secretAccessKey']! } } : {};
          onView(await bindGroup(base, cluster, { groupName: form['groupName']!, region: form['region']!, ...creds }));
          setForm({ ...form, secretAccessKey: '' });
        }); }}>
          {(['groupName', 'region', 'accessKeyId', 'secretAccessKey'] as const).map((k) => (
            <label class="uc-field"><span>{{ groupName: 'Auto Scaling group', region: 'Region', accessKeyId: 'Access key (optional)', secretAccessKey: 'Secret key (optional)' }[k]}</span>
              <input name={k} type={k === 'secretAccessKey' ? 'password' : 'text'} autocomplete="off" value={form[k]} onInput={(e) => setForm({ ...form, [k]: (e.target as HTMLInputElement).value })} /></label>
          ))}
          <div class="uc-form-actions"><button type="submit" class="uc-primary" disabled={busy} data-testid="scaling-bind">Bind</button></div>
        </form>
      )}
      {acl.enroll && (
        <p>
          <button type="button" class="uc-secondary" disabled={busy} data-testid="scaling-user-data" onClick={() => run(async () => setUserData((await makeUserData(base, cluster)).snippet))}>Make user data for the launch template</button>
        </p>
      )}
      {userData && <>
        <p class="uc-note"><strong>Shown only once:</strong> put this in the group's launch template (user data); each instance joins {cluster} with it.</p>
        <textarea class="uc-mono uc-userdata" readOnly rows={6} value={userData} data-testid="scaling-user-data-text" onFocus={(e) => e.currentTarget.select()} />
      </>}
      {error && <p class="uc-error" role="alert">{error}</p>}
    </div>
  );
}

export function ScalingPanel({ base, model }: { base: string; model: Model }) {
  const clusters = [...model.clusters.keys()].sort();
  const [cluster, setCluster] = useState<string>();
  const chosen = cluster ?? clusters[0];
  const [view, setView] = useState<ScalingView>();
  const [form, setForm] = useState<Record<string, string | boolean>>(formFromPolicy(undefined));
  const [note, setNote] = useState<{ text: string; error?: boolean }>();
  const [plan, setPlan] = useState<Operation>();
  const [ops, setOps] = useState<Operation[]>([]);
  const [busy, setBusy] = useState(false);
  const acl = model.user.acl;

  useEffect(() => {
    if (!chosen) return;
    let live = true;
    setView(undefined);
    setPlan(undefined);
    getScaling(base, chosen).then((v) => { if (live) { setView(v); setForm(formFromPolicy(v.policy)); } }, (e: unknown) => live && setNote({ text: message(e), error: true }));
    return () => { live = false; };
  }, [base, chosen]);
  useEffect(() => onScaling((v) => { if (v.cluster === chosen) setView(v); }), [chosen]);
  useEffect(() => onOperation((op) => { if (op.cluster === chosen && op.kind === 'scale.in') setOps((cur) => upsertOperation(cur, op)); }), [chosen]);
  if (!chosen) return null;

  const act = async (what: () => Promise<string | void>) => {
    setBusy(true);
    setNote(undefined);
    try {
      const text = await what();
      if (text) setNote({ text });
    } catch (e) {
      setNote({ text: message(e), error: true });
    } finally {
      setBusy(false);
    }
  };
  const set = (k: string, v: string | boolean) => setForm({ ...form, [k]: v });
  const members = new Set(model.clusters.get(chosen)?.servers ?? []);
  const current = ops.find((o) => o.state === 'running' || o.state === 'waiting') ?? ops[0];

  return (
    <section class="uc-card uc-scaling" aria-labelledby="uc-scaling-title" data-testid="scaling-panel">
      <div class="uc-card-head">
        <h2 id="uc-scaling-title">Scaling</h2>
        <select aria-label="Cluster" value={chosen} onChange={(e) => setCluster((e.target as HTMLSelectElement).value)} data-testid="scaling-cluster">
          {clusters.map((c) => <option value={c}>{c}</option>)}
        </select>
      </div>
      {view && <div class="uc-scaling-body">
        <Binding base={base} cluster={chosen} view={view} acl={acl} onView={setView} />
        <form class="uc-form" onSubmit={(e) => { e.preventDefault(); void act(async () => { setView(await setPolicy(base, chosen, policyFromForm(form))); return 'Policy saved.'; }); }} data-testid="scaling-policy">
          <h3>Policy</h3>
          <div class="uc-form-grid">
            <Field label="Minimum" name="min" form={form} set={set} type="number" />
            <Field label="Maximum" name="max" form={form} set={set} type="number" />
            <Field label="Desired (once, optional)" name="desired" form={form} set={set} type="number" />
            <label class="uc-field"><span>Target tracking on</span>
              <select name="metric" value={String(form['metric'])} onChange={(e) => set('metric', (e.target as HTMLSelectElement).value)}>
                <option value="cpu">average CPU %</option><option value="mem">average memory %</option><option value="sessions">HAProxy sessions per server</option>
              </select></label>
            <Field label="Target (empty: none)" name="target" form={form} set={set} type="number" />
            <Field label="Period (s)" name="periodSeconds" form={form} set={set} type="number" help="default 60" />
            <Field label="Warm-up (s)" name="warmupSeconds" form={form} set={set} type="number" help="default 120" />
            <Field label="Scale-out cooldown (s)" name="scaleOutCooldownSeconds" form={form} set={set} type="number" help="default 120" />
            <Field label="Scale-in cooldown (s)" name="scaleInCooldownSeconds" form={form} set={set} type="number" help="default 300" />
            <Field label="Drain timeout (s)" name="drainTimeoutSeconds" form={form} set={set} type="number" help="default 60" />
            <Field label="Enabled" name="enabled" form={form} set={set} type="checkbox" />
            <Field label="Dry run (log only)" name="dryRun" form={form} set={set} type="checkbox" />
          </div>
          <div class="uc-form-grid">
            <label class="uc-field uc-field-wide"><span>Step rules (JSON)</span>
              <textarea class="uc-mono" rows={2} name="steps" value={String(form['steps'])} placeholder='[{"metric":"cpu","when":"above","threshold":85,"forSeconds":120,"change":2}]' onInput={(e) => set('steps', (e.target as HTMLTextAreaElement).value)} /></label>
            <label class="uc-field uc-field-wide"><span>Scheduled capacity (JSON)</span>
              <textarea class="uc-mono" rows={2} name="scheduled" value={String(form['scheduled'])} placeholder='[{"name":"business-hours","cron":"0 8 * * 1-5","timeZone":"Europe/Berlin","min":3}]' onInput={(e) => set('scheduled', (e.target as HTMLTextAreaElement).value)} /></label>
          </div>
          <div class="uc-form-actions">
            <button type="button" class="uc-secondary" disabled={busy || !view.policy || !view.binding} data-testid="scaling-preview" onClick={() => act(async () => {
              const p = await previewScaling(base, chosen);
              return p.proposal ? `Would ${p.proposal.action} from ${p.proposal.from} to ${p.proposal.to}: ${p.proposal.reason}` : `Would do nothing now${p.hold ? `: ${p.hold}` : ''}.`;
            })}>Preview (dry run)</button>
            <button type="submit" class="uc-primary" disabled={busy} data-testid="scaling-save">Save policy</button>
          </div>
        </form>
        {note && <p class={note.error ? 'uc-error' : 'uc-ok'} role="status" data-testid="scaling-note">{note.text}</p>}
        {view.error && <p class="uc-error" role="alert" data-testid="scaling-error">{view.error}</p>}
        {readingLine(view) && <p class="uc-note" data-testid="scaling-reading">Now: {readingLine(view)}{view.hold ? ` — ${view.hold}` : ''}</p>}
        {view.override && <p class="uc-note">Scheduled action <strong>{view.override.name}</strong> in force since {when(view.override.at)}.</p>}
        {view.group && (
          <table class="uc-table" data-testid="scaling-instances">
            <caption>Instances</caption>
            <thead><tr><th scope="col">Instance</th><th scope="col">Server</th><th scope="col">State</th><th scope="col">Health</th><th scope="col">Protected from scale-in</th></tr></thead>
            <tbody>{view.group.instances.map((i) => (
              <tr>
                <td class="uc-mono">{i.instanceId}</td><td>{i.serverId ?? '—'}</td><td>{i.lifecycle}</td><td>{i.health}</td>
                <td>{i.serverId && members.has(i.serverId) && view.policy
                  ? <input type="checkbox" aria-label={`Protect ${i.serverId}`} checked={(view.policy.protectedServers ?? []).includes(i.serverId)} disabled={busy}
                    onChange={(e) => act(async () => { setView(await setProtection(base, chosen, i.serverId!, (e.target as HTMLInputElement).checked)); })} />
                  : i.protected ? 'yes (in the group)' : '—'}</td>
              </tr>
            ))}</tbody>
          </table>
        )}
        {view.binding && (
          <p>
            <button type="button" class="uc-secondary" disabled={busy} data-testid="scaling-in-plan" onClick={() => act(async () => { setPlan(await scaleIn(base, chosen, true)); })}>Scale in one instance…</button>
          </p>
        )}
        {plan && (
          <div class="uc-scaling-plan" data-testid="scaling-in-preview">
            <OperationView base={base} op={plan} acl={acl} />
            <button type="button" class="uc-primary" disabled={busy} data-testid="scaling-in-start" onClick={() => act(async () => { const op = await scaleIn(base, chosen, false); setOps((cur) => upsertOperation(cur, op)); setPlan(undefined); })}>Drain and terminate it</button>{' '}
            <button type="button" class="uc-secondary" onClick={() => setPlan(undefined)}>Cancel</button>
          </div>
        )}
        {current && <OperationView base={base} op={current} acl={acl} />}
        <table class="uc-table" data-testid="scaling-decisions">
          <caption>Decision log</caption>
          <thead><tr><th scope="col">When</th><th scope="col">Source</th><th scope="col">Decision</th><th scope="col">Outcome</th><th scope="col">Why, and the figures seen</th></tr></thead>
          <tbody>
            {view.decisions.length ? view.decisions.slice(0, 50).map((d) => (
              <tr data-outcome={d.outcome}>
                <td>{when(d.at)}</td><td>{d.source}</td><td>{d.action} {d.from} → {d.to}{d.dryRun ? ' (dry run)' : ''}</td>
                <td>{d.outcome}{d.error ? <div class="uc-error">{d.error}</div> : null}</td>
                <td>{d.reason}<div class="uc-note uc-mono">{figuresText(d.figures)}</div></td>
              </tr>
            )) : <tr><td colSpan={5} class="uc-note">No decision yet.</td></tr>}
          </tbody>
        </table>
      </div>}
    </section>
  );
}
