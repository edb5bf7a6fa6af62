/** Every visible server as a table row with its latest metrics. */
import { useState } from 'preact/hooks';
import type { MetricsSample, Server, ServerStatus } from '../../../agent/protocol/types.js';
import { STATUS_LABEL } from '../canvas/colors.js';
import { DASH, duration, load, percent, rate } from '../format.js';
import { diskPercent, memPercent } from '../sample.js';
import type { Model } from '../store.js';
import { statusOf } from '../store.js';

/** Rows rendered at a time: a table of 50,000 rows would stall every live update. */
const PAGE = 500;

const byName = (a: Server, b: Server) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1);

export function StatusBadge({ status }: { status: ServerStatus }) {
  return <span class={`uc-status uc-status-${status}`}><i aria-hidden="true" />{STATUS_LABEL[status]}</span>;
}

/** One numeric cell; `data-col` names it for tests and for later column pickers. */
const Num = ({ col, children }: { col: string; children: string }) => <td class="uc-num" data-col={col}>{children}</td>;

function Row({ server, status, m, selected, onSelect }: { server: Server; status: ServerStatus; m: MetricsSample | undefined; selected: boolean; onSelect(add: boolean): void }) {
  return (
    <tr data-testid="server-row" data-id={server.id} data-status={status} aria-selected={selected} class={selected ? 'uc-selected' : undefined}>
      <th scope="row" data-col="name">
        <button type="button" class="uc-linkbtn uc-name" onClick={(e) => onSelect(e.shiftKey)} aria-pressed={selected}>{server.name}</button>
        {server.name !== server.id && <span class="uc-id">{server.id}</span>}
      </th>
      <td data-col="type">{server.type}</td>
      <td data-col="status"><StatusBadge status={status} /></td>
      <Num col="cpu">{m ? percent(m.cpu) : DASH}</Num>
      <Num col="mem">{m ? percent(memPercent(m)) : DASH}</Num>
      <Num col="disk">{m && m.disks.length ? percent(diskPercent(m)) : DASH}</Num>
      <Num col="net">{m ? `${rate(m.net.rxBps)} / ${rate(m.net.txBps)}` : DASH}</Num>
      <Num col="load">{m?.load[0] !== undefined ? load(m.load[0]) : DASH}</Num>
      <Num col="uptime">{m ? duration(m.uptime) : DASH}</Num>
    </tr>
  );
}

/**
 * Whether a server matches a search: every word must match its name, id, type, status, region,
 * a cluster it is in, or a label (`key=value`, or just the key or value).
 */
export function matches(model: Model, s: Server, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  const hay = [s.name, s.id, s.type, statusOf(model, s.id), s.region, ...[...model.clusters.values()].filter((c) => c.servers.includes(s.id)).map((c) => c.name),
    ...Object.entries(s.labels).flatMap(([k, v]) => [`${k}=${v}`, k, v])].map((x) => x.toLowerCase());
  return words.every((w) => hay.some((h) => (w.includes('=') ? h === w : h.includes(w))));
}

export function ServerList({ model, selected, onSelected }: { model: Model; selected: ReadonlySet<string>; onSelected(s: ReadonlySet<string>): void }) {
  const [query, setQuery] = useState('');
  const [limit, setLimit] = useState(PAGE);
  const all = [...model.servers.values()].sort(byName);
  const servers = all.filter((s) => matches(model, s, query));
  const pick = (id: string, add: boolean) => {
    const next = new Set(add ? selected : []);
    if (add && next.has(id)) next.delete(id); else next.add(id);
    onSelected(next);
  };
  return (
    <section class="uc-card" aria-labelledby="uc-list-title">
      <div class="uc-card-head">
        <h2 id="uc-list-title">Servers <span class="uc-count">{servers.length === all.length ? all.length : `${servers.length} of ${all.length}`}</span></h2>
        <div class="uc-search">
          <input type="search" data-testid="search" aria-label="Search by name, type, status, region, cluster or label" placeholder="Search: web eu-west tier=gold"
            value={query} onInput={(e) => setQuery((e.target as HTMLInputElement).value)} />
          <button type="button" class="uc-secondary" data-testid="search-select" disabled={!query || !servers.length} onClick={() => onSelected(new Set(servers.map((s) => s.id)))}>Select these</button>
        </div>
      </div>
      <div class="uc-table-wrap">
        <table class="uc-table" data-testid="server-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Status</th>
              <th scope="col" class="uc-num">CPU</th>
              <th scope="col" class="uc-num">Memory</th>
              <th scope="col" class="uc-num" title="The fullest mount">Disk</th>
              <th scope="col" class="uc-num">Network in / out</th>
              <th scope="col" class="uc-num" title="1-minute load average">Load</th>
              <th scope="col" class="uc-num">Uptime</th>
            </tr>
          </thead>
          <tbody>
            {servers.slice(0, limit).map((s) => <Row key={s.id} server={s} status={statusOf(model, s.id)} m={model.metrics.get(s.id)} selected={selected.has(s.id)} onSelect={(add) => pick(s.id, add)} />)}
          </tbody>
        </table>
        {!all.length && <p class="uc-empty">No servers yet. Start an agent on a node and it appears here.</p>}
        {all.length > 0 && !servers.length && <p class="uc-empty">No server matches "{query}".</p>}
        {servers.length > limit && (
          <p class="uc-more">Showing {limit} of {servers.length}. Search to narrow, or{' '}
            <button type="button" class="uc-secondary" data-testid="show-more" onClick={() => setLimit(limit + PAGE)}>show {Math.min(PAGE, servers.length - limit)} more</button></p>
        )}
      </div>
    </section>
  );
}
