/**
 * Sets up, changes and removes virtual servers on their clusters, one step per part:
 *
 * - setup: database (Galera) → files (the directory on the Gluster volume, then its mount on the
 *   web servers) → web (host rules), so a domain answers only once what is behind it exists. A
 *   failed step undoes the steps done before it, in reverse (only what they made: a database or a
 *   directory that was there already stays), and the record goes: the caller (Virtualmin) then
 *   treats the feature as off for the domain.
 * - change: what Virtualmin's own features change. The database user is renamed (a new Unix
 *   user), gets a new password, is locked on disable and unlocked on enable (not a parent's shared
 *   user); the files keep their directory (as Virtualmin keeps the home) and the names change as
 *   links beside it; the host rules follow the names and the state. Steps in the same order, with
 *   the same undo.
 * - delete: web first (no more traffic), then the database and files unless the caller keeps them.
 *   A failed step stops there and is recorded on its part; the record stays for a retry.
 *
 * The web step is the normal plan → apply path of the cluster's load balancers: it first checks
 * that the cluster has nothing unapplied (a domain must never push someone's half-done edits
 * live), then changes the model, plans, makes sure the plan changes only host maps at runtime, and
 * applies it. When that fails the model change is undone and applied again.
 *
 * Every step is audited (who, which virtual server, what, the outcome); errors name the step; a
 * password is passed on once and never kept, logged or audited. Work on one cluster is serialized
 * (keyed-lock.ts).
 */
import { randomBytes } from 'node:crypto';
import type { PlanView, State, VirtualServer, VirtualServerCreate, VirtualServerPatch } from '../../protocol/types.js';
import { withAudit } from '../audit/entries.js';
import { type Principal, actorName } from '../auth/authenticate.js';
import { HttpError, badRequest, conflict } from '../errors.js';
import type { Plans } from '../jobs/plans.js';
import { findCluster } from '../model/clusters.js';
import {
  clustersOf, findVirtualServer, hostsOf, putVirtualServer, removeVirtualServer, requireFreeDatabase, requireFreeDirectoryNames, requireFreeNames, virtualServersOf,
} from '../model/virtual-servers.js';
import type { Store } from '../store.js';
import { KeyedLock } from './keyed-lock.js';
import { type Providers, checkPlacement } from './placement.js';

/** A step failed: 502, the message names the step and says what was undone. */
export class StepFailed extends HttpError {
  constructor(readonly step: string, message: string) {
    super(502, 'step_failed', `${step} failed: ${message}`);
  }
}

export interface VirtualServersDeps extends Providers {
  store: Store;
  plans: Pick<Plans, 'create' | 'apply'>;
  log: (msg: string) => void;
  now?: () => Date;
}

type Part = 'web' | 'database' | 'files';
const PARTS: readonly Part[] = ['web', 'database', 'files'];
const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));
const label = (vs: Pick<VirtualServer, 'id' | 'domain'>) => `${vs.domain} (id ${vs.id})`;

/** One step of a setup or a change: it returns how to undo it (nothing: it cannot be, or need not be). */
interface Step { part: Part; name: string; run: () => Promise<(() => Promise<void>) | void> }

/** Runs `steps` in order; on a failure undoes the done ones in reverse and throws a StepFailed naming the step, with `end` last in its message. */
async function runSteps(steps: readonly Step[], end: string): Promise<void> {
  const undo: { part: Part; run: () => Promise<void> }[] = [];
  for (const step of steps) {
    try {
      const back = await step.run();
      if (back) undo.push({ part: step.part, run: back });
    } catch (e) {
      const said: string[] = [];
      for (const u of undo.reverse()) {
        await u.run().then(() => said.push(`the ${u.part} step was undone`), (x: unknown) => said.push(`undoing the ${u.part} step failed too (${reason(x)})`));
      }
      throw new StepFailed(step.name, [reason(e), ...said, end].join('; '));
    }
  }
}

/** The names of a virtual server that are links beside its directory. */
const linkNames = (vs: Pick<VirtualServer, 'domain' | 'aliases' | 'files'>) => hostsOf(vs).filter((h) => h !== vs.files?.directory);

export class VirtualServers {
  private locks = new KeyedLock();
  private readonly now: () => Date;
  /** The Galera and Gluster sides. */
  readonly providers: Providers;

  constructor(private readonly deps: VirtualServersDeps) {
    this.now = deps.now ?? (() => new Date());
    this.providers = { databases: deps.databases, files: deps.files };
  }

