/**
 * The audit log: who did what, when, and how it ended (refused calls too), newest first, filtered
 * by user, cluster, server and result. Every user with "view" reads it; a scoped user reads the
 * entries about its clusters (the hub filters).
 */
import { useEffect, useState } from 'preact/hooks';
import { AUDIT_RESULTS } from '../../../agent/protocol/audit.js';
import type { AuditEntry, AuditQuery } from '../../../agent/protocol/types.js';
import { alertTime } from '../alerts.js';
import { getAudit } from '../edits.js';
import type { Model } from '../store.js';

export function AuditPanel({ base, model }: { base: string; model: Model }) {
  const [q, setQ] = useState<AuditQuery>({});
  const [entries, setEntries] = useState<AuditEntry[]>();
  const [error, setError] = useState<string>();
  const [open, setOpen] = useState<number>();
  const load = () => getAudit(base, q).then((e) => { setEntries(e); setError(undefined); }, (e: Error) => setError(e.message));
  useEffect(() => { void load(); }, [base, q]);
  const filter = (k: keyof AuditQuery, v: string) => setQ({ ...q, [k]: v || undefined });
  const users = [...new Set((entries ?? []).map((e) => e.user))].sort();
  return (
    <section class="uc-card uc-audit" aria-labelledby="uc-audit-title" data-testid="audit-panel">
      <div class="uc-card-head">
        <h2 id="uc-audit-title">Audit log</h2>
        <div class="uc-search">
          <input list="uc-audit-users" aria-label="User" placeholder="user" data-testid="audit-user" value={q.user ?? ''} onChange={(e) => filter('user', (e.target as HTMLInputElement).value.trim())} />
          <datalist id="uc-audit-users">{users.map((u) => <option value={u} />)}</datalist>
          <select aria-label="Cluster" data-testid="audit-cluster" value={q.cluster ?? ''} onChange={(e) => filter('cluster', (e.target as HTMLSelectElement).value)}>
            <option value="">any cluster</option>{[...model.clusters.keys()].sort().map((c) => <option value={c}>{c}</option>)}
          </select>
          <select aria-label="Server" data-testid="audit-server" value={q.server ?? ''} onChange={(e) => filter('server', (e.target as HTMLSelectElement).value)}>
            <option value="">any server</option>{[...model.servers.keys()].sort().map((s) => <option value={s}>{s}</option>)}
          </select>
          <select aria-label="Result" data-testid="audit-result" value={q.result ?? ''} onChange={(e) => filter('result', (e.target as HTMLSelectElement).value)}>
            <option value="">any result</option>{AUDIT_RESULTS.map((r) => <option value={r}>{r}</option>)}
          </select>
          <button type="button" class="uc-secondary" data-testid="audit-refresh" onClick={() => void load()}>Refresh</button>
        </div>
      </div>
      {error && <p class="uc-error uc-notice" role="alert">{error}</p>}
      <div class="uc-table-wrap uc-audit-wrap">
        <table class="uc-table" data-testid="audit-table">
          <thead><tr><th>When</th><th>Who</th><th>What</th><th>On</th><th>Result</th></tr></thead>
          <tbody>{(entries ?? []).map((e, i) => (<>
            <tr data-testid="audit-row" data-action={e.action} data-result={e.result ?? 'ok'} onClick={() => setOpen(open === i ? undefined : i)} class={e.detail ? 'uc-clickable' : undefined}>
              <td><time dateTime={e.ts}>{alertTime(e.ts)}</time></td>
              <td>{e.user}</td>
              <td>{e.action}</td>
              <td class="uc-wrap">{e.target}</td>
              <td><span class={`uc-result uc-result-${e.result ?? 'ok'}`}>{e.result ?? 'ok'}</span></td>
            </tr>
            {open === i && e.detail && <tr class="uc-audit-detail"><td colSpan={5}><pre class="uc-mono">{e.detail}</pre></td></tr>}
          </>))}</tbody>
        </table>
        {entries && !entries.length && <p class="uc-empty">No entries{Object.values(q).some(Boolean) ? ' match' : ''}.</p>}
      </div>
    </section>
  );
}
