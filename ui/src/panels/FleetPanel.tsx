/** The isometric view of the fleet with a legend that counts servers by status. */
import { useMemo } from 'preact/hooks';
import { SERVER_STATUSES } from '../../../agent/protocol/common.js';
import { IsoCanvas } from '../canvas/IsoCanvas.js';
import { blockLabels } from '../canvas/labels.js';
import type { Block } from '../canvas/layout.js';
import { type Model, statusOf } from '../store.js';
import { StatusBadge } from './ServerList.js';

export function FleetPanel({ model }: { model: Model }) {
  // Recomputed only when the servers or statuses change, not on metrics-only deltas.
  const blocks = useMemo<Block[]>(() => {
    const labels = blockLabels(model.servers.values());
    return [...model.servers.values()].map((s) => ({ id: s.id, name: labels.get(s.id) ?? s.name, status: statusOf(model, s.id) }));
  }, [model.servers, model.status]);
  const counts = SERVER_STATUSES.map((s) => [s, blocks.filter((b) => b.status === s).length] as const);

  return (
    <section class="uc-card" aria-labelledby="uc-fleet-title">
      <div class="uc-card-head">
        <h2 id="uc-fleet-title">Fleet</h2>
        <ul class="uc-legend" aria-label="Servers by status">
          {counts.map(([s, n]) => <li key={s} data-status={s}><StatusBadge status={s} /> <b>{n}</b></li>)}
        </ul>
      </div>
      <div class="uc-canvas-wrap">
        <IsoCanvas blocks={blocks} />
        {!blocks.length && <p class="uc-empty uc-canvas-empty">No servers yet.</p>}
      </div>
    </section>
  );
}
