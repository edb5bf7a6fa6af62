/**
 * One cluster, opened from its name on the diagram or in the cluster table: rename it (users of
 * every cluster: the hub renames it in alert rules, users' scopes and join tokens too), describe
 * it, remove members, delete it (with undo), and its load-balancer settings.
 */
import { useEffect, useState } from 'preact/hooks';
import { TYPE_LABEL } from '../canvas/colors.js';
import { type Deleted, deleteCluster, patchCluster } from '../edits.js';
import { type Model, statusOf } from '../store.js';
import { LbSettingsForm } from './LbSettingsForm.js';
import { StatusBadge } from './ServerList.js';

export function ClusterPanel({ base, model, name, onRenamed, onDeleted, onClose }: {
  base: string; model: Model; name: string; onRenamed(to: string): void; onDeleted(d: Deleted): void; onClose(): void;
}) {
  const c = model.clusters.get(name);
  const acl = model.user.acl;
  const [newName, setNewName] = useState(name);
  const [description, setDescription] = useState(c?.description ?? '');
  const [status, setStatus] = useState<{ text: string; error?: boolean }>();
  const [busy, setBusy] = useState(false);
  useEffect(() => { setNewName(name); setDescription(model.clusters.get(name)?.description ?? ''); setStatus(undefined); }, [name]);
  if (!c) return null;
  const hasLb = c.loadBalancer || c.servers.some((id) => model.servers.get(id)?.type === 'loadbalancer');

  const run = async (what: () => Promise<unknown>, ok: string) => {
    setBusy(true);
    try { await what(); setStatus({ text: ok }); return true; } catch (e) { setStatus({ text: e instanceof Error ? e.message : String(e), error: true }); return false; } finally { setBusy(false); }
  };
  const save = async () => {
    const to = newName.trim();
    const renaming = to !== name;
    const body = { ...(renaming ? { name: to } : {}), ...(description !== (c.description ?? '') ? { description } : {}) };
    if (!Object.keys(body).length) { setStatus({ text: 'Nothing changed.' }); return; }
    if (await run(() => patchCluster(base, name, body), renaming ? `Renamed to ${to}.` : 'Saved.')) if (renaming) onRenamed(to);
  };

  return (
    <section class="uc-card uc-cluster" data-testid="cluster-panel" data-name={name} aria-labelledby="uc-cluster-title">
      <div class="uc-card-head">
        <h2 id="uc-cluster-title">Cluster {name} <span class="uc-count">{c.servers.length} servers</span></h2>
        <button type="button" class="uc-ghost-dark" aria-label="Close" data-testid="cluster-close" onClick={onClose}>×</button>
      </div>
      <div class="uc-cluster-body">
        {acl.editClusters
          ? (
            <div class="uc-form-grid uc-flush">
              <label class="uc-field">Name
                <input data-testid="cluster-rename" value={newName} disabled={acl.scope !== '*'} title={acl.scope !== '*' ? 'Renaming needs access to all clusters' : undefined}
                  onInput={(e) => setNewName((e.target as HTMLInputElement).value)} />
              </label>
              <label class="uc-field uc-field-wide">Description
                <input data-testid="cluster-description" value={description} maxLength={1024} onInput={(e) => setDescription((e.target as HTMLInputElement).value)} />
              </label>
              <div class="uc-field uc-actions-row">
                <button type="button" class="uc-secondary" data-testid="cluster-save" disabled={busy} onClick={save}>Save</button>
                <button type="button" class="uc-secondary uc-danger" data-testid="cluster-delete" disabled={busy}
                  onClick={() => run(async () => onDeleted(await deleteCluster(base, name)), `Deleted ${name}.`)}>Delete cluster</button>
              </div>
            </div>
          )
          : c.description && <p class="uc-note">{c.description}</p>}
        {status && <p class={status.error ? 'uc-error' : 'uc-ok'} role="status" data-testid="cluster-status">{status.text}</p>}
        <table class="uc-table uc-compact" data-testid="cluster-members">
          <thead><tr><th>Member</th><th>Type</th><th>Status</th>{acl.editClusters && <th />}</tr></thead>
          <tbody>{c.servers.map((id) => {
            const s = model.servers.get(id);
            return (
              <tr data-id={id}>
                <th>{s?.name ?? id}{s && s.name !== id && <span class="uc-id">{id}</span>}</th>
                <td>{s ? TYPE_LABEL[s.type] : '—'}</td>
                <td><StatusBadge status={statusOf(model, id)} /></td>
                {acl.editClusters && <td><button type="button" class="uc-secondary uc-danger" data-testid={`cluster-remove-${id}`} disabled={busy}
                  onClick={() => run(() => patchCluster(base, name, { removeServers: [id] }), `Removed ${id} from ${name} (the server stays).`)}>Remove</button></td>}
              </tr>
            );
          })}</tbody>
        </table>
        {!c.servers.length && <p class="uc-empty">No members. Select servers on the diagram and add them from the right-click menu.</p>}
        {hasLb && <LbSettingsForm base={base} model={model} cluster={c} />}
      </div>
    </section>
  );
}
