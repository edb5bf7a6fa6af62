/** The selected connection: its ends, probe status and latency; change its type or delete it (with the "edit connections" permission). */
import { CONNECTION_TYPES } from '../../../agent/protocol/common.js';
import type { ConnectionType } from '../../../agent/protocol/types.js';
import { type Model, connectionStatusOf } from '../store.js';

export function LinkPanel({ model, id, onType, onDelete, onClose }: {
  model: Model; id: string; onType(t: ConnectionType): void; onDelete(): void; onClose(): void;
}) {
  const c = model.connections.get(id);
  if (!c) return null;
  const live = connectionStatusOf(model, id);
  const canEdit = model.user.acl.editConnections;
  return (
    <div class="uc-linkpanel" role="region" aria-label="Selected connection" data-testid="link-panel" data-id={id} onClick={(e) => e.stopPropagation()}>
      <b>{c.from} → {c.to}</b>
      <span data-testid="link-status">{live.status}{live.latencyMs === null ? '' : ` · ${live.latencyMs.toFixed(1)} ms`}</span>
      {canEdit
        ? <select aria-label="Connection type" data-testid="link-type" value={c.type} onChange={(e) => onType((e.target as HTMLSelectElement).value as ConnectionType)}>
          {CONNECTION_TYPES.map((t) => <option value={t}>{t}</option>)}
        </select>
        : <span>{c.type}</span>}
      {canEdit && <button type="button" class="uc-secondary uc-danger" data-testid="link-delete" onClick={onDelete}>Delete</button>}
      <button type="button" class="uc-ghost-dark" aria-label="Close" onClick={onClose}>×</button>
    </div>
  );
}
