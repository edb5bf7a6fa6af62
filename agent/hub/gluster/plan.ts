/**
 * Gluster plans, as pure functions of the model, the role settings and what the nodes said
 * (their `inspect` answers or the live status): the role's apply (probe peers, create, set
 * options, start, verify), an expansion by a replica set, a node's bricks moved to another node,
 * a peer removed, a split-brain file resolved. A plan that would break a rule (a brick host that
 * is loopback, a brick path already used, too few servers) comes back with its errors and no
 * steps: nothing runs. Each step is one job on one node (agent/appliers/gluster/commands.ts
 * builds its command line; `describeJob` shows it).
 */
import { DEFAULT_BRICK_PATH } from '../../protocol/gluster.js';
import type {
  Cluster, GlusterJob, GlusterJobResult, GlusterSettings, GlusterStatus, GlusterVolumeSettings, Server, VolumeStatus,
} from '../../protocol/types.js';
import { describeJob } from '../../appliers/gluster/commands.js';
import type { StepPlan } from '../operations/runner.js';

/** What a node answered to `inspect` (or why it could not). */
export interface Inspection {
  error?: string;
  result?: GlusterJobResult;
}

export interface PlanOutcome {
  steps: StepPlan[];
  errors: string[];
}

/** A step that sends one gluster job to `serverId`. */
export function jobStep(serverId: string, title: string, job: GlusterJob): StepPlan {
  return { action: 'gluster', title, serverId, args: { job } };
}

/** What a plan shows for a step: the command, or what the hub waits for. */
export function stepCommand(step: StepPlan): string {
  const job = (step.args as { job?: GlusterJob } | undefined)?.job;
  if (job) return describeJob(job);
  return String((step.args as { show?: string } | undefined)?.show ?? step.title);
}

/** glusterd refuses these as brick hosts; a peer must be reachable by the others at its address. */
export function isLoopback(address: string): boolean {
  const a = address.toLowerCase();
  return a === 'localhost' || a.endsWith('.localhost') || a.startsWith('127.') || a === '::1' || a === '0.0.0.0';
}

/** The cluster's `filesystem` members, in membership order: the Gluster peers. */
export function glusterMembers(cluster: Cluster, servers: readonly Server[]): Server[] {
  const byId = new Map(servers.map((s) => [s.id, s]));
  return cluster.servers.map((id) => byId.get(id)).filter((s): s is Server => s?.type === 'filesystem');
}

/** A brick path from the template: `{volume}`, `{server}` and `{n}` replaced. */
export function brickPath(volume: GlusterVolumeSettings, server: Server, n: number): string {
  const path = volume.bricks?.[server.id] ?? volume.brickPath ?? DEFAULT_BRICK_PATH;
  return path.replaceAll('{volume}', volume.name).replaceAll('{server}', server.id).replaceAll('{n}', String(n));
}

/** Every `host:path` any volume in `status` uses, with the volume's name. */
function usedBricks(status: GlusterStatus | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const v of status?.volumes ?? []) for (const b of v.bricks) out.set(`${b.host}:${b.path}`, v.name);
  return out;
}

/** Whether `path` is (or lies inside, or contains) one of `paths`: glusterd refuses nested bricks too. */
const overlaps = (path: string, other: string) => path === other || path.startsWith(`${other}/`) || other.startsWith(`${path}/`);

/** One `prepare` step per server that gets new bricks (their parent directories). */
function prepareSteps(bricks: { server: Server; path: string }[]): StepPlan[] {
  const byServer = new Map<string, string[]>();
  for (const b of bricks) byServer.set(b.server.id, [...(byServer.get(b.server.id) ?? []), b.path]);
  return [...byServer].map(([id, paths]) => jobStep(id, `Prepare the brick directories on ${id}`, { op: 'prepare', paths }));
}

