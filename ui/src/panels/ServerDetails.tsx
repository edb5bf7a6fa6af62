/**
 * One server's details: what it is, what its agent reported about the machine (OS, kernel, CPU,
 * memory, disks, network interfaces, agent version), and its metrics over the last 15 minutes
 * (refreshed every 5 s) or 24 hours (every minute) as charts on one time axis.
 */
import { useEffect, useState } from 'preact/hooks';
import type { HistoryBody, HistoryWindow, Server } from '../../../agent/protocol/types.js';
import { getHistory } from '../api.js';
import { TYPE_LABEL } from '../canvas/colors.js';
import { bytes } from '../format.js';
import { type Model, statusOf } from '../store.js';
import { Chart } from './Chart.js';
import { StatusBadge } from './ServerList.js';

const REFRESH_MS: Record<HistoryWindow, number> = { '15m': 5000, '24h': 60_000 };

function Inventory({ server }: { server: Server }) {
  const a = server.agent;
  if (!a) return <p class="uc-note uc-pad" data-testid="inventory-none">No agent has reported for this server yet: its inventory shows once one does.</p>;
  const inv = a.inventory;
  return (
    <dl class="uc-dl" data-testid="inventory">
      <dt>OS</dt><dd data-field="os">{inv.os} ({inv.arch})</dd>
      <dt>Kernel</dt><dd data-field="kernel">{inv.kernel}</dd>
      <dt>CPU</dt><dd data-field="cpu">{inv.cpuModel}, {inv.cores} core{inv.cores === 1 ? '' : 's'}</dd>
      <dt>Memory</dt><dd data-field="memory">{bytes(inv.memTotal)}</dd>
      <dt>Disks</dt><dd data-field="disks">{(inv.disks ?? []).map((d) => `${d.name} ${bytes(d.size)}${d.model ? ` (${d.model})` : ''}`).join(', ') || '—'}</dd>
      <dt>Network</dt><dd data-field="nics">{(inv.interfaces ?? []).map((n) => [n.name, n.ip4, n.ip6, n.mac].filter(Boolean).join(' ')).join('; ') || '—'}</dd>
      <dt>Agent</dt><dd data-field="agent">{a.version} on {inv.hostname}</dd>
    </dl>
  );
}

export function ServerDetails({ base, model, id, onEdit }: { base: string; model: Model; id: string; onEdit?: () => void }) {
  const [window, setWindow] = useState<HistoryWindow>('15m');
  const [history, setHistory] = useState<HistoryBody>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    setHistory(undefined);
    const load = () => getHistory(base, id, window).then((h) => { if (live) { setHistory(h); setError(undefined); } }, (e: Error) => live && setError(e.message));
    void load();
    const timer = setInterval(load, REFRESH_MS[window]);
    return () => { live = false; clearInterval(timer); };
  }, [base, id, window]);
  const s = model.servers.get(id);
  if (!s) return null;
  const clusters = [...model.clusters.values()].filter((c) => c.servers.includes(id)).map((c) => c.name);
  const h = history?.series;
  return (
    <section class="uc-card uc-details" data-testid="server-details" data-id={id} aria-labelledby="uc-details-title">
      <div class="uc-card-head">
        <h2 id="uc-details-title">{s.name} <StatusBadge status={statusOf(model, id)} /></h2>
        {onEdit && <button type="button" class="uc-secondary" data-testid="server-edit" onClick={onEdit}>Edit</button>}
      </div>
      <div class="uc-details-grid">
        <dl class="uc-dl">
          <dt>Id</dt><dd>{s.id}</dd>
          <dt>Type</dt><dd>{TYPE_LABEL[s.type]}</dd>
          <dt>Address</dt><dd>{s.address}</dd>
          <dt>Region</dt><dd>{s.region || '—'}</dd>
          <dt>Clusters</dt><dd>{clusters.join(', ') || '—'}</dd>
          <dt>Labels</dt><dd data-field="labels">{Object.entries(s.labels).map(([k, v]) => `${k}=${v}`).join(', ') || '—'}</dd>
          <dt>Ports</dt><dd data-field="ports">{s.ports.join(', ') || '—'}</dd>
        </dl>
        <Inventory server={s} />
      </div>
      <div class="uc-history-bar" role="group" aria-label="History window">
        {(['15m', '24h'] as const).map((w) => (
          <button type="button" class={w === window ? 'uc-secondary uc-on' : 'uc-secondary'} aria-pressed={w === window} data-testid={`history-${w}`} onClick={() => setWindow(w)}>
            {w === '15m' ? 'Last 15 minutes' : 'Last 24 hours'}
          </button>
        ))}
      </div>
      {error && <p class="uc-error uc-notice" role="alert">{error}</p>}
      {h && (
        <div class="uc-sparks" data-testid="charts" data-window={window}>
          <Chart label="CPU" unit="pct" window={window} series={[{ name: 'cpu', points: h.cpu, color: '#2196f3' }]} />
          <Chart label="Memory" unit="pct" window={window} series={[{ name: 'mem', points: h.mem, color: '#9c27b0' }]} />
          <Chart label="Disk" unit="pct" window={window} series={[{ name: 'disk', points: h.disk, color: '#795548' }]} />
          <Chart label="Load" unit="load" window={window} series={[{ name: 'load', points: h.load1, color: '#607d8b' }]} />
          <Chart label="Network" unit="rate" window={window} series={[{ name: 'in', points: h.netRx, color: '#00897b' }, { name: 'out', points: h.netTx, color: '#f4511e' }]} />
          <Chart label="Disk I/O" unit="rate" window={window} series={[{ name: 'read', points: h.diskRead, color: '#3949ab' }, { name: 'write', points: h.diskWrite, color: '#c0ca33' }]} />
        </div>
      )}
    </section>
  );
}
