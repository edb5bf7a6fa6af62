/**
 * Whether a placement (what a Virtualmin server template names) can be used by a caller: every
 * cluster exists and is in the caller's scope (else "no cluster named …", as if it did not exist),
 * the web cluster has load balancers with an http frontend, the database cluster has the Galera
 * role, the file volume is on a Gluster cluster and its mount path is free on the web servers.
 * The same check at template time and before every setup; it changes nothing.
 */
import type { Acl, Cluster, PlacementCheck, PlacementReport, State } from '../../protocol/types.js';
import { clusterInScope } from '../auth/acl.js';
import { badRequest, notFound } from '../errors.js';
import { lbNodes } from '../jobs/lb-desired.js';
import type { DatabaseProvider, FileProvider } from './providers.js';

export interface Providers { databases: DatabaseProvider; files: FileProvider }

/** The cluster, when it exists and `acl` may see it; "not found" otherwise (its existence is not the caller's business). */
export function visibleCluster(state: Pick<State, 'clusters'>, acl: Acl, name: string): Cluster {
  const c = clusterInScope(acl, name) ? state.clusters.find((x) => x.name === name) : undefined;
  if (!c) throw notFound(`no cluster named '${name}'`);
  return c;
}

export function checkPlacement(state: State, acl: Acl, p: PlacementCheck, providers: Providers): PlacementReport {
  const report: PlacementReport = { ok: true, warnings: [] };
  if (p.web) {
    const c = visibleCluster(state, acl, p.web);
    const http = (c.loadBalancer?.frontends ?? []).filter((f) => (f.mode ?? 'http') === 'http');
    if (!http.length) throw badRequest(`cluster '${c.name}' has no http frontend on its load balancers: give it load-balancer settings first`, 'no_web_role');
    if (!lbNodes(state, c).length) throw badRequest(`cluster '${c.name}' has no server of type loadbalancer`, 'no_web_role');
    const byId = new Map(state.servers.map((s) => [s.id, s]));
    const webServers = c.servers.filter((id) => byId.get(id)?.type === 'web');
    if (!webServers.length) report.warnings.push(`cluster '${c.name}' has no web server yet: its domains answer 503 until one is added`);
    report.web = { cluster: c.name, frontends: http.map((f) => f.name), webServers };
  }
  if (p.database) {
    const c = visibleCluster(state, acl, p.database);
    const why = providers.databases.unsuitable(state, c.name);
    if (why) throw badRequest(why, 'no_galera_role');
    report.database = { cluster: c.name };
    report.warnings.push(...providers.databases.warnings(state, c.name));
  }
  if (p.files) {
    if (!report.web) throw badRequest('a file volume needs a web cluster too: its web servers mount the volume', 'files_need_web');
    const where = providers.files.locateVolume(state, acl, p.files.volume);
    if ('error' in where) throw badRequest(where.error, 'no_gluster_volume');
    visibleCluster(state, acl, where.cluster);
    const conflict = providers.files.mountProblem(state, { cluster: where.cluster, volume: p.files.volume, mountPath: p.files.mountPath, servers: report.web.webServers });
    if (conflict) throw badRequest(conflict, 'mount_path_taken');
    report.files = { cluster: where.cluster, volume: p.files.volume };
    report.warnings.push(...providers.files.warnings(state, where.cluster, p.files.volume));
  }
  return report;
}
