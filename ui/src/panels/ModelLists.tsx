/** The clusters and connections as tables: the same facts as the diagram, for keyboards and screen readers. */
import { type Model, connectionStatusOf } from '../store.js';

export function ModelLists({ model, onCluster }: { model: Model; onCluster(name: string): void }) {
  const clusters = [...model.clusters.values()].sort((a, b) => a.name.localeCompare(b.name));
  const conns = [...model.connections.values()].sort((a, b) => a.id.localeCompare(b.id));
  return (
    <div class="uc-two">
      <section class="uc-card" aria-labelledby="uc-clusters-title">
        <h2 id="uc-clusters-title">Clusters <span class="uc-count">{clusters.length}</span></h2>
        <table class="uc-table" data-testid="cluster-table">
          <thead><tr><th scope="col">Name</th><th scope="col">Servers</th></tr></thead>
          <tbody>{clusters.map((c) => (
            <tr key={c.name} data-id={c.name}>
              <th scope="row"><button type="button" class="uc-linkbtn" data-testid="cluster-open" onClick={() => onCluster(c.name)}>{c.name}</button></th>
              <td>{c.servers.join(', ')}</td>
            </tr>
          ))}</tbody>
        </table>
        {!clusters.length && <p class="uc-empty">No clusters. Select servers on the diagram and create one.</p>}
      </section>
      <section class="uc-card" aria-labelledby="uc-conns-title">
        <h2 id="uc-conns-title">Connections <span class="uc-count">{conns.length}</span></h2>
        <table class="uc-table" data-testid="connection-table">
          <thead><tr><th scope="col">From → to</th><th scope="col">Type</th><th scope="col">Status</th><th scope="col" class="uc-num">Latency</th></tr></thead>
          <tbody>{conns.map((c) => {
            const l = connectionStatusOf(model, c.id);
            return <tr key={c.id} data-id={c.id}><th scope="row">{c.from} → {c.to}</th><td>{c.type}</td><td>{l.status}</td><td class="uc-num">{l.latencyMs === null ? '—' : `${l.latencyMs.toFixed(1)} ms`}</td></tr>;
          })}</tbody>
        </table>
        {!conns.length && <p class="uc-empty">No connections.</p>}
      </section>
    </div>
  );
}
