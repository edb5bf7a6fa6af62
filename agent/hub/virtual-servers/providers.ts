/**
 * What a virtual server needs from the Galera and Gluster features (issues 11 and 12), as the
 * orchestrator calls it: one interface each, implemented by those features inside the hub (the
 * same code behind their REST endpoints). Until they exist, NO_GALERA and NO_GLUSTER say that no
 * cluster has the role, so a server template naming a database cluster or a file volume is
 * refused when it is saved, and a setup never gets that far.
 *
 * Every call gets the caller: the orchestrator has checked the `apply` flag and that the cluster
 * is in the caller's scope; an implementation may check more and audits what it does.
 */
import type { Acl, State } from '../../protocol/types.js';
import type { Principal } from '../auth/authenticate.js';

export interface DatabaseSpec {
  name: string;
  user: string;
  /** Virtualmin's generated password: used once, never stored, logged or put in an error. */
  password: string;
}

export interface DatabaseProvider {
  /** Why `cluster` cannot hold virtual servers' databases ("cluster 'x' has no Galera role"), or null when it can. */
  unsuitable(state: State, cluster: string): string | null;
  /**
   * Creates database `name` and user `user` identified by `password` with every privilege on it,
   * once, through the cluster's writer node (Galera replicates both). A user that already exists
   * (a Virtualmin sub-server shares its parent's user) is only granted the new database. Rejects
   * with a sentence saying why, having changed nothing, when the database exists already.
   */
  createDatabase(cluster: string, db: DatabaseSpec, who: Principal): Promise<void>;
  /** Drops database `name`, and user `user` when given (not for a shared user). */
  dropDatabase(cluster: string, db: { name: string; user?: string }, who: Principal): Promise<void>;
}

export interface DirectorySpec {
  volume: string;
  /** Relative to the volume's root: one path segment (the domain name). */
  directory: string;
  /** Where the volume is mounted on each of `servers`. */
  mountPath: string;
  /** The web cluster's web servers: every one must have the volume mounted at `mountPath`. */
  servers: string[];
}

export interface FileProvider {
  /** The cluster holding Gluster volume `volume`, among the clusters `acl` sees; or why there is none. */
  locateVolume(state: State, acl: Acl, volume: string): { cluster: string } | { error: string };
  /**
   * Makes `directory` on the volume (an existing one is kept) and makes sure the volume is
   * mounted at `mountPath` on every server of `servers` (mounting it where it is not).
   */
  ensureDirectory(cluster: string, spec: DirectorySpec, who: Principal): Promise<void>;
  /** Removes `directory` and everything in it from the volume. */
  removeDirectory(cluster: string, spec: { volume: string; directory: string }, who: Principal): Promise<void>;
}

const absent = (what: string) => () => Promise.reject(new Error(`${what} is not available in this hub`));

/** No Galera feature yet: no cluster can hold databases. */
export const NO_GALERA: DatabaseProvider = {
  unsuitable: (_state, cluster) => `cluster '${cluster}' has no Galera role`,
  createDatabase: absent('Galera'),
  dropDatabase: absent('Galera'),
};

/** No Gluster feature yet: no volume can be found. */
export const NO_GLUSTER: FileProvider = {
  locateVolume: (_state, _acl, volume) => ({ error: `no cluster has a Gluster role, so there is no volume '${volume}'` }),
  ensureDirectory: absent('Gluster'),
  removeDirectory: absent('Gluster'),
};
