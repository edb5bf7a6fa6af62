/** One server's details and the last 15 minutes of its metrics as sparklines (refreshed every 5 s). */
import { useEffect, useState } from 'preact/hooks';
import type { HistoryBody } from '../../../agent/protocol/types.js';
import { getHistory } from '../api.js';
import { TYPE_LABEL } from '../canvas/colors.js';
import { type Model, statusOf } from '../store.js';
import { StatusBadge } from './ServerList.js';
import { Sparkline } from './Sparkline.js';

const REFRESH_MS = 5000;

export function ServerDetails({ base, model, id }: { base: string; model: Model; id: string }) {
  const [history, setHistory] = useState<HistoryBody>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    const load = () => getHistory(base, id).then((h) => { if (live) { setHistory(h); setError(undefined); } }, (e: Error) => live && setError(e.message));
    void load();
    const timer = setInterval(load, REFRESH_MS);
    return () => { live = false; clearInterval(timer); };
  }, [base, id]);
  const s = model.servers.get(id);
  if (!s) return null;
  const clusters = [...model.clusters.values()].filter((c) => c.servers.includes(id)).map((c) => c.name);
  return (
    <section class="uc-card uc-details" data-testid="server-details" data-id={id} aria-labelledby="uc-details-title">
      <h2 id="uc-details-title">{s.name} <StatusBadge status={statusOf(model, id)} /></h2>
      <dl class="uc-dl">
        <dt>Id</dt><dd>{s.id}</dd>
        <dt>Type</dt><dd>{TYPE_LABEL[s.type]}</dd>
        <dt>Address</dt><dd>{s.address}</dd>
        <dt>Region</dt><dd>{s.region || '—'}</dd>
        <dt>Clusters</dt><dd>{clusters.join(', ') || '—'}</dd>
        <dt>Labels</dt><dd>{Object.entries(s.labels).map(([k, v]) => `${k}=${v}`).join(', ') || '—'}</dd>
      </dl>
      {error && <p class="uc-error" role="alert">{error}</p>}
      {history && (
        <div class="uc-sparks">
          <Sparkline label="CPU" points={history.series.cpu} max={100} color="#2196f3" />
          <Sparkline label="Memory" points={history.series.mem} max={100} color="#9c27b0" />
          <Sparkline label="Disk" points={history.series.disk} max={100} color="#795548" />
          <Sparkline label="Load" points={history.series.load1} max={1} color="#607d8b" />
        </div>
      )}
    </section>
  );
}