  /**
   * At start-up: a part left `pending` by a hub that stopped mid-step is marked failed (what is
   * live on its cluster is not known): the record says so until the next change of it.
   */
  async recover(): Promise<void> {
    const stuck = virtualServersOf(this.deps.store.state).filter((v) => PARTS.some((p) => v[p]?.status === 'pending'));
    if (!stuck.length) return;
    await this.deps.store.update((s) => stuck.reduce((st, v) => PARTS.reduce((acc, p) => (v[p]?.status === 'pending'
      ? withPart(acc, v.id, p, { status: 'failed', error: 'the hub stopped while this part was being changed: check its cluster, then change or remove the virtual server again' })
      : acc), st), s));
  }

  /** Sets `input` up on its clusters as `who` (whose `apply` flag the caller checked). */
  async create(who: Principal, input: VirtualServerCreate): Promise<VirtualServer> {
    const { store, databases, files } = this.deps;
    const placement = { web: input.web, database: input.database?.cluster, files: input.files };
    if (!placement.web && !placement.database && !placement.files) throw badRequest('place at least one part: web, database or files', 'nothing_to_place');
    const report = checkPlacement(store.state, who.acl, placement, this.deps);
    const id = input.id ?? `vs-${randomBytes(6).toString('hex')}`;
    const aliases = input.aliases ?? [];
    const clusters = [report.web?.cluster, report.database?.cluster, report.files?.cluster].filter((c): c is string => !!c);
    return this.locks.run([...clusters, `vs:${id}`], async () => {
      if (virtualServersOf(store.state).some((v) => v.id === id)) throw conflict(`a virtual server with id '${id}' already exists`);
      const names = [input.domain, ...aliases];
      requireFreeNames(store.state, names, input.web);
      const db = input.database;
      if (db) requireFreeDatabase(store.state, { cluster: db.cluster, name: db.name, user: db.user, ...(db.sharedUser ? { sharedUser: true } : {}) });
      if (report.files) requireFreeDirectoryNames(store.state, names, report.files);
      const at = this.now().toISOString();
      const webServers = report.web?.webServers ?? [];
      const record: VirtualServer = {
        id, domain: input.domain, aliases, state: input.disabled ? 'disabled' : 'active', createdBy: actorName(who), createdAt: at,
        ...(db ? { database: { cluster: db.cluster, name: db.name, user: db.user, ...(db.sharedUser ? { sharedUser: true } : {}), status: 'pending' as const } } : {}),
        ...(input.files && report.files && input.web ? {
          files: { cluster: report.files.cluster, volume: input.files.volume, mountPath: input.files.mountPath, directory: input.domain, webCluster: input.web, status: 'pending' as const },
        } : {}),
      };
      const plan = [db && `database ${db.name} (user ${db.user}) on ${db.cluster}`, record.files && `directory ${record.files.directory} on volume ${record.files.volume}, mounted at ${record.files.mountPath}`,
        input.web && `host rules for ${hostsOf(record).join(', ')} on ${input.web}`].filter(Boolean).join('; ');
      // The record asks for the volume's mount on the web servers from here on (gluster/mounts.ts).
      await this.audit((s) => putVirtualServer(s, record), who, 'virtual-server.create', record, `as ${actorName(who)}: ${plan}`);
      const steps: Step[] = [];
      if (db) {
        steps.push({ part: 'database', name: `database ${db.name} on cluster ${db.cluster}`, run: async () => {
          const { existed } = await databases.createDatabase(db.cluster, { name: db.name, user: db.user, password: db.password, ...(db.sharedUser ? { sharedUser: true } : {}) }, who);
          await this.markReady(id, 'database', who, `${existed.database ? 'kept the existing' : 'created'} database ${db.name} and ${existed.user || db.sharedUser ? 'granted it to the existing' : 'created'} user ${db.user} on ${db.cluster}`);
          // An undo takes only what this step made.
          const user = db.sharedUser ? (existed.database ? {} : { user: db.user, sharedUser: true }) : existed.user ? {} : { user: db.user };
          return () => databases.dropDatabase(db.cluster, { name: db.name, keepDatabase: existed.database, ...user }, who);
        } });
      }
      const f = record.files;
      if (f) {
        const links = linkNames(record);
        steps.push({ part: 'files', name: `directory ${f.directory} on volume ${f.volume}`, run: async () => {
          const { created } = await files.makeDirectory(f.cluster, { volume: f.volume, directory: f.directory, names: links }, who);
          return created
            ? () => files.removeDirectory(f.cluster, { volume: f.volume, directory: f.directory, names: links }, who)
            : () => files.renameDirectory(f.cluster, { volume: f.volume, directory: f.directory, add: [], remove: links }, who);
        } });
        steps.push({ part: 'files', name: `mount of volume ${f.volume} at ${f.mountPath} on the web servers of ${f.webCluster}`, run: async () => {
          const { offline } = await files.whenMounted(f.cluster, webServers);
          const mounted = webServers.filter((s) => !offline.includes(s));
          await this.markReady(id, 'files', who, `made ${f.directory} on ${f.volume}${links.length ? ` (also as ${links.join(', ')})` : ''}, mounted at ${f.mountPath} on ${mounted.join(', ') || 'no server'}` +
            `${offline.length ? ` (${offline.join(', ')} ${offline.length > 1 ? 'mount' : 'mounts'} it when ${offline.length > 1 ? 'their agents connect' : 'its agent connects'})` : ''}`);
        } });
      }
      const web = input.web;
      if (web) {
        steps.push({ part: 'web', name: `web (host rules on cluster ${web})`, run: async () => {
          await this.changeWeb(web, who, (s) => withPart(s, id, 'web', { cluster: web, status: 'pending' }), (s) => withoutPart(s, id, 'web'));
          await this.markReady(id, 'web', who, `routed ${hostsOf(record).join(', ')} on ${web}${record.state === 'disabled' ? ' (disabled)' : ''}`);
        } });
      }
      try {
        await runSteps(steps, 'the virtual server was not set up');
      } catch (e) {
        await this.audit((s) => removeVirtualServer(s, id), who, 'virtual-server.create-failed', record, reason(e));
        throw e;
      }
      return findVirtualServer(store.state, id);
    });
  }

