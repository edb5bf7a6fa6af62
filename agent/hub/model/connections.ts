/** Pure operations on connections. A connection's id is `from:to` (ids never contain ':'). */
import type { Connection, ConnectionCreate, ConnectionType, State } from '../../protocol/types.js';
import { badRequest, conflict, notFound } from '../errors.js';

export const connectionId = (from: string, to: string): string => `${from}:${to}`;

export function addConnection(state: State, input: ConnectionCreate): { state: State; connection: Connection } {
  for (const end of [input.from, input.to]) {
    if (!state.servers.some((s) => s.id === end)) throw badRequest(`no server with id '${end}'`, 'unknown_server');
  }
  if (input.from === input.to) throw badRequest('a server cannot be connected to itself');
  const id = connectionId(input.from, input.to);
  if (state.connections.some((c) => c.id === id)) throw conflict(`'${input.from}' is already connected to '${input.to}'`);
  const connection: Connection = { id, from: input.from, to: input.to, type: input.type ?? 'standard' };
  return { state: { ...state, connections: [...state.connections, connection] }, connection };
}

export function findConnection(state: State, id: string): Connection {
  const connection = state.connections.find((c) => c.id === id);
  if (!connection) throw notFound(`no connection '${id}'`);
  return connection;
}

export function removeConnection(state: State, id: string): State {
  findConnection(state, id);
  return { ...state, connections: state.connections.filter((c) => c.id !== id) };
}

/** Changes a connection's type (its ends are its id, so they never change). */
export function setConnectionType(state: State, id: string, type: ConnectionType): { state: State; connection: Connection } {
  const old = findConnection(state, id);
  const connection: Connection = { ...old, type };
  return { state: { ...state, connections: state.connections.map((c) => (c === old ? connection : c)) }, connection };
}
