/**
 * Alert rules: listed for every user (webhook addresses cut to their host without "edit
 * clusters"), created, edited, turned on and off and deleted by users who may edit them.
 */
import { useEffect, useState } from 'preact/hooks';
import { ALERT_METRICS } from '../../../agent/protocol/alerts.js';
import type { AlertRule } from '../../../agent/protocol/types.js';
import { type ActionRow, METRIC_LABEL, type RuleErrors, type RuleForm, formFromRule, ruleCondition, ruleEditable, ruleFrom, ruleScope } from '../alert-rule-form.js';
import { createAlertRule, deleteAlertRule, listAlertRules, updateAlertRule } from '../edits.js';
import type { Model } from '../store.js';

function RuleEditor({ model, rule, onSave, onCancel }: { model: Model; rule?: AlertRule; onSave(f: RuleForm): Promise<RuleErrors | void>; onCancel(): void }) {
  const [f, setF] = useState<RuleForm>(() => formFromRule(rule));
  const [errors, setErrors] = useState<RuleErrors>({});
  const set = (patch: Partial<RuleForm>) => setF({ ...f, ...patch });
  const setAction = (i: number, patch: Partial<ActionRow>) => set({ actions: f.actions.map((a, j) => (j === i ? { ...a, ...patch } : a)) });
  const clusters = [...model.clusters.keys()].sort();
  const err = (k: string) => errors[k] && <span class="uc-field-error" data-testid={`rule-error-${k}`}>{errors[k]}</span>;
  const submit = async (e: Event) => { e.preventDefault(); setErrors((await onSave(f)) ?? {}); };
  return (
    <form class="uc-rule-form" data-testid="rule-form" onSubmit={submit} noValidate>
      <div class="uc-form-grid uc-flush">
        <label class="uc-field">Name<input data-testid="rule-name" value={f.name} onInput={(e) => set({ name: (e.target as HTMLInputElement).value })} />{err('name')}</label>
        <label class="uc-field">Watch
          <select data-testid="rule-metric" value={f.metric} onChange={(e) => set({ metric: (e.target as HTMLSelectElement).value as RuleForm['metric'] })}>
            {ALERT_METRICS.map((m) => <option value={m}>{METRIC_LABEL[m]}</option>)}
          </select>
        </label>
        {f.metric !== 'down' && <label class="uc-field">At or above (%)<input data-testid="rule-threshold" value={f.threshold} onInput={(e) => set({ threshold: (e.target as HTMLInputElement).value })} />{err('threshold')}</label>}
        <label class="uc-field">For (seconds)<input data-testid="rule-for" value={f.forSeconds} onInput={(e) => set({ forSeconds: (e.target as HTMLInputElement).value })} />{err('forSeconds')}</label>
        <label class="uc-field uc-check"><input type="checkbox" data-testid="rule-enabled" checked={f.enabled} onChange={(e) => set({ enabled: (e.target as HTMLInputElement).checked })} /> Enabled</label>
      </div>
      <fieldset class="uc-fieldset">
        <legend>Servers</legend>
        <label class="uc-check"><input type="radio" name="scope" data-testid="rule-scope-all" checked={f.everyServer} onChange={() => set({ everyServer: true })} /> every server</label>
        <label class="uc-check"><input type="radio" name="scope" data-testid="rule-scope-clusters" checked={!f.everyServer} onChange={() => set({ everyServer: false })} /> the members of</label>
        {!f.everyServer && clusters.map((c) => (
          <label class="uc-check"><input type="checkbox" data-testid={`rule-cluster-${c}`} checked={f.scope.includes(c)}
            onChange={(e) => set({ scope: (e.target as HTMLInputElement).checked ? [...f.scope, c] : f.scope.filter((x) => x !== c) })} /> {c}</label>
        ))}
        {err('scope')}
      </fieldset>
      <fieldset class="uc-fieldset">
        <legend>When it fires and resolves</legend>
        {f.actions.map((a, i) => (
          <div class="uc-action-row" data-testid={`rule-action-${i}`}>
            <select aria-label="Action" value={a.type} onChange={(e) => setAction(i, { type: (e.target as HTMLSelectElement).value as ActionRow['type'] })}>
              <option value="webhook">POST to a webhook</option><option value="email">send an e-mail</option><option value="hook">call a hub hook</option>
            </select>
            <input aria-label="Address" value={a.value} placeholder={a.type === 'webhook' ? 'https://hooks.example.com/…' : a.type === 'email' ? 'ops@example.com' : 'scale_up'}
              onInput={(e) => setAction(i, { value: (e.target as HTMLInputElement).value })} />
            <button type="button" class="uc-secondary uc-danger" aria-label="Remove action" onClick={() => set({ actions: f.actions.filter((_, j) => j !== i) })}>×</button>
            {err(`actions.${i}`)}
          </div>
        ))}
        <button type="button" class="uc-secondary" data-testid="rule-add-action" onClick={() => set({ actions: [...f.actions, { type: 'email', value: '' }] })}>Add an action</button>
      </fieldset>
      <div class="uc-form-actions">
        <button type="button" class="uc-secondary" onClick={onCancel}>Cancel</button>
        <button type="submit" class="uc-primary" data-testid="rule-save">{rule ? 'Save rule' : 'Create rule'}</button>
      </div>
    </form>
  );
}

