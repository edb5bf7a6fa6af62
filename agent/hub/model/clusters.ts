/**
 * Pure operations on clusters. Members must be existing servers; a cluster never owns them.
 * A cluster is referred to by name from alert-rule scopes, hub users' scopes and join tokens:
 * a rename changes all of them with it, in the same write.
 */
import type { Cluster, ClusterCreate, ClusterPatch, State } from '../../protocol/types.js';
import { badRequest, conflict, notFound } from '../errors.js';

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
  if (patch.name !== undefined && patch.name !== name) {
    state = renameCluster(state, name, patch.name);
    name = patch.name;
  }
  const old = findCluster(state, name);
  const servers = patchedMembers(old.servers, patch);
  requireServers(state, servers);
  const { loadBalancer, ...rest } = { ...old, servers, ...(patch.description === undefined ? {} : { description: patch.description }) };
  const lb = patch.loadBalancer === undefined ? loadBalancer : patch.loadBalancer ?? undefined;
  const cluster: Cluster = lb ? { ...rest, loadBalancer: lb } : rest;
  return { state: { ...state, clusters: state.clusters.map((c) => (c === old ? cluster : c)) }, cluster };
}

export function deleteCluster(state: State, name: string): State {
  findCluster(state, name);
  return { ...state, clusters: state.clusters.filter((c) => c.name !== name) };
}

/** `from` renamed to `to`, in every place that names it: one consistent state. */
export function renameCluster(state: State, from: string, to: string): State {
  findCluster(state, from);
  if (state.clusters.some((c) => c.name === to)) throw conflict(`a cluster named '${to}' already exists`);
  const rename = <S extends string | readonly string[]>(scope: S): S =>
    (typeof scope === 'string' || !scope.includes(from) ? scope : scope.map((n) => (n === from ? to : n)).filter((n, i, a) => a.indexOf(n) === i)) as S;
  return {
    ...state,
    clusters: state.clusters.map((c) => (c.name === from ? { ...c, name: to } : c)),
    alertRules: state.alertRules.map((r) => (r.scope === undefined || r.scope === rename(r.scope) ? r : { ...r, scope: rename(r.scope) })),
    users: state.users.map((u) => (u.acl.scope === rename(u.acl.scope) ? u : { ...u, acl: { ...u.acl, scope: rename(u.acl.scope) } })),
    ...(state.joinTokens ? { joinTokens: state.joinTokens.map((t) => (t.cluster === from ? { ...t, cluster: to } : t)) } : {}),
  };
}
