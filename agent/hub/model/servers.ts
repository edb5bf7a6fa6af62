/** Pure operations on servers: each takes the state and returns a new one (or throws HttpError). */
import type { Server, ServerCreate, ServerPatch, State } from '../../protocol/types.js';
import { badRequest, conflict, notFound } from '../errors.js';

export function findServer(state: State, id: string): Server {
  const server = state.servers.find((s) => s.id === id);
  if (!server) throw notFound(`no server with id '${id}'`);
  return server;
}

/** A free id made from a name: "Web Server 1" → "web-server-1" (then -2, -3 … when taken). */
export function idFromName(state: State, name: string): string {
  const base = name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+|-+$/g, '').slice(0, 56) || 'server';
  const taken = new Set(state.servers.map((s) => s.id));
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

/** `ip` is the older name of `address`; both may be given only when they agree. */
function addressOf(input: { address?: string; ip?: string }): string | undefined {
  if (input.address !== undefined && input.ip !== undefined && input.address !== input.ip) {
    throw badRequest('give either "address" or "ip", not two different values');
  }
  return input.address ?? input.ip;
}

export function addServer(state: State, input: ServerCreate): { state: State; server: Server } {
  const id = input.id ?? idFromName(state, input.name);
  if (state.servers.some((s) => s.id === id)) throw conflict(`a server with id '${id}' already exists`);
  const address = addressOf(input);
  if (address === undefined) throw badRequest('"address" (or "ip") is required');
  const server: Server = {
    id, name: input.name, type: input.type, address,
    region: input.region ?? '', labels: input.labels ?? {}, ports: input.ports ?? [],
  };
  return { state: { ...state, servers: [...state.servers, server] }, server };
}

export function patchServer(state: State, id: string, patch: ServerPatch): { state: State; server: Server } {
  const old = findServer(state, id);
  const { ip: _ip, address: _address, ...rest } = patch;
  const address = addressOf(patch);
  const server: Server = { ...old, ...rest, ...(address === undefined ? {} : { address }) };
  return { state: { ...state, servers: state.servers.map((s) => (s.id === id ? server : s)) }, server };
}

/** Removes a server with everything that refers to it: connections, memberships, layout, its agent's credential. */
export function removeServer(state: State, id: string): State {
  findServer(state, id);
  const { [id]: _gone, ...layout } = state.layout;
  return {
    ...state,
    servers: state.servers.filter((s) => s.id !== id),
    connections: state.connections.filter((c) => c.from !== id && c.to !== id),
    clusters: state.clusters.map((c) => (c.servers.includes(id) ? { ...c, servers: c.servers.filter((m) => m !== id) } : c)),
    layout,
    agentCredentials: (state.agentCredentials ?? []).filter((c) => c.serverId !== id),
  };
}

/**
 * Refreshes the agent facts (version, inventory) an enrolled agent sends in its hello. Returns
 * the same state when nothing changed, so a reconnect costs no write.
 */
export function recordAgentFacts(state: State, serverId: string, agent: NonNullable<Server['agent']>): State {
  const existing = findServer(state, serverId);
  if (JSON.stringify(existing.agent) === JSON.stringify(agent)) return state;
  return { ...state, servers: state.servers.map((s) => (s === existing ? { ...s, agent } : s)) };
}