  /**
   * Renames it, changes its aliases, disables/enables it, renames its database user or sets its
   * password: each part does what Virtualmin's own feature does for that change.
   */
  async update(who: Principal, id: string, patch: VirtualServerPatch): Promise<VirtualServer> {
    const { store, databases, files } = this.deps;
    const first = findVirtualServer(store.state, id);
    return this.locks.run([...clustersOf(first), `vs:${id}`], async () => {
      const old = findVirtualServer(store.state, id);
      const dbPatch = patch.database;
      const db = old.database;
      if (dbPatch && !db) throw badRequest(`virtual server ${old.domain} has no database`, 'no_database');
      if (dbPatch && db?.sharedUser) throw badRequest(`database user ${db.user} is its parent server's: change it there`, 'shared_user');
      const user = dbPatch?.user ?? db?.user;
      const next: VirtualServer = {
        ...old, ...(patch.domain ? { domain: patch.domain } : {}), ...(patch.aliases ? { aliases: patch.aliases } : {}), ...(patch.state ? { state: patch.state } : {}),
        ...(db && user ? { database: { ...db, user } } : {}), updatedAt: this.now().toISOString(),
      };
      requireFreeNames(store.state, hostsOf(next), next.web?.cluster, id);
      if (next.files) requireFreeDirectoryNames(store.state, hostsOf(next), next.files, id);
      if (db && user !== db.user) requireFreeDatabase(store.state, { cluster: db.cluster, user: user! }, id);
      const what = describePatch(old, next, dbPatch);
      if (!what) return old;
      const namesChanged = hostsOf(old).join() !== hostsOf(next).join();
      const steps: Step[] = [];
      if (db && user) {
        const on = db.cluster;
        if (user !== db.user) {
          steps.push({ part: 'database', name: `database user ${db.user} on cluster ${on}`, run: async () => {
            await databases.changeUser(on, db.user, { rename: user }, who);
            return () => databases.changeUser(on, user, { rename: db.user }, who);
          } });
        }
        const password = dbPatch?.password;
        // A new password is not undone: Virtualmin keeps the domain's new one whatever this feature says.
        if (password) steps.push({ part: 'database', name: `password of database user ${user} on cluster ${on}`, run: () => databases.changeUser(on, user, { password }, who) });
        if (old.state !== next.state && !db.sharedUser) {
          const lock = next.state === 'disabled';
          steps.push({ part: 'database', name: `${lock ? 'lock' : 'unlock'} of database user ${user} on cluster ${on}`, run: async () => {
            await databases.changeUser(on, user, { lock }, who);
            return () => databases.changeUser(on, user, { lock: !lock }, who);
          } });
        }
      }
      const f = old.files;
      if (f && namesChanged) {
        const [before, after] = [linkNames(old), linkNames(next)];
        const add = after.filter((n) => !before.includes(n));
        const remove = before.filter((n) => !after.includes(n));
        steps.push({ part: 'files', name: `names of directory ${f.directory} on volume ${f.volume}`, run: async () => {
          await files.renameDirectory(f.cluster, { volume: f.volume, directory: f.directory, add, remove }, who);
          return () => files.renameDirectory(f.cluster, { volume: f.volume, directory: f.directory, add: remove, remove: add }, who);
        } });
      }
      const web = old.web;
      if (web && (namesChanged || old.state !== next.state)) {
        steps.push({ part: 'web', name: `web (host rules on cluster ${web.cluster})`, run: () =>
          this.changeWeb(web.cluster, who, (s) => putVirtualServer(s, { ...next, web: { cluster: web.cluster, status: 'pending' } }), (s) => putVirtualServer(s, old)) });
      }
      try {
        await runSteps(steps, 'nothing was changed');
      } catch (e) {
        await this.audit((s) => s, who, 'virtual-server.update-failed', old, `${what}: ${reason(e)}`);
        throw e;
      }
      await this.audit((s) => putVirtualServer(s, { ...next, ...(web ? { web: { cluster: web.cluster, status: 'ready' as const } } : {}) }), who, 'virtual-server.update', next, what);
      return findVirtualServer(store.state, id);
    });
  }

