/**
 * Sets up, changes and removes virtual servers on their clusters, one step per part:
 *
 * - setup: database (Galera) → files (Gluster) → web (host rules), so a domain answers only once
 *   what is behind it exists. A failed step undoes the steps done before it, in reverse, and the
 *   record goes: the caller (Virtualmin) then treats the feature as off for the domain.
 * - rename, aliases, disable/enable: only the web part changes (the database keeps its name, the
 *   files their directory, as Virtualmin keeps both on a rename).
 * - delete: web first (no more traffic), then the database and files unless the caller keeps them.
 *   A failed step stops there and is recorded on its part; the record stays for a retry.
 *
 * The web step is the normal plan → apply path of the cluster's load balancers: it first checks
 * that the cluster has nothing unapplied (a domain must never push someone's half-done edits
 * live), then changes the model, plans, makes sure the plan changes only host maps at runtime, and
 * applies it. When that fails the model change is undone and applied again.
 *
 * Every step is audited (who, which virtual server, what, the outcome); errors name the step.
 * Work on one cluster is serialized (keyed-lock.ts).
 */
import { randomBytes } from 'node:crypto';
import type { PlanView, State, VirtualServer, VirtualServerCreate, VirtualServerPatch } from '../../protocol/types.js';
import { withAudit } from '../audit/entries.js';
import { type Principal, actorName } from '../auth/authenticate.js';
import { HttpError, badRequest, conflict } from '../errors.js';
import type { Plans } from '../jobs/plans.js';
import { findCluster } from '../model/clusters.js';
import { clustersOf, findVirtualServer, hostsOf, putVirtualServer, removeVirtualServer, requireFreeNames, virtualServersOf } from '../model/virtual-servers.js';
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

