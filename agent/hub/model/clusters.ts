/** Pure operations on clusters. Members must be existing servers; a cluster never owns them. */
import type { Cluster, ClusterCreate, ClusterPatch, State } from '../../protocol/types.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { virtualServersOn } from './virtual-servers.js';

export function findCluster(state: State, name: string): Cluster {
  const cluster = state.clusters.find((c) => c.name === name);
  if (!cluster) throw notFound(`no cluster named '${name}'`);
  return cluster;
}

function requireServers(state: State, ids: readonly string[]): void {
  const known = new Set(state.servers.map((s) => s.id));
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length) throw badRequest(`no server with id ${missing.map((m) => `'${m}'`).join(', ')}`, 'unknown_server');
}

export function createCluster(state: State, input: ClusterCreate): { state: State; cluster: Cluster } {
  if (state.clusters.some((c) => c.name === input.name)) throw conflict(`a cluster named '${input.name}' already exists`);
  const servers = input.servers ?? [];
  requireServers(state, servers);
  const cluster: Cluster = {
    name: input.name, servers,
    ...(input.description === undefined ? {} : { description: input.description }),
    ...(input.loadBalancer === undefined ? {} : { loadBalancer: input.loadBalancer }),
    ...(input.galera === undefined ? {} : { galera: input.galera }),
    ...(input.gluster === undefined ? {} : { gluster: input.gluster }),
  };
  return { state: { ...state, clusters: [...state.clusters, cluster] }, cluster };
}

/** The member list a patch asks for: `servers` replaces, then `addServers`/`removeServers` apply. */
export function patchedMembers(current: readonly string[], patch: ClusterPatch): string[] {
  const members = [...(patch.servers ?? current)];
  for (const id of patch.addServers ?? []) if (!members.includes(id)) members.push(id);
  const removed = new Set(patch.removeServers ?? []);
  return members.filter((id) => !removed.has(id));
}

export function patchCluster(state: State, name: string, patch: ClusterPatch): { state: State; cluster: Cluster } {
  const old = findCluster(state, name);
  const servers = patchedMembers(old.servers, patch);
  requireServers(state, servers);
  const { loadBalancer, galera, gluster, ...rest } = { ...old, servers, ...(patch.description === undefined ? {} : { description: patch.description }) };
  // `null` removes a role's settings; absent keeps them.
  const lb = patch.loadBalancer === undefined ? loadBalancer : patch.loadBalancer ?? undefined;
  const served = virtualServersOn(state, name).filter((v) => v.web?.cluster === name);
  if (served.length && !lb?.frontends.some((f) => (f.mode ?? 'http') === 'http')) {
    throw conflict(`cluster '${name}' routes the names of ${served.length} virtual server${served.length === 1 ? '' : 's'} (${served[0]!.domain}…): it must keep an http frontend`);
  }
  const g = patch.galera === undefined ? galera : patch.galera ?? undefined;
  const gl = patch.gluster === undefined ? gluster : patch.gluster ?? undefined;
  const cluster: Cluster = { ...rest, ...(lb ? { loadBalancer: lb } : {}), ...(g ? { galera: g } : {}), ...(gl ? { gluster: gl } : {}) };
  return { state: { ...state, clusters: state.clusters.map((c) => (c === old ? cluster : c)) }, cluster };
}

/** Its scaling policy and binding go with it (the group itself is left alone). */
export function deleteCluster(state: State, name: string): State {
  findCluster(state, name);
  const on = virtualServersOn(state, name);
  if (on.length) throw conflict(`cluster '${name}' serves ${on.length} virtual server${on.length === 1 ? '' : 's'} (${on.slice(0, 3).map((v) => v.domain).join(', ')}${on.length > 3 ? ', …' : ''}): remove them first`);
  const { [name]: _scaling, ...scaling } = state.scaling ?? {};
  return { ...state, clusters: state.clusters.filter((c) => c.name !== name), ...(state.scaling ? { scaling } : {}) };
}
