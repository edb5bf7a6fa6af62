/**
 * ACL checks and what a user may see. Scope "*" sees everything; a scoped user sees the clusters
 * named in its scope, their member servers, and the connections between servers it sees.
 */
import { ACL_FLAGS } from '../../protocol/common.js';
import type { Acl, AclFlag, Cluster, Connection, Server, State } from '../../protocol/types.js';
import { forbidden, notFound } from '../errors.js';

export const FULL_ACL: Acl = { ...Object.fromEntries(ACL_FLAGS.map((f) => [f, true])) as Record<AclFlag, boolean>, scope: '*' };
export const READ_ONLY_ACL: Acl = { ...Object.fromEntries(ACL_FLAGS.map((f) => [f, f === 'view'])) as Record<AclFlag, boolean>, scope: '*' };

const FLAG_NAMES: Record<AclFlag, string> = {
  view: 'view', editServers: 'edit servers', editConnections: 'edit connections', editClusters: 'edit clusters',
  apply: 'apply configuration', scale: 'scale', enroll: 'enroll agents', exportImport: 'export/import',
};

export function requireFlag(acl: Acl, flag: AclFlag): void {
  if (!acl[flag]) throw forbidden(`you do not have the "${FLAG_NAMES[flag]}" permission`);
}

/** Every flag and scope "*": may manage users and restore the whole state. */
export function isAdmin(acl: Acl): boolean {
  return acl.scope === '*' && ACL_FLAGS.every((f) => acl[f]);
}

export function requireAdmin(acl: Acl): void {
  if (!isAdmin(acl)) throw forbidden('only a user with every permission and all clusters may do this');
}

export function requireAllClusters(acl: Acl, what: string): void {
  if (acl.scope !== '*') throw forbidden(`${what} needs access to all clusters`);
}

/** What both ACLs allow: the flags both grant and the clusters both reach. */
export function intersectAcl(a: Acl, b: Acl): Acl {
  const flags = Object.fromEntries(ACL_FLAGS.map((f) => [f, a[f] && b[f]])) as Record<AclFlag, boolean>;
  const scope = a.scope === '*' ? b.scope : b.scope === '*' ? a.scope : a.scope.filter((c) => clusterInScope(b, c));
  return { ...flags, scope };
}

export function clusterInScope(acl: Acl, name: string): boolean {
  return acl.scope === '*' || acl.scope.includes(name);
}

export function requireClusterInScope(acl: Acl, name: string): void {
  if (!clusterInScope(acl, name)) throw forbidden(`cluster '${name}' is outside your scope`);
}

export interface View {
  servers: Server[];
  connections: Connection[];
  clusters: Cluster[];
}

/** The part of the model `acl` may see. For scope "*" it is the state's own arrays (no copy). */
export function visibleModel(state: Pick<State, 'servers' | 'connections' | 'clusters'>, acl: Acl): View {
  if (acl.scope === '*') return { servers: state.servers, connections: state.connections, clusters: state.clusters };
  const clusters = state.clusters.filter((c) => clusterInScope(acl, c.name));
  const ids = new Set(clusters.flatMap((c) => c.servers));
  return {
    servers: state.servers.filter((s) => ids.has(s.id)),
    connections: state.connections.filter((c) => ids.has(c.from) && ids.has(c.to)),
    clusters,
  };
}

/** Ids of the servers `acl` may see, or null for "all of them". */
export function visibleServerIds(state: Pick<State, 'clusters'>, acl: Acl): Set<string> | null {
  if (acl.scope === '*') return null;
  return new Set(state.clusters.filter((c) => clusterInScope(acl, c.name)).flatMap((c) => c.servers));
}

/** 404 rather than 403 for a server out of scope: its existence is not the user's business. */
export function requireServerVisible(state: Pick<State, 'clusters'>, acl: Acl, id: string): void {
  const ids = visibleServerIds(state, acl);
  if (ids && !ids.has(id)) throw notFound(`no server with id '${id}'`);
}
