/** Export and import of the portable model (servers, connections, clusters, layout). */
import type { ExportDoc, State } from '../../protocol/types.js';
import { badRequest, conflict } from '../errors.js';
import { withoutOrphanCredentials } from '../enroll/credentials.js';
import { connectionId } from './connections.js';
import { clustersOf, virtualServersOf } from './virtual-servers.js';

export function exportModel(state: Pick<State, 'servers' | 'connections' | 'clusters' | 'layout'>, now = new Date()): ExportDoc {
  return {
    format: 'unlimited-cluster', version: 1, exportedAt: now.toISOString(),
    servers: state.servers, connections: state.connections, clusters: state.clusters, layout: state.layout,
  };
}

/**
 * Checks what a schema cannot: unique ids, and that every reference names a server in the same
 * document. Returns the first problem as a sentence, or null.
 */
export function modelProblem(doc: ExportDoc): string | null {
  const ids = new Set<string>();
  for (const s of doc.servers) {
    if (ids.has(s.id)) return `server id '${s.id}' appears twice`;
    ids.add(s.id);
  }
  const conns = new Set<string>();
  for (const c of doc.connections) {
    if (!ids.has(c.from) || !ids.has(c.to)) return `connection '${c.id}' refers to a server that is not in the document`;
    if (c.from === c.to) return `connection '${c.id}' connects a server to itself`;
    if (c.id !== connectionId(c.from, c.to)) return `connection '${c.id}' should have id '${connectionId(c.from, c.to)}'`;
    if (conns.has(c.id)) return `connection '${c.id}' appears twice`;
    conns.add(c.id);
  }
  const names = new Set<string>();
  for (const cl of doc.clusters) {
    if (names.has(cl.name)) return `cluster '${cl.name}' appears twice`;
    names.add(cl.name);
    const missing = cl.servers.find((m) => !ids.has(m));
    if (missing) return `cluster '${cl.name}' lists server '${missing}', which is not in the document`;
  }
  const stray = Object.keys(doc.layout ?? {}).find((id) => !ids.has(id));
  if (stray) return `the layout places server '${stray}', which is not in the document`;
  return null;
}

/**
 * Replaces the whole model with the document's, all or nothing. Users and tokens are kept; the
 * agents of servers the document leaves out are revoked (disconnected, refused from then on).
 */
export function importModel(state: State, doc: ExportDoc): State {
  const problem = modelProblem(doc);
  if (problem) throw badRequest(problem);
  // Virtual servers are not part of the model document: the clusters they are on must stay.
  const names = new Set(doc.clusters.map((c) => c.name));
  const stranded = virtualServersOf(state).find((v) => clustersOf(v).some((c) => !names.has(c)));
  if (stranded) throw conflict(`virtual server ${stranded.domain} is on cluster '${clustersOf(stranded).find((c) => !names.has(c))}', which the import leaves out: remove the virtual server first`);
  const next = withoutOrphanCredentials({ ...state, servers: doc.servers, connections: doc.connections, clusters: doc.clusters, layout: doc.layout ?? {} });
  // Scaling of clusters the document drops goes with them.
  return state.scaling ? { ...next, scaling: Object.fromEntries(Object.entries(state.scaling).filter(([n]) => names.has(n))) } : next;
}
