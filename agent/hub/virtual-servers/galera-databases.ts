/**
 * Virtual servers' databases on a Galera cluster: a thin adapter from the orchestrator's
 * DatabaseProvider to the Galera service's `database` call (one galera-sql job on the writer
 * node, audited there; the same call behind POST/DELETE /api/clusters/{name}/galera/databases).
 */
import type { State } from '../../protocol/types.js';
import { actorName } from '../auth/authenticate.js';
import type { GaleraService } from '../galera/service.js';
import { members } from '../galera/settings.js';
import type { DatabaseProvider } from './providers.js';

export function galeraDatabases(galera: Pick<GaleraService, 'database' | 'getView'>): DatabaseProvider {
  return {
    unsuitable(state: State, cluster: string) {
      const c = state.clusters.find((x) => x.name === cluster);
      if (!c?.galera) return `cluster '${cluster}' has no Galera role`;
      if (!members(state, c).length) return `cluster '${cluster}' has no server of type database`;
      return null;
    },
    warnings(_state: State, cluster: string) {
      const view = galera.getView(cluster);
      return view.writer ? [] : [`cluster '${cluster}' has no Synced node to write to now (${view.summary}): its databases cannot be made until it has`];
    },
    async createDatabase(cluster, db, who) {
      const r = await galera.database(cluster, { op: 'create-database', database: db.name, user: db.user, password: db.password, ...(db.sharedUser ? { sharedUser: true } : {}) }, actorName(who));
      return { existed: r.existed ?? { database: false, user: false } };
    },
    async dropDatabase(cluster, db, who) {
      const user = actorName(who);
      if (!db.keepDatabase) {
        await galera.database(cluster, { op: 'drop-database', database: db.name, ...(db.user ? { user: db.user } : {}), ...(db.sharedUser ? { sharedUser: true } : {}) }, user);
      } else if (db.user && !db.sharedUser) {
        await galera.database(cluster, { op: 'drop-user', user: db.user }, user);
      }
    },
    async changeUser(cluster, name, change, who) {
      const sql = 'lock' in change ? { op: change.lock ? 'lock-user' as const : 'unlock-user' as const, user: name }
        : 'rename' in change ? { op: 'rename-user' as const, user: name, newUser: change.rename }
        : { op: 'set-password' as const, user: name, password: change.password };
      await galera.database(cluster, sql, actorName(who));
    },
  };
}