export function AlertRulesPanel({ base, model }: { base: string; model: Model }) {
  const [rules, setRules] = useState<AlertRule[]>();
  const [editing, setEditing] = useState<AlertRule | 'new'>();
  const [status, setStatus] = useState<{ text: string; error?: boolean }>();
  const acl = model.user.acl;
  const load = () => listAlertRules(base).then(setRules, (e: Error) => setStatus({ text: e.message, error: true }));
  useEffect(() => { void load(); }, [base]);

  const act = async (what: () => Promise<unknown>, ok: string): Promise<boolean> => {
    try { await what(); setStatus({ text: ok }); await load(); return true; } catch (e) { setStatus({ text: e instanceof Error ? e.message : String(e), error: true }); return false; }
  };
  const save = async (f: RuleForm): Promise<RuleErrors | void> => {
    const r = ruleFrom(f);
    if (!r.ok) return r.errors;
    const old = editing === 'new' ? undefined : editing;
    const done = await act(() => (old ? updateAlertRule(base, old.id, r.rule) : createAlertRule(base, r.rule)), old ? `Saved rule ${r.rule.name}.` : `Created rule ${r.rule.name}.`);
    if (done) setEditing(undefined);
  };
  const toggle = (r: AlertRule) => {
    const { id: _id, ...input } = r;
    void act(() => updateAlertRule(base, r.id, { ...input, enabled: !r.enabled }), `${r.enabled ? 'Disabled' : 'Enabled'} rule ${r.name}.`);
  };
  const remove = (r: AlertRule) => {
    if (confirm(`Delete the alert rule "${r.name}"? Its firing alerts resolve.`)) void act(() => deleteAlertRule(base, r.id), `Deleted rule ${r.name}.`);
  };

  return (
    <section class="uc-card uc-rules" aria-labelledby="uc-rules-title" data-testid="alert-rules">
      <div class="uc-card-head">
        <h2 id="uc-rules-title">Alert rules <span class="uc-count">{rules?.length ?? ''}</span></h2>
        {acl.editClusters && !editing && <button type="button" class="uc-primary" data-testid="rule-new" onClick={() => setEditing('new')}>New rule</button>}
      </div>
      {status && <p class={`${status.error ? 'uc-error' : 'uc-ok'} uc-notice`} role="status" data-testid="rule-status">{status.text}</p>}
      {editing && <RuleEditor model={model} rule={editing === 'new' ? undefined : editing} onSave={save} onCancel={() => setEditing(undefined)} />}
      <div class="uc-table-wrap">
        <table class="uc-table">
          <thead><tr><th>Rule</th><th>Condition</th><th>Servers</th><th>Actions</th><th>On</th><th /></tr></thead>
          <tbody>{(rules ?? []).map((r) => {
            const mine = ruleEditable(acl, r);
            return (
              <tr data-testid="rule-row" data-id={r.id} data-enabled={String(r.enabled)}>
                <th>{r.name}</th>
                <td>{ruleCondition(r)}</td>
                <td>{ruleScope(r)}</td>
                <td>{r.actions.map((a) => (a.type === 'webhook' ? `webhook ${a.url}` : a.type === 'email' ? `mail ${a.to}` : `hook ${a.name}`)).join(', ') || '—'}</td>
                <td><input type="checkbox" aria-label={`Rule ${r.name} enabled`} data-testid="rule-toggle" checked={r.enabled} disabled={!mine} onChange={() => toggle(r)} /></td>
                <td class="uc-actions">{mine && <>
                  <button type="button" class="uc-secondary" data-testid="rule-edit" onClick={() => setEditing(r)}>Edit</button>{' '}
                  <button type="button" class="uc-secondary uc-danger" data-testid="rule-delete" onClick={() => remove(r)}>Delete</button>
                </>}</td>
              </tr>
            );
          })}</tbody>
        </table>
        {rules && !rules.length && <p class="uc-empty">No alert rules.</p>}
      </div>
    </section>
  );
}
