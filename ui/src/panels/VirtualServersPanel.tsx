/**
 * Virtual servers placed on clusters (from Virtualmin server templates): a section per cluster
 * listing the ones it serves, and a search by domain or alias. Picking one selects the servers
 * of its clusters on the diagram and lights their floor badges.
 */
import { useMemo, useState } from 'preact/hooks';
import type { Model } from '../store.js';
import { byCluster, clustersOf, searchVirtualServers } from '../virtual-servers.js';
import { ClusterVirtualServers } from './ClusterVirtualServers.js';

export function VirtualServersPanel({ model, focus, onFocus, onSelected }: {
  model: Model; focus?: string; onFocus(id: string | undefined): void; onSelected(ids: ReadonlySet<string>): void;
}) {
  const [query, setQuery] = useState('');
  const all = model.virtualServers;
  const groups = useMemo(() => byCluster(all.values()), [all]);
  const hits = useMemo(() => searchVirtualServers(all.values(), query), [all, query]);
  const pick = (id: string) => {
    const v = all.get(id);
    if (!v) return;
    onFocus(id);
    onSelected(new Set(clustersOf(v).flatMap((c) => model.clusters.get(c)?.servers ?? [])));
  };
  const focused = focus ? all.get(focus) : undefined;
  return (
    <section class="uc-card" aria-labelledby="uc-vs-title" data-testid="vs-panel">
      <div class="uc-card-head">
        <h2 id="uc-vs-title">Virtual servers <span class="uc-count">{all.size}</span></h2>
        <div class="uc-search">
          <input type="search" data-testid="vs-search" aria-label="Find a virtual server by domain" placeholder="Find a domain: shop.example.com"
            value={query} onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
            onKeyDown={(e) => { if (e.key === 'Enter' && hits[0]) pick(hits[0].id); }} />
          {focused && <button type="button" class="uc-secondary" data-testid="vs-clear" onClick={() => onFocus(undefined)}>Clear</button>}
        </div>
      </div>
      {query.trim() && (
        <ul class="uc-vs-hits" data-testid="vs-hits">
          {hits.map((v) => (
            <li key={v.id} data-id={v.id}>
              <button type="button" class="uc-linkbtn" onClick={() => pick(v.id)}>{v.domain}</button>
              <span class="uc-count"> on {clustersOf(v).join(', ') || 'no cluster you see'}{v.state === 'disabled' ? ' · disabled' : ''}</span>
            </li>
          ))}
          {!hits.length && <li class="uc-empty">No virtual server is called "{query.trim()}".</li>}
        </ul>
      )}
      {focused && <p class="uc-hint" data-testid="vs-focus">{focused.domain}: on {clustersOf(focused).join(', ')}, selected on the diagram.</p>}
      {[...groups].sort(([a], [b]) => (a < b ? -1 : 1)).map(([cluster, list]) => (
        <div class="uc-vs-cluster" key={cluster}>
          <h3>{cluster} <span class="uc-count">{list.length}</span></h3>
          <ClusterVirtualServers cluster={cluster} list={list} focus={focus} onFocus={pick} />
        </div>
      ))}
    </section>
  );
}
