/**
 * The node agent: `node agent.mjs --hub wss://HOST:PORT/agent [--token TOKEN] [--state-file PATH]`.
 * Enrolls once with a join token (pinning the hub's CA by the fingerprint the token carries),
 * keeps its identity root-only, then streams this node's metrics to the hub, measures the TCP
 * connect time to the servers the hub names (prober.ts) and runs the jobs the hub gives it,
 * until SIGTERM or SIGINT. Exit codes: 0 stopped by a signal, 1 cannot enroll
 * (wrong hub certificate, unusable identity file), 2 bad arguments, 3 refused by the hub for good
 * (revoked credential, server id taken, join token refused, identity used by another machine):
 * retrying would not help, so it stops and says what to do (refusal.ts).
 */
import './v8-flags.js';
import os from 'node:os';
import { parseJoinToken } from '../protocol/join-token.js';
import type { AgentFirstFrame, Job, JobResult } from '../protocol/types.js';
import { VERSION } from '../version.js';
import { USAGE, parseAgentArgs } from './args.js';
import { type Identity, loadIdentity, saveIdentity } from './identity.js';
import { collectInventory } from './inventory.js';
import { existsSync, readFileSync } from 'node:fs';
import { readInstanceId } from './instance-id.js';
import { applierPaths, galeraPaths } from '../appliers/paths.js';
import { MANAGED_MARK } from '../appliers/galera/render.js';
import type { GaleraJobs } from './galera-jobs.js';
import { JobGuard } from './job-guard.js';
import type { GlusterJobs } from './gluster-jobs.js';
import { LbJobs } from './lb-jobs.js';
import { hubTransfer } from './transfer.js';
import { startLink, type Link } from './link.js';
import { PinMismatch, fetchPinnedCa } from './pin.js';
import { Prober } from './prober.js';
import { fatalRefusal } from './refusal.js';
import { createSampler } from './sampler.js';

function log(line: string): void {
  process.stderr.write(`${new Date().toISOString()} agent: ${line}\n`);
}

function fail(message: string, code: 1 | 2 | 3 = 2): never {
  process.stderr.write(`agent: ${message}\n${code === 2 ? `\n${USAGE}` : ''}`);
  process.exit(code);
}

const parsed = parseAgentArgs(process.argv.slice(2), process.env, os.hostname());
if ('help' in parsed) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if ('error' in parsed) fail(parsed.error);
const { config } = parsed;

let identity: Identity | undefined;
try {
  identity = loadIdentity(config.stateFile);
} catch (e) {
  fail((e as Error).message, 1);
}
const token = identity ? undefined : config.token && parseJoinToken(config.token);
if (!identity && !token) fail(`not enrolled yet (no ${config.stateFile}): give --token with a join token from the hub${config.token ? ' (this one is malformed)' : ''}`);

let link: Link | undefined;
const prober = new Prober({ send: (frame) => link?.send(frame) ?? false });
const lbJobs = new LbJobs(applierPaths(process.env), (frame) => link?.send(frame) ?? false, log);
/** Galera is loaded only on a database node that gets a galera job or already is a Galera node of ours. */
let galera: Promise<GaleraJobs> | undefined;
const galeraJobs = () => (galera ??= import('./galera-jobs.js').then((m) => new m.GaleraJobs(galeraPaths(process.env), (frame) => link?.send(frame) ?? false, log, hubTransfer(config.hub, () => caPem))));
const galeraConfig = galeraPaths(process.env).config;
if (existsSync(galeraConfig) && readFileSync(galeraConfig, 'utf8').startsWith(MANAGED_MARK)) void galeraJobs().then((g) => g.startReporting());
/** Loaded on the first Gluster frame or job: a node that never sees one never pays for the code. */
let glusterJobs: Promise<GlusterJobs> | undefined;
const gluster = () => (glusterJobs ??= import('./gluster-jobs.js').then((m) => new m.GlusterJobs((frame) => link?.send(frame) ?? false, log)));
let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    prober.stop();
    lbJobs.stop();
    void galera?.then((g) => g.stop());
    void glusterJobs?.then((g) => g.stop());
    void (link?.stop() ?? Promise.resolve()).then(() => process.exit(0));
  });
}

log(`version ${VERSION} starting ${identity ? `as ${identity.serverId}` : 'to enroll'}, hub ${config.hub}`);
let caPem = identity?.caPem;
if (!caPem && token) {
  try {
    caPem = await fetchPinnedCa(config.hub, token.caFingerprint);
  } catch (e) {
    fail(e instanceof PinMismatch ? e.message : `cannot reach the hub to enroll: ${(e as Error).message}`, 1);
  }
}

const sampler = createSampler();
const instanceId = readInstanceId(config.instanceId, config.instanceIdFile, log);
if (instanceId) log(`EC2 instance ${instanceId}`);
/** The inventory with the instance id, which systeminformation cannot know. */
const inventoryNow = async () => ({ ...(await collectInventory()), ...(instanceId ? { instanceId } : {}) });
const inventory = await inventoryNow();
const guard = new JobGuard(() => identity?.serverId ?? '');

async function runJob(job: Job): Promise<JobResult> {
  const refused = guard.check(job);
  if (refused) {
    log(`refused a job: ${refused}`);
    return { v: 1, type: 'job-result', jobId: job.id, ok: false, error: refused };
  }
  if (job.kind.startsWith('galera-')) return (await galeraJobs()).run(job);
  if (job.kind === 'gluster') return (await gluster()).run(job);
  if (job.kind !== 'inventory') return lbJobs.run(job);
  return { v: 1, type: 'job-result', jobId: job.id, ok: true, inventory: await inventoryNow() };
}

const firstFrame = (): AgentFirstFrame => (identity
  ? { v: 1, type: 'hello', serverId: identity.serverId, credential: identity.credential, agentVersion: VERSION, inventory }
  : {
      v: 1, type: 'enroll', token: config.token!, serverId: config.serverId, agentVersion: VERSION, inventory,
      ...(config.serverType ? { serverType: config.serverType } : {}),
    });

if (!stopping) {
  link = startLink({
    url: config.hub,
    ca: caPem!,
    firstFrame,
    async onEnrolled(e) {
      const next = { serverId: e.serverId, credential: e.credential, caPem: caPem! };
      await saveIdentity(config.stateFile, next);
      identity = next;
    },
    onJob: runJob,
    onProbeTargets: (targets) => prober.setTargets(targets),
    onGlusterWatch: (report) => {
      if (report || glusterJobs) void gluster().then((g) => g.watch(report));
    },
    sample: () => sampler.sample(),
    log,
    onRefused(refusal) {
      const ctx = { enrolling: !identity, serverId: identity?.serverId ?? config.serverId, stateFile: config.stateFile };
      const why = fatalRefusal(refusal, ctx);
      if (why) fail(`stopping: ${why}`, 3);
      return false;
    },
  });
}
