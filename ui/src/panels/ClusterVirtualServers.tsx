/** The virtual servers one cluster serves: a row each, with the state of its parts on that cluster. */
import type { VirtualServer } from '../../../agent/protocol/types.js';
import { partsOn } from '../virtual-servers.js';

export function ClusterVirtualServers({ cluster, list, focus, onFocus }: {
  cluster: string; list: readonly VirtualServer[]; focus?: string; onFocus(id: string): void;
}) {
  return (
    <table class="uc-table" data-testid={`vs-cluster-${cluster}`}>
      <thead><tr><th scope="col">Domain</th><th scope="col">Other names</th><th scope="col">On this cluster</th><th scope="col">State</th><th scope="col">Created by</th></tr></thead>
      <tbody>{list.map((v) => (
        <tr key={v.id} data-testid="vs-row" data-id={v.id} class={v.id === focus ? 'uc-selected' : undefined}>
          <th scope="row"><button type="button" class="uc-linkbtn" onClick={() => onFocus(v.id)}>{v.domain}</button></th>
          <td>{v.aliases.join(', ') || '—'}</td>
          <td>{partsOn(v, cluster).map((p) => (
            <span class={`uc-vs-part uc-vs-${p.status}`} title={p.error ?? p.status} data-part={p.part}>{p.label}{p.status === 'ready' ? '' : ` ${p.status}`}</span>
          ))}</td>
          <td data-col="state">{v.state}</td>
          <td>{v.createdBy}</td>
        </tr>
      ))}</tbody>
    </table>
  );
}
