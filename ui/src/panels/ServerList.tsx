/** Every visible server as a table row with its latest metrics. */
import type { MetricsSample, Server, ServerStatus } from '../../../agent/protocol/types.js';
import { STATUS_LABEL } from '../canvas/colors.js';
import { DASH, duration, load, percent, rate } from '../format.js';
import { diskPercent, memPercent } from '../sample.js';
import type { Model } from '../store.js';
import { statusOf } from '../store.js';

const byName = (a: Server, b: Server) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1);

export function StatusBadge({ status }: { status: ServerStatus }) {
  return <span class={`uc-status uc-status-${status}`}><i aria-hidden="true" />{STATUS_LABEL[status]}</span>;
}

/** One numeric cell; `data-col` names it for tests and for later column pickers. */
const Num = ({ col, children }: { col: string; children: string }) => <td class="uc-num" data-col={col}>{children}</td>;

function Row({ server, status, m }: { server: Server; status: ServerStatus; m: MetricsSample | undefined }) {
  return (
    <tr data-testid="server-row" data-id={server.id} data-status={status}>
      <th scope="row" data-col="name">
        <span class="uc-name">{server.name}</span>
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

export function ServerList({ model }: { model: Model }) {
  const servers = [...model.servers.values()].sort(byName);
  return (
    <section class="uc-card" aria-labelledby="uc-list-title">
      <h2 id="uc-list-title">Servers <span class="uc-count">{servers.length}</span></h2>
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
            {servers.map((s) => <Row key={s.id} server={s} status={statusOf(model, s.id)} m={model.metrics.get(s.id)} />)}
          </tbody>
        </table>
        {!servers.length && <p class="uc-empty">No servers yet. Start an agent on a node and it appears here.</p>}
      </div>
    </section>
  );
}