  /**
   * Takes it off its clusters: the host rules, then the database and the directory unless `keep`
   * names them (Virtualmin's "preserve remote" choice). A failed step stops there.
   */
  async remove(who: Principal, id: string, keep: { database: boolean; files: boolean }): Promise<void> {
    const { store } = this.deps;
    const first = findVirtualServer(store.state, id);
    await this.locks.run([...clustersOf(first), `vs:${id}`], async () => {
      const vs = findVirtualServer(store.state, id);
      const fail = async (part: Part, step: string, e: unknown): Promise<never> => {
        await this.audit((s) => withPart(s, id, part, { status: 'failed', error: `${step} failed: ${reason(e)}` }), who, 'virtual-server.delete-failed', vs, `${step} failed: ${reason(e)}`);
        throw new StepFailed(step, `${reason(e)}; the virtual server stays listed so the removal can be tried again`);
      };
      if (vs.web) {
        const web = vs.web;
        const step = `web (host rules on cluster ${web.cluster})`;
        await this.changeWeb(web.cluster, who, (s) => withoutPart(s, id, 'web'), (s) => withPart(s, id, 'web', web)).catch((e) => fail('web', step, e));
        await this.audit((s) => s, who, 'virtual-server.web', vs, `removed the host rules of ${hostsOf(vs).join(', ')} from ${web.cluster}`);
      }
      const db = vs.database;
      if (db && !keep.database) {
        const step = `database ${db.name} on cluster ${db.cluster}`;
        await this.deps.databases.dropDatabase(db.cluster, { name: db.name, user: db.user, ...(db.sharedUser ? { sharedUser: true } : {}) }, who).catch((e) => fail('database', step, e));
        await this.audit((s) => withoutPart(s, id, 'database'), who, 'virtual-server.database', vs, `dropped database ${db.name}${db.sharedUser ? ` (user ${db.user} is its parent's: kept)` : ` and user ${db.user}`} on ${db.cluster}`);
      }
      const files = vs.files;
      if (files && !keep.files) {
        const step = `directory ${files.directory} on volume ${files.volume}`;
        await this.deps.files.removeDirectory(files.cluster, { volume: files.volume, directory: files.directory, names: linkNames(vs) }, who).catch((e) => fail('files', step, e));
        await this.audit((s) => withoutPart(s, id, 'files'), who, 'virtual-server.files', vs, `removed ${files.directory} and its names from ${files.volume}`);
      }
      const kept = [db && keep.database && `database ${db.name} on ${db.cluster}`, files && keep.files && `directory ${files.directory} on ${files.volume}`].filter(Boolean);
      // The record goes, and with it the volume's mount on the web servers (unless another virtual server needs it).
      await this.audit((s) => removeVirtualServer(s, id), who, 'virtual-server.delete', vs, kept.length ? `kept ${kept.join(' and ')}` : 'nothing kept');
    });
  }

  /**
   * The web step: the cluster must have nothing unapplied; then `forward` changes the model, and
   * its plan (host maps only, at runtime) is applied. On failure `backward` restores the model,
   * which is applied again; the error says how that went.
   */
  private async changeWeb(cluster: string, who: Principal, forward: (s: State) => State, backward: (s: State) => State): Promise<void> {
    const { store, plans } = this.deps;
    const before = await plans.create(findCluster(store.state, cluster), actorName(who));
    if (before.state !== 'planned') throw new Error(`cannot plan cluster '${cluster}': ${nodeErrors(before)}`);
    const behind = unapplied(before);
    if (behind) throw conflict(`cluster '${cluster}' has load-balancing changes that are not applied yet (${behind}): apply or undo them in Unlimited Cluster first; nothing was changed`);
    await store.update(forward);
    try {
      await this.applyHostRules(cluster, who);
    } catch (e) {
      await store.update(backward);
      const undo = await this.applyHostRules(cluster, who).then(() => 'the change was undone', (x: unknown) =>
        `undoing it failed too (${reason(x)}): plan and apply cluster '${cluster}' to bring its load balancers in line`);
      throw new Error(`${reason(e)}; ${undo}`);
    }
  }

  /** Plans the cluster and applies the plan, provided it only changes host maps at runtime. */
  private async applyHostRules(cluster: string, who: Principal): Promise<void> {
    const { store, plans } = this.deps;
    const plan = await plans.create(findCluster(store.state, cluster), actorName(who));
    if (plan.state !== 'planned') throw new Error(`the plan is ${plan.state}: ${nodeErrors(plan)}`);
    const reload = plan.nodes.find((n) => n.files.some((f) => f.change === 'reload'));
    if (reload) throw new Error(`${reload.serverId} would need a reload: the cluster changed while the host rules were planned`);
    const done = await plans.apply(plan.id, actorName(who)).done;
    if (done.state !== 'applied') throw new Error(`the apply ${done.state}: ${nodeErrors(done)}`);
  }

  private async markReady(id: string, part: Part, who: Principal, detail: string): Promise<void> {
    const vs = findVirtualServer(this.deps.store.state, id);
    await this.audit((s) => withPart(s, id, part, { status: 'ready' }), who, `virtual-server.${part}`, vs, detail);
  }

  private async audit(change: (s: State) => State, who: Principal, action: string, vs: VirtualServer, detail: string): Promise<void> {
    await this.deps.store.update((s) => withAudit(change(s), actorName(who), action, label(vs), this.now(), { detail, clusters: clustersOf(vs) }));
  }
}

/** The record with `part` merged into its part (or set, when it has none). */
function withPart(s: State, id: string, part: Part, value: Record<string, unknown>): State {
  const vs = findVirtualServer(s, id);
  const { error: _e, ...was } = (vs[part] ?? {}) as Record<string, unknown>;
  return putVirtualServer(s, { ...vs, [part]: { ...was, ...value } } as VirtualServer);
}

function withoutPart(s: State, id: string, part: Part): State {
  const { [part]: _gone, ...rest } = findVirtualServer(s, id);
  return putVirtualServer(s, rest);
}

/** What a plan would still change on the cluster's nodes ("lb1: haproxy reload"), or '' when nothing. */
function unapplied(plan: PlanView): string {
  return plan.nodes.flatMap((n) => n.files.filter((f) => f.change !== 'none').map((f) => `${n.serverId}: ${f.applier} ${f.change}`)).join(', ');
}

const nodeErrors = (p: PlanView) => p.nodes.filter((n) => n.error).map((n) => `${n.serverId}: ${n.error}`).join('; ') || 'no node said why';

function describePatch(old: VirtualServer, next: VirtualServer, db: VirtualServerPatch['database']): string {
  const out: string[] = [];
  if (old.domain !== next.domain) out.push(`renamed ${old.domain} to ${next.domain}`);
  if (old.aliases.join() !== next.aliases.join()) out.push(`aliases ${next.aliases.join(', ') || 'none'} (were ${old.aliases.join(', ') || 'none'})`);
  if (old.state !== next.state) out.push(next.state === 'disabled' ? 'disabled (its names answer the "website disabled" page, its database user is locked)' : 'enabled');
  if (old.database && next.database && old.database.user !== next.database.user) out.push(`database user ${old.database.user} renamed to ${next.database.user}`);
  if (db?.password) out.push(`a new password for database user ${next.database?.user}`);
  return out.join('; ');
}
