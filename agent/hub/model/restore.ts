/**
 * What a delete took away, captured before it happens, and putting it back (undo). Pure: the
 * capture is a value; restoring checks that nothing has taken its place since.
 */
import type { AgentCredential, Cluster, Connection, Server, State } from '../../protocol/types.js';
import { conflict } from '../errors.js';
import { findConnection } from './connections.js';
import { findCluster } from './clusters.js';
import { findServer } from './servers.js';

export type Removed =
  | {
    kind: 'server'; id: string; server: Server; connections: Connection[];
    /** The clusters it was a member of, and where in each member list. */
    memberships: { cluster: string; index: number }[];
    position?: { x: number; y: number };
    credential?: AgentCredential;
  }
  | { kind: 'connection'; id: string; connection: Connection }
  | { kind: 'cluster'; id: string; cluster: Cluster; index: number };

export function captureServer(state: State, id: string): Removed {
  const server = findServer(state, id);
  const credential = (state.agentCredentials ?? []).find((c) => c.serverId === id);
  const position = state.layout[id];
  return {
    kind: 'server', id, server,
    connections: state.connections.filter((c) => c.from === id || c.to === id),
    memberships: state.clusters.flatMap((c) => { const index = c.servers.indexOf(id); return index < 0 ? [] : [{ cluster: c.name, index }]; }),
    ...(position ? { position } : {}),
    ...(credential ? { credential } : {}),
  };
}

export const captureConnection = (state: State, id: string): Removed => ({ kind: 'connection', id, connection: findConnection(state, id) });

export function captureCluster(state: State, name: string): Removed {
  const cluster = findCluster(state, name);
  return { kind: 'cluster', id: name, cluster, index: state.clusters.indexOf(cluster) };
}

/** Puts one capture back; a 409 when something with its id (or a connection's end) is in the way or gone. */
export function restore(state: State, r: Removed): State {
  switch (r.kind) {
    case 'server': {
      if (state.servers.some((s) => s.id === r.id)) throw conflict(`a server with id '${r.id}' exists again: it cannot be restored`);
      const ids = new Set([...state.servers.map((s) => s.id), r.id]);
      const taken = new Set(state.connections.map((c) => c.id));
      // Connections to servers deleted since stay deleted; memberships of clusters deleted since too.
      const connections = r.connections.filter((c) => ids.has(c.from) && ids.has(c.to) && !taken.has(c.id));
      const clusters = state.clusters.map((c) => {
        const m = r.memberships.find((x) => x.cluster === c.name);
        if (!m || c.servers.includes(r.id)) return c;
        const servers = [...c.servers];
        servers.splice(Math.min(m.index, servers.length), 0, r.id);
        return { ...c, servers };
      });
      const credentials = state.agentCredentials ?? [];
      return {
        ...state,
        servers: [...state.servers, r.server],
        connections: [...state.connections, ...connections],
        clusters,
        layout: r.position ? { ...state.layout, [r.id]: r.position } : state.layout,
        ...(r.credential && !credentials.some((c) => c.serverId === r.id) ? { agentCredentials: [...credentials, r.credential] } : {}),
      };
    }
    case 'connection': {
      const c = r.connection;
      if (state.connections.some((x) => x.id === c.id)) throw conflict(`'${c.from}' is connected to '${c.to}' again: nothing to restore`);
      for (const end of [c.from, c.to]) if (!state.servers.some((s) => s.id === end)) throw conflict(`server '${end}' was deleted since: the connection cannot be restored`);
      return { ...state, connections: [...state.connections, c] };
    }
    case 'cluster': {
      if (state.clusters.some((c) => c.name === r.id)) throw conflict(`a cluster named '${r.id}' exists again: it cannot be restored`);
      const known = new Set(state.servers.map((s) => s.id));
      const cluster = { ...r.cluster, servers: r.cluster.servers.filter((id) => known.has(id)) };
      const clusters = [...state.clusters];
      clusters.splice(Math.min(r.index, clusters.length), 0, cluster);
      return { ...state, clusters };
    }
  }
}
