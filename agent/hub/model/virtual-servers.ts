/**
 * Pure operations on virtual servers: find, clash checks, the names each one answers for, what a
 * scoped user may see. The orchestration that makes them live is in ../virtual-servers/.
 */
import type { Acl, State, VirtualServer } from '../../protocol/types.js';
import { clustersOfVirtualServer } from '../../protocol/virtual-servers.js';
import { clusterInScope } from '../auth/acl.js';
import { conflict, notFound } from '../errors.js';

export const virtualServersOf = (s: Pick<State, 'virtualServers'>): VirtualServer[] => s.virtualServers ?? [];

export function findVirtualServer(s: Pick<State, 'virtualServers'>, id: string): VirtualServer {
  const vs = virtualServersOf(s).find((v) => v.id === id);
  if (!vs) throw notFound(`no virtual server with id '${id}'`);
  return vs;
}

/** Every name it answers for: the domain, then its aliases. */
export const hostsOf = (vs: Pick<VirtualServer, 'domain' | 'aliases'>): string[] => [vs.domain, ...vs.aliases];

/** The clusters it uses, each once. */
export const clustersOf = clustersOfVirtualServer;

/** Virtual servers with a part on `cluster`. */
export const virtualServersOn = (s: Pick<State, 'virtualServers'>, cluster: string) =>
  virtualServersOf(s).filter((v) => clustersOf(v).includes(cluster));

/**
 * Refuses (409) names another virtual server answers for, or that a user's host rule on the web
 * cluster already routes: two owners for one Host header would be a coin toss.
 */
export function requireFreeNames(s: Pick<State, 'virtualServers' | 'clusters'>, hosts: readonly string[], webCluster: string | undefined, self?: string): void {
  const seen = new Set<string>();
  for (const h of hosts) {
    if (seen.has(h)) throw conflict(`${h} is listed twice`);
    seen.add(h);
  }
  for (const v of virtualServersOf(s)) {
    if (v.id === self) continue;
    const taken = hostsOf(v).find((h) => seen.has(h));
    if (taken) throw conflict(`${taken} is already a name of virtual server ${v.domain} (id ${v.id})`);
  }
  const cluster = webCluster ? s.clusters.find((c) => c.name === webCluster) : undefined;
  for (const f of cluster?.loadBalancer?.frontends ?? []) {
    const rule = f.hostRules?.find((r) => seen.has(r.host.toLowerCase()));
    if (rule) throw conflict(`${rule.host} already has a host rule on frontend ${f.name} of cluster ${webCluster} (to backend ${rule.backend})`);
  }
}

/**
 * Refuses (409) a database or user another virtual server has on the same cluster (as
 * Virtualmin's check_mysql_clash does between its domains; a shared user is its parent's).
 */
export function requireFreeDatabase(s: Pick<State, 'virtualServers'>, db: { cluster: string; name?: string; user?: string; sharedUser?: boolean }, self?: string): void {
  for (const v of virtualServersOf(s)) {
    const o = v.database;
    if (v.id === self || !o || o.cluster !== db.cluster) continue;
    if (db.name && o.name === db.name) throw conflict(`database ${db.name} on cluster ${db.cluster} belongs to virtual server ${v.domain} (id ${v.id})`);
    if (db.user && !db.sharedUser && !o.sharedUser && o.user === db.user) throw conflict(`database user ${db.user} on cluster ${db.cluster} belongs to virtual server ${v.domain} (id ${v.id})`);
  }
}

/**
 * Refuses (409) names that are another virtual server's directory on the same volume: its files
 * would be served (and deleted) under a second owner.
 */
export function requireFreeDirectoryNames(s: Pick<State, 'virtualServers'>, hosts: readonly string[], files: { cluster: string; volume: string }, self?: string): void {
  for (const v of virtualServersOf(s)) {
    const f = v.files;
    if (v.id === self || !f || f.cluster !== files.cluster || f.volume !== files.volume || !hosts.includes(f.directory)) continue;
    throw conflict(`${f.directory} is the directory of virtual server ${v.domain} (id ${v.id}) on volume ${f.volume}`);
  }
}

/** Replaces (or adds) a virtual server by id. */
export function putVirtualServer(s: State, vs: VirtualServer): State {
  const list = virtualServersOf(s);
  const i = list.findIndex((v) => v.id === vs.id);
  return { ...s, virtualServers: i < 0 ? [...list, vs] : list.map((v, k) => (k === i ? vs : v)) };
}

export function removeVirtualServer(s: State, id: string): State {
  return { ...s, virtualServers: virtualServersOf(s).filter((v) => v.id !== id) };
}

/**
 * What `acl` may see of `vs`: nothing when none of its clusters is in scope, otherwise the record
 * without the parts on clusters outside the scope (their names are not the user's business).
 */
export function visibleVirtualServer(vs: VirtualServer, acl: Acl): VirtualServer | null {
  if (acl.scope === '*') return vs;
  if (!clustersOf(vs).some((c) => clusterInScope(acl, c))) return null;
  const { web, database, files, ...rest } = vs;
  return {
    ...rest,
    ...(web && clusterInScope(acl, web.cluster) ? { web } : {}),
    ...(database && clusterInScope(acl, database.cluster) ? { database } : {}),
    ...(files && clusterInScope(acl, files.cluster) ? { files } : {}),
  };
}

/** Redacted copies by record and scope, so an unchanged record stays the same object for a scoped user. */
const redacted = new WeakMap<VirtualServer, Map<string, VirtualServer | null>>();

/**
 * The virtual servers `acl` sees, by identity while a record does not change (the browser socket
 * diffs by identity): for scope "*" the state's own array.
 */
export function visibleVirtualServers(s: Pick<State, 'virtualServers'>, acl: Acl): VirtualServer[] {
  const list = virtualServersOf(s);
  if (acl.scope === '*') return list;
  const key = JSON.stringify(acl.scope);
  return list.flatMap((v) => {
    let byScope = redacted.get(v);
    if (!byScope) redacted.set(v, (byScope = new Map()));
    if (!byScope.has(key)) byScope.set(key, clustersOf(v).every((c) => clusterInScope(acl, c)) ? v : visibleVirtualServer(v, acl));
    const seen = byScope.get(key);
    return seen ? [seen] : [];
  });
}
