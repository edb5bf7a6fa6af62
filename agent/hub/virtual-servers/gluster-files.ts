/**
 * Virtual servers' files on a Gluster volume: a thin adapter from the orchestrator's FileProvider
 * to the Gluster service (`makeDirectory` and `removeDirectory` through a peer's temporary mount,
 * the same code behind POST /api/clusters/{name}/gluster/directories; the mounts are the model's
 * own, see gluster/mounts.ts, waited for with `whenMounted`, as `ensureMounted` does).
 */
import type { Acl, State } from '../../protocol/types.js';
import { clusterInScope } from '../auth/acl.js';
import type { GlusterService } from '../gluster/service.js';
import { mountConflict } from '../gluster/mounts.js';
import { findCluster } from '../model/clusters.js';
import type { Store } from '../store.js';
import type { FileProvider } from './providers.js';

/** How long the web servers may take to mount the volume. */
const MOUNT_WAIT_MS = 60_000;

export function glusterFiles(gluster: Pick<GlusterService, 'makeDirectory' | 'removeDirectory' | 'whenMounted' | 'live'>, store: Pick<Store, 'state'>, connected: (id: string) => boolean): FileProvider {
  return {
    locateVolume(state: State, acl: Acl, volume: string) {
      const c = state.clusters.find((x) => clusterInScope(acl, x.name) && x.gluster?.volumes.some((v) => v.name === volume));
      return c ? { cluster: c.name } : { error: `no Gluster cluster you can see has a volume '${volume}'` };
    },
    mountProblem: (state, spec) => mountConflict(state, spec.servers, { cluster: spec.cluster, volume: spec.volume, path: spec.mountPath }),
    warnings(_state, cluster, volume) {
      const v = gluster.live.status(cluster)?.volumes.find((x) => x.name === volume);
      return v?.started ? [] : [`volume '${volume}' of cluster '${cluster}' is ${v ? 'not started' : 'not known to be running yet'}: apply the cluster's Gluster role first`];
    },
    async makeDirectory(cluster, spec) {
      const made = await gluster.makeDirectory(findCluster(store.state, cluster), { volume: spec.volume, path: spec.directory, ...(spec.names.length ? { links: spec.names } : {}) });
      return { created: made.created };
    },
    async whenMounted(cluster, servers) {
      const online = servers.filter(connected);
      await gluster.whenMounted(findCluster(store.state, cluster), online, MOUNT_WAIT_MS);
      return { offline: servers.filter((id) => !online.includes(id)) };
    },
    async renameDirectory(cluster, spec) {
      await gluster.makeDirectory(findCluster(store.state, cluster), { volume: spec.volume, path: spec.directory, ...(spec.add.length ? { links: spec.add } : {}), ...(spec.remove.length ? { unlinks: spec.remove } : {}) });
    },
    async removeDirectory(cluster, spec) {
      await gluster.removeDirectory(findCluster(store.state, cluster), { volume: spec.volume, path: spec.directory, unlinks: spec.names });
    },
  };
}