/** The checks every new brick must pass: a real address, a free path (not a brick now, absent or empty on disk). */
function checkNewBricks(bricks: { server: Server; path: string }[], status: GlusterStatus | undefined, inspections: ReadonlyMap<string, Inspection>): string[] {
  const errors: string[] = [];
  const used = usedBricks(status);
  bricks.forEach(({ server, path }, i) => {
    if (isLoopback(server.address)) errors.push(`${server.id}'s address ${server.address} cannot be a brick host (glusterd refuses loopback addresses): give the server its network address`);
    for (const [name, vol] of used) {
      const at = name.indexOf(':/');
      if (name.slice(0, at) === server.address && overlaps(path, name.slice(at + 1))) errors.push(`brick path ${path} on ${server.id} is already used by volume ${vol} (${name}): brick directories cannot be reused`);
    }
    for (const other of bricks.slice(0, i)) {
      if (other.server.id === server.id && overlaps(path, other.path)) errors.push(`brick path ${path} on ${server.id} is planned twice`);
    }
    const checked = inspections.get(server.id)?.result?.paths?.find((p) => p.path === path);
    if (checked?.state === 'used') errors.push(`brick path ${path} on ${server.id} ${checked.detail ?? 'is in use'}`);
  });
  return errors;
}

/** The node that runs cluster-wide commands: the first of `candidates` whose glusterd answered. */
function actorOf(candidates: readonly Server[], inspections: ReadonlyMap<string, Inspection>, skip?: string): Server | undefined {
  return candidates.find((s) => s.id !== skip && inspections.get(s.id)?.result?.status && !inspections.get(s.id)?.error);
}

/** Peers the actor has in its pool, by the address the others know them by. */
function poolHosts(status: GlusterStatus | undefined): Set<string> {
  return new Set((status?.peers ?? []).filter((p) => !p.self).map((p) => p.hostname));
}

function probeStep(actor: Server, hosts: string[]): StepPlan[] {
  return hosts.length ? [jobStep(actor.id, `Probe ${hosts.join(', ')} from ${actor.id}`, { op: 'probe', hosts })] : [];
}

function inspectionErrors(servers: readonly Server[], inspections: ReadonlyMap<string, Inspection>): string[] {
  return servers.flatMap((s) => {
    const i = inspections.get(s.id);
    return i?.error ? [`${s.id}: ${i.error}`] : i?.result ? [] : [`${s.id}: not inspected`];
  });
}

/** The servers of the first replica set: the settings' `servers`, or the first three peers. */
export function firstReplicaSet(settings: GlusterSettings, members: readonly Server[]): Server[] {
  if (!settings.servers) return members.slice(0, 3);
  return settings.servers.map((id) => members.find((m) => m.id === id)).filter((s): s is Server => !!s);
}

/**
 * The role's plan: every peer probed, every volume created (replica 3, or 2 + arbiter) on the
 * first replica set with its options, started and verified; an existing volume only gets the
 * options that differ and a start if stopped. The same settings applied again give no steps.
 */
