/**
 * What a virtual server needs from the Galera and Gluster features, as the orchestrator calls
 * it: one interface each. The hub implements them with those features' own services
 * (galera-databases.ts, gluster-files.ts: the same code behind their REST endpoints); the
 * orchestrator's tests use doubles.
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
  /** The user is a parent server's (a Virtualmin sub-server): made only when missing, its password left alone. */
  sharedUser?: boolean;
}

/** A change of a database user: Virtualmin's disable (lock) and enable, a new Unix user (rename), a new password. */
export type UserChange = { lock: boolean } | { rename: string } | { password: string };

export interface DatabaseProvider {
  /** Why `cluster` cannot hold virtual servers' databases ("cluster 'x' has no Galera role"), or null when it can. */
  unsuitable(state: State, cluster: string): string | null;
  /** What may surprise now (no node to run on), for a template check. */
  warnings(state: State, cluster: string): string[];
  /**
   * Creates database `name` and user `user` identified by `password` with every privilege on it,
   * once, through the cluster's writer node (Galera replicates both). What was there already is
   * kept (as Virtualmin does) and said, so an undo removes only what this made.
   */
  createDatabase(cluster: string, db: DatabaseSpec, who: Principal): Promise<{ existed: { database: boolean; user: boolean } }>;
  /** Drops database `name` (when `keepDatabase` is not set) and its user when given: a shared user only loses its grant on it. */
  dropDatabase(cluster: string, db: { name: string; user?: string; sharedUser?: boolean; keepDatabase?: boolean }, who: Principal): Promise<void>;
  changeUser(cluster: string, user: string, change: UserChange, who: Principal): Promise<void>;
}

export interface DirectorySpec {
  volume: string;
  /** Relative to the volume's root: one path segment (the domain name). */
  directory: string;
  /** Its other names: links beside it (www., aliases), so a web server serving MOUNT/HOST finds it under each. */
  names: string[];
}

export interface FileProvider {
  /** The cluster holding Gluster volume `volume`, among the clusters `acl` sees; or why there is none. */
  locateVolume(state: State, acl: Acl, volume: string): { cluster: string } | { error: string };
  /** Why `servers` cannot have the volume mounted at `mountPath` (another volume is mounted there), or null. */
  mountProblem(state: State, spec: { cluster: string; volume: string; mountPath: string; servers: string[] }): string | null;
  /** What may surprise now (the volume not started), for a template check. */
  warnings(state: State, cluster: string, volume: string): string[];
  /** Makes `directory` on the volume with its `names` as links; an existing directory is kept and said (`created` false). */
  makeDirectory(cluster: string, spec: DirectorySpec, who: Principal): Promise<{ created: boolean }>;
  /**
   * Waits until every server of `servers` whose agent is connected has the cluster's volume
   * mounted where the model says (a virtual server's files part asks for its mount); `offline`:
   * the servers that get it when their agent connects.
   */
  whenMounted(cluster: string, servers: string[]): Promise<{ offline: string[] }>;
  /** Adds and removes names (links) of the directory: a rename, new aliases. */
  renameDirectory(cluster: string, spec: { volume: string; directory: string; add: string[]; remove: string[] }, who: Principal): Promise<void>;
  /** Removes `directory` and everything in it from the volume, and its `names`. */
  removeDirectory(cluster: string, spec: { volume: string; directory: string; names: string[] }, who: Principal): Promise<void>;
}