export class VirtualServers {
  private locks = new KeyedLock();
  private readonly now: () => Date;
  /** The Galera and Gluster sides (NO_GALERA / NO_GLUSTER until those features exist). */
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
    const { store } = this.deps;
    const placement = { web: input.web, database: input.database?.cluster, files: input.files };
    if (!placement.web && !placement.database && !placement.files) throw badRequest('place at least one part: web, database or files', 'nothing_to_place');
    const report = checkPlacement(store.state, who.acl, placement, this.deps);
    const id = input.id ?? `vs-${randomBytes(6).toString('hex')}`;
    const aliases = input.aliases ?? [];
    const clusters = [report.web?.cluster, report.database?.cluster, report.files?.cluster].filter((c): c is string => !!c);
    return this.locks.run([...clusters, `vs:${id}`], async () => {
      if (virtualServersOf(store.state).some((v) => v.id === id)) throw conflict(`a virtual server with id '${id}' already exists`);
      requireFreeNames(store.state, [input.domain, ...aliases], input.web);
      const at = this.now().toISOString();
      const db = input.database;
      const record: VirtualServer = {
        id, domain: input.domain, aliases, state: input.disabled ? 'disabled' : 'active', createdBy: actorName(who), createdAt: at,
        ...(db ? { database: { cluster: db.cluster, name: db.name, user: db.user, ...(db.sharedUser ? { sharedUser: true } : {}), status: 'pending' as const } } : {}),
        ...(input.files && report.files ? { files: { cluster: report.files.cluster, volume: input.files.volume, mountPath: input.files.mountPath, directory: input.domain, status: 'pending' as const } } : {}),
      };
      const plan = [db && `database ${db.name} (user ${db.user}) on ${db.cluster}`, record.files && `directory ${record.files.directory} on volume ${record.files.volume}`,
        input.web && `host rules for ${hostsOf(record).join(', ')} on ${input.web}`].filter(Boolean).join('; ');
      await this.audit((s) => putVirtualServer(s, record), who, 'virtual-server.create', record, `as ${actorName(who)}: ${plan}`);
      const undo: { part: Part; run: () => Promise<void> }[] = [];
      let step = '';
      try {
        if (db) {
          step = `database ${db.name} on cluster ${db.cluster}`;
          await this.deps.databases.createDatabase(db.cluster, { name: db.name, user: db.user, password: db.password }, who);
          undo.push({ part: 'database', run: () => this.deps.databases.dropDatabase(db.cluster, { name: db.name, ...(db.sharedUser ? {} : { user: db.user }) }, who) });
          await this.markReady(id, 'database', who, `created database ${db.name} and user ${db.user} on ${db.cluster}`);
        }
        const files = record.files;
        if (files) {
          step = `directory ${files.directory} on volume ${files.volume}`;
          await this.deps.files.ensureDirectory(files.cluster, { volume: files.volume, directory: files.directory, mountPath: files.mountPath, servers: report.web?.webServers ?? [] }, who);
          undo.push({ part: 'files', run: () => this.deps.files.removeDirectory(files.cluster, { volume: files.volume, directory: files.directory }, who) });
          await this.markReady(id, 'files', who, `made ${files.directory} on ${files.volume}, mounted at ${files.mountPath} on ${(report.web?.webServers ?? []).join(', ') || 'no server'}`);
        }
        if (input.web) {
          const web = input.web;
          step = `web (host rules on cluster ${web})`;
          await this.changeWeb(web, who, (s) => withPart(s, id, 'web', { cluster: web, status: 'pending' }), (s) => withoutPart(s, id, 'web'));
          await this.markReady(id, 'web', who, `routed ${hostsOf(record).join(', ')} on ${web}${record.state === 'disabled' ? ' (disabled)' : ''}`);
        }
      } catch (e) {
        const undone: string[] = [];
        for (const u of undo.reverse()) {
          await u.run().then(() => undone.push(`the ${u.part} step was undone`), (x: unknown) => undone.push(`undoing the ${u.part} step failed too (${reason(x)})`));
        }
        const message = [reason(e), ...undone, 'the virtual server was not set up'].join('; ');
        await this.audit((s) => removeVirtualServer(s, id), who, 'virtual-server.create-failed', record, `${step} failed: ${message}`);
        throw new StepFailed(step, message);
      }
      return findVirtualServer(store.state, id);
    });
  }

  /** Renames it, changes its aliases, or disables/enables it: only its host rules change. */
  async update(who: Principal, id: string, patch: VirtualServerPatch): Promise<VirtualServer> {
    const { store } = this.deps;
    const first = findVirtualServer(store.state, id);
    return this.locks.run([...(first.web ? [first.web.cluster] : []), `vs:${id}`], async () => {
      const old = findVirtualServer(store.state, id);
      const next: VirtualServer = { ...old, ...patch, updatedAt: this.now().toISOString() };
      requireFreeNames(store.state, hostsOf(next), next.web?.cluster, id);
      const what = describePatch(old, next);
      if (!what) return old;
      if (!old.web) {
        await this.audit((s) => putVirtualServer(s, next), who, 'virtual-server.update', next, what);
        return next;
      }
      const web = old.web.cluster;
      const step = `web (host rules on cluster ${web})`;
      try {
        await this.changeWeb(web, who, (s) => putVirtualServer(s, { ...next, web: { cluster: web, status: 'pending' } }), (s) => putVirtualServer(s, old));
      } catch (e) {
        await this.audit((s) => s, who, 'virtual-server.update-failed', old, `${what}: ${step} failed: ${reason(e)}`);
        throw new StepFailed(step, reason(e));
      }
      await this.audit((s) => putVirtualServer(s, { ...next, web: { cluster: web, status: 'ready' } }), who, 'virtual-server.update', next, what);
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
    const clusters = [first.web?.cluster, first.database?.cluster, first.files?.cluster].filter((c): c is string => !!c);
    await this.locks.run([...clusters, `vs:${id}`], async () => {
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
        await this.deps.databases.dropDatabase(db.cluster, { name: db.name, ...(db.sharedUser ? {} : { user: db.user }) }, who).catch((e) => fail('database', step, e));
        await this.audit((s) => withoutPart(s, id, 'database'), who, 'virtual-server.database', vs, `dropped database ${db.name}${db.sharedUser ? '' : ` and user ${db.user}`} on ${db.cluster}`);
      }
      const files = vs.files;
      if (files && !keep.files) {
        const step = `directory ${files.directory} on volume ${files.volume}`;
        await this.deps.files.removeDirectory(files.cluster, { volume: files.volume, directory: files.directory }, who).catch((e) => fail('files', step, e));
        await this.audit((s) => withoutPart(s, id, 'files'), who, 'virtual-server.files', vs, `removed ${files.directory} from ${files.volume}`);
      }
      const kept = [db && keep.database && `database ${db.name} on ${db.cluster}`, files && keep.files && `directory ${files.directory} on ${files.volume}`].filter(Boolean);
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

function describePatch(old: VirtualServer, next: VirtualServer): string {
  const out: string[] = [];
  if (old.domain !== next.domain) out.push(`renamed ${old.domain} to ${next.domain}`);
  if (old.aliases.join() !== next.aliases.join()) out.push(`aliases ${next.aliases.join(', ') || 'none'} (were ${old.aliases.join(', ') || 'none'})`);
  if (old.state !== next.state) out.push(next.state === 'disabled' ? 'disabled (its names answer the "website disabled" page)' : 'enabled');
  return out.join('; ');
}