export function planApply(cluster: Cluster, servers: readonly Server[], inspections: ReadonlyMap<string, Inspection>): PlanOutcome {
  const settings = cluster.gluster;
  if (!settings) return { steps: [], errors: [`cluster ${cluster.name} has no Gluster role`] };
  const members = glusterMembers(cluster, servers);
  const set = firstReplicaSet(settings, members);
  const errors: string[] = [];
  if (members.length < 3) errors.push(`a replicated volume needs 3 filesystem servers in the cluster; ${cluster.name} has ${members.length}`);
  else if (set.length < 3) errors.push(`the role's servers (${settings.servers?.join(', ')}) must be filesystem members of ${cluster.name}`);
  for (const m of members) if (isLoopback(m.address)) errors.push(`${m.id}'s address ${m.address} cannot be a Gluster peer (glusterd refuses loopback addresses): give the server its network address`);
  const names = settings.volumes.map((v) => v.name);
  for (const n of new Set(names.filter((n, i) => names.indexOf(n) !== i))) errors.push(`volume ${n} is named twice`);
  if (settings.mountVolume && !names.includes(settings.mountVolume)) errors.push(`mountVolume ${settings.mountVolume} is not one of the role's volumes`);
  errors.push(...inspectionErrors(members, inspections));
  const actor = actorOf(set, inspections);
  if (!actor && !errors.length) errors.push('no server of the first replica set answered');
  if (errors.length || !actor) return { steps: [], errors };

  const status = inspections.get(actor.id)!.result!.status;
  const pool = poolHosts(status);
  const steps: StepPlan[] = probeStep(actor, members.filter((m) => m.id !== actor.id && !pool.has(m.address)).map((m) => m.address));
  const fresh: { server: Server; path: string }[] = [];
  for (const vol of settings.volumes) {
    const existing = status?.volumes.find((v) => v.name === vol.name);
    if (!existing) {
      const bricks = set.map((server) => ({ server, path: brickPath(vol, server, 1) }));
      fresh.push(...bricks);
      steps.push(...prepareSteps(bricks));
      steps.push(jobStep(actor.id, `Create volume ${vol.name} (${vol.arbiter ? 'replica 2 + arbiter' : 'replica 3'})`, {
        op: 'create', volume: vol.name, replica: 3, ...(vol.arbiter ? { arbiter: true } : {}),
        bricks: bricks.map((b) => `${b.server.address}:${b.path}`), ...(vol.force ? { force: true } : {}),
      }));
    }
    const options = Object.fromEntries(Object.entries(vol.options ?? {}).filter(([k, v]) => existing?.options[k] !== v));
    if (Object.keys(options).length) steps.push(jobStep(actor.id, `Set ${Object.keys(options).join(', ')} on ${vol.name}`, { op: 'set', volume: vol.name, options }));
    if (!existing?.started) {
      steps.push(jobStep(actor.id, `Start volume ${vol.name}`, { op: 'start', volume: vol.name }));
      steps.push(jobStep(actor.id, `Verify every brick of ${vol.name} is online`, { op: 'wait-bricks', volume: vol.name }));
    }
  }
  const brickErrors = checkNewBricks(fresh, status, inspections);
  return brickErrors.length ? { steps: [], errors: brickErrors } : { steps, errors: [] };
}

