/**
 * Pure operations on clusters. Members must be existing servers; a cluster never owns them.
 * A cluster is referred to by name from alert-rule scopes, hub users' scopes and join tokens:
 * a rename changes all of them with it, in the same write.
 */
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
  if (patch.name !== undefined && patch.name !== name) {
    state = renameCluster(state, name, patch.name);
    name = patch.name;
  }
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
  const databases = virtualServersOn(state, name).filter((v) => v.database?.cluster === name);
  if (databases.length && !g) throw conflict(`cluster '${name}' holds the databases of ${databases.length} virtual server${databases.length === 1 ? '' : 's'} (${databases[0]!.domain}…): it must keep its Galera role`);
  const lost = virtualServersOn(state, name).find((v) => v.files?.cluster === name && !gl?.volumes.some((x) => x.name === v.files!.volume));
  if (lost) throw conflict(`cluster '${name}' holds the files of virtual server ${lost.domain} on volume ${lost.files!.volume}: it must keep that volume in its Gluster role`);
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

/** `from` renamed to `to`, in every place that names it: one consistent state. */
export function renameCluster(state: State, from: string, to: string): State {
  const cluster = findCluster(state, from);
  if (state.clusters.some((c) => c.name === to)) throw conflict(`a cluster named '${to}' already exists`);
  // Galera's cluster name, its secrets and Gluster's volumes belong to the running nodes: a rename
  // would mean restarting or re-creating them, which a rename must not do behind the user's back.
  const role = cluster.galera ? 'a Galera role' : cluster.gluster ? 'a Gluster role' : undefined;
  if (role) throw conflict(`cluster '${from}' has ${role}: its nodes know it by this name, so it cannot be renamed`);
  const rename = <S extends string | readonly string[]>(scope: S): S =>
    (typeof scope === 'string' || !scope.includes(from) ? scope : scope.map((n) => (n === from ? to : n)).filter((n, i, a) => a.indexOf(n) === i)) as S;
  const part = <P extends { cluster: string }>(p: P | undefined): P | undefined => (p && p.cluster === from ? { ...p, cluster: to } : p);
  const { [from]: scaling, ...otherScaling } = state.scaling ?? {};
  return {
    ...state,
    clusters: state.clusters.map((c) => (c.name === from ? { ...c, name: to } : c)),
    alertRules: state.alertRules.map((r) => (r.scope === undefined || r.scope === rename(r.scope) ? r : { ...r, scope: rename(r.scope) })),
    users: state.users.map((u) => (u.acl.scope === rename(u.acl.scope) ? u : { ...u, acl: { ...u.acl, scope: rename(u.acl.scope) } })),
    apiTokens: state.apiTokens.map((t) => (!t.acl || t.acl.scope === rename(t.acl.scope) ? t : { ...t, acl: { ...t.acl, scope: rename(t.acl.scope) } })),
    ...(state.joinTokens ? { joinTokens: state.joinTokens.map((t) => (t.cluster === from ? { ...t, cluster: to } : t)) } : {}),
    ...(scaling ? { scaling: { ...otherScaling, [to]: scaling } } : {}),
    ...(state.virtualServers ? {
      virtualServers: state.virtualServers.map((v) => {
        const [web, database] = [part(v.web), part(v.database)];
        const files = v.files?.webCluster === from ? { ...part(v.files)!, webCluster: to } : part(v.files);
        return web === v.web && database === v.database && files === v.files ? v : { ...v, ...(web ? { web } : {}), ...(database ? { database } : {}), ...(files ? { files } : {}) };
      }),
    } : {}),
  };
}