/** The brick paths `inspect` should check on each server before planApply. */
export function pathsToInspect(cluster: Cluster, servers: readonly Server[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const settings = cluster.gluster;
  if (!settings) return out;
  const members = glusterMembers(cluster, servers);
  for (const m of members) out.set(m.id, []);
  for (const s of firstReplicaSet(settings, members)) out.set(s.id, settings.volumes.map((v) => brickPath(v, s, 1)));
  return out;
}

const volumeOf = (status: GlusterStatus | undefined, name: string): VolumeStatus | undefined => status?.volumes.find((v) => v.name === name);
const bricksOn = (v: VolumeStatus, address: string) => v.bricks.filter((b) => b.host === address);
const volumeSettings = (cluster: Cluster, name: string): GlusterVolumeSettings => cluster.gluster?.volumes.find((v) => v.name === name) ?? { name };

/** The new bricks of an expansion: given paths, or the template's next number on each server. */
export function expansionBricks(cluster: Cluster, servers: readonly Server[], status: GlusterStatus | undefined, volume: string, ids: readonly string[], paths?: readonly string[]): { server: Server; path: string }[] | string {
  const v = volumeOf(status, volume);
  if (!v) return `there is no volume ${volume}`;
  const out: { server: Server; path: string }[] = [];
  for (const [i, id] of ids.entries()) {
    const server = servers.find((s) => s.id === id);
    if (!server || !cluster.servers.includes(id)) return `${id} is not a server of cluster ${cluster.name}`;
    const n = bricksOn(v, server.address).length + 1 + out.filter((b) => b.server.id === id).length;
    out.push({ server, path: paths?.[i] ?? brickPath(volumeSettings(cluster, volume), server, n) });
  }
  return out;
}

/** Expansion by one replica set: probe new peers, add-brick, rebalance (with progress), verify. */
export function planExpand(cluster: Cluster, servers: readonly Server[], actor: Server | undefined, inspections: ReadonlyMap<string, Inspection>, volume: string, ids: readonly string[], paths?: readonly string[]): PlanOutcome {
  const status = actor ? inspections.get(actor.id)?.result?.status : undefined;
  if (!actor || !status) return { steps: [], errors: ['no Gluster server of the cluster answered'] };
  const bricks = expansionBricks(cluster, servers, status, volume, ids, paths);
  if (typeof bricks === 'string') return { steps: [], errors: [bricks] };
  const v = volumeOf(status, volume)!;
  const errors = [...inspectionErrors(bricks.map((b) => b.server), inspections), ...checkNewBricks(bricks, status, inspections)];
  if (v.replica !== 3) errors.push(`volume ${volume} has replica ${v.replica}; only replica 3 (or 2 + arbiter) volumes are expanded here`);
  if (errors.length) return { steps: [], errors };
  const pool = poolHosts(status);
  const hosts = [...new Set(bricks.map((b) => b.server).filter((s) => s.id !== actor.id && !pool.has(s.address)).map((s) => s.address))];
  const force = volumeSettings(cluster, volume).force;
  return {
    errors: [],
    steps: [
      ...probeStep(actor, hosts),
      ...prepareSteps(bricks),
      jobStep(actor.id, `Add a replica set to ${volume}: ${bricks.map((b) => b.server.id).join(', ')}`, {
        op: 'add-brick', volume, replica: 3, ...(v.arbiter ? { arbiter: true } : {}), bricks: bricks.map((b) => `${b.server.address}:${b.path}`), ...(force ? { force: true } : {}),
      }),
      jobStep(actor.id, `Verify every brick of ${volume} is online`, { op: 'wait-bricks', volume }),
      jobStep(actor.id, `Start rebalancing ${volume}`, { op: 'rebalance-start', volume }),
      { action: 'rebalance-wait', title: `Rebalance ${volume}`, serverId: actor.id, args: { volume, show: `gluster volume rebalance ${volume} status (every second, until completed)` } },
    ],
  };
}

/** Every brick of `from` moves to `to` (replace-brick … commit force), then a full heal is started and waited for. */
export function planReplace(cluster: Cluster, servers: readonly Server[], actor: Server | undefined, inspections: ReadonlyMap<string, Inspection>, fromId: string, toId: string): PlanOutcome {
  const from = servers.find((s) => s.id === fromId);
  const to = servers.find((s) => s.id === toId);
  if (!from || !cluster.servers.includes(fromId)) return { steps: [], errors: [`${fromId} is not a server of cluster ${cluster.name}`] };
  if (!to || !cluster.servers.includes(toId)) return { steps: [], errors: [`${toId} is not a server of cluster ${cluster.name}: add it to the cluster first`] };
  if (fromId === toId) return { steps: [], errors: ['a node cannot replace itself'] };
  const status = actor ? inspections.get(actor.id)?.result?.status : undefined;
  if (!actor || !status) return { steps: [], errors: [`no Gluster server of the cluster other than ${fromId} answered`] };
  const moves: { volume: string; from: string; to: { server: Server; path: string } }[] = [];
  for (const v of status.volumes) {
    let n = bricksOn(v, to.address).length;
    for (const b of bricksOn(v, from.address)) moves.push({ volume: v.name, from: `${b.host}:${b.path}`, to: { server: to, path: brickPath(volumeSettings(cluster, v.name), to, ++n) } });
  }
  if (!moves.length) return { steps: [], errors: [`${fromId} holds no brick`] };
  const errors = [...inspectionErrors([to], inspections), ...checkNewBricks(moves.map((m) => m.to), status, inspections)];
  if (errors.length) return { steps: [], errors };
  const volumes = [...new Set(moves.map((m) => m.volume))];
  // A volume whose self-heal daemon is off cannot be healed by it (its options say so).
  const healed = volumes.filter((v) => status.volumes.find((x) => x.name === v)?.options['cluster.self-heal-daemon'] !== 'off');
  return {
    errors: [],
    steps: [
      ...probeStep(actor, poolHosts(status).has(to.address) ? [] : [to.address]),
      ...prepareSteps(moves.map((m) => m.to)),
      ...moves.map((m) => jobStep(actor.id, `Move ${m.from} to ${toId}`, { op: 'replace-brick', volume: m.volume, from: m.from, to: `${to.address}:${m.to.path}` })),
      ...volumes.map((v) => jobStep(actor.id, `Verify every brick of ${v} is online`, { op: 'wait-bricks', volume: v })),
      ...healed.map((v) => jobStep(actor.id, `Start a full heal of ${v}`, { op: 'heal', volume: v, full: true })),
      ...healed.map((v) => ({ action: 'heal-wait', title: `Heal ${v} onto ${toId}`, serverId: actor.id, args: { volume: v, show: `gluster volume heal ${v} info summary (every second, until nothing is left to heal)` } })),
    ],
  };
}

/** A peer leaves the pool, only once no brick is left on it. */
export function planRemovePeer(cluster: Cluster, servers: readonly Server[], actor: Server | undefined, status: GlusterStatus | undefined, serverId: string): PlanOutcome {
  const server = servers.find((s) => s.id === serverId);
  if (!server || !cluster.servers.includes(serverId)) return { steps: [], errors: [`${serverId} is not a server of cluster ${cluster.name}`] };
  if (!actor || !status) return { steps: [], errors: [`no Gluster server of the cluster other than ${serverId} answered`] };
  const holding = status.volumes.filter((v) => bricksOn(v, server.address).length);
  if (holding.length) return { steps: [], errors: [`${serverId} still holds bricks of ${holding.map((v) => v.name).join(', ')}: replace them first (a peer with bricks cannot leave)`] };
  const peer = status.peers.find((p) => !p.self && p.hostname === server.address);
  if (!peer) return { steps: [], errors: [`${serverId} (${server.address}) is not in the pool`] };
  return { errors: [], steps: [jobStep(actor.id, `Detach ${serverId} from the pool`, { op: 'detach', host: server.address, ...(peer.connected ? {} : { force: true }) })] };
}

export type SplitBrainChoice = 'bigger-file' | 'latest-mtime' | 'source-brick';

const CHOICE_TEXT: Record<SplitBrainChoice, string> = {
  'bigger-file': 'keep the bigger copy', 'latest-mtime': 'keep the copy with the newest modification time', 'source-brick': 'keep the copy on',
};

/** One split-brain file resolved: confirmed by a user, resolved, then checked gone from the list. */
export function planSplitBrain(status: GlusterStatus | undefined, actor: Server | undefined, volume: string, file: string, choice: SplitBrainChoice, brick?: string): PlanOutcome {
  const v = volumeOf(status, volume);
  if (!actor || !status) return { steps: [], errors: ['no Gluster server of the cluster answered'] };
  if (!v) return { steps: [], errors: [`there is no volume ${volume}`] };
  if (!(v.splitBrainFiles ?? []).includes(file)) return { steps: [], errors: [`${file} is not in split-brain on ${volume} (now: ${(v.splitBrainFiles ?? []).join(', ') || 'none'})`] };
  if (choice === 'source-brick' && !brick) return { steps: [], errors: ['source-brick needs the brick whose copy wins'] };
  if (choice === 'source-brick' && !v.bricks.some((b) => `${b.host}:${b.path}` === brick)) return { steps: [], errors: [`${brick} is not a brick of ${volume}`] };
  if (choice !== 'source-brick' && brick) return { steps: [], errors: [`a brick is only named with source-brick, not ${choice}`] };
  const how = `${CHOICE_TEXT[choice]}${choice === 'source-brick' ? ` ${brick}` : ''}`;
  const job: GlusterJob = { op: 'split-brain', volume, choice, file, ...(brick ? { brick } : {}) };
  return {
    errors: [],
    steps: [
      { action: 'confirm', title: `Confirm: resolve ${file} on ${volume} (${how})`, args: { question: `Resolve the split-brain of ${file} on ${volume}: ${how}. The other copies are overwritten. Go ahead?`, show: 'asks you to confirm' } },
      jobStep(actor.id, `Resolve ${file} (${how})`, job),
      { action: 'split-brain-verify', title: `Check ${file} is no longer in split-brain`, serverId: actor.id, args: { volume, file, show: `gluster volume heal ${volume} info split-brain` } },
    ],
  };
}
