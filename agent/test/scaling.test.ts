/**
 * Scaling end to end: the real hub, real HAProxy on two load balancers in namespaces, the local
 * Auto Scaling endpoint (Query protocol, SigV4), whose instances are namespaces running a web
 * server and the real agent enrolled by the hub's user data. Under a bounded HTTP load that counts
 * every failed request: the policy scales out to new agents that join the HAProxy backend, and
 * scales in by draining then terminating; bad policies, missing permissions, throttling and
 * failures are refused, retried or rolled back, never half-applied.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation, ScalingView } from '../protocol/types.js';
import { waitFor } from './harness.js';
import { CREDS, REGION, ScaleTestbed } from './scale-testbed.js';

const bed = new ScaleTestbed();
const GROUP = 'shop-web';
const policy = {
  min: 1, max: 3, targetTracking: { metric: 'sessions', target: 3, periodSeconds: 3 },
  warmupSeconds: 2, scaleOutCooldownSeconds: 5, scaleInCooldownSeconds: 5, drainTimeoutSeconds: 20,
};
const view = async () => (await bed.scaling()) as ScalingView;
const audit = () => JSON.parse(readFileSync(join(bed.hub.dataDir, 'state.json'), 'utf8')).audit as { user: string; action: string; target: string; detail?: string }[];
const members = async () => ((await bed.hub.api('GET', '/api/clusters/shop')).body.servers as string[]).filter((s) => s.startsWith('i-')).sort();
/** The group's instances in the order the hub enrolled their agents (launched together, they may enroll in any order). */
const byEnrollment = async () => {
  const creds = (await bed.hub.api('GET', '/api/backup')).body.agentCredentials as { serverId: string; enrolledAt: string }[];
  const at = new Map(creds.map((c) => [c.serverId, Date.parse(c.enrolledAt)]));
  return [...bed.instances.keys()].sort((a, b) => (at.get(a) ?? 0) - (at.get(b) ?? 0));
};
const op = async (id: string) => (await bed.hub.api('GET', `/api/operations/${id}`)).body as Operation;

beforeAll(async () => {
  await bed.up();
  await bed.aws.createGroup({ name: GROUP, min: 0, max: 4, desired: 0, userData: await bed.userData() });
}, 180_000);
afterAll(() => bed.down(), 60_000);

describe('scaling a load-balanced cluster through the local Auto Scaling endpoint', () => {
  it('refuses a binding to a group that does not exist, and a policy that cannot work; nothing changes', async () => {
    const none = await bed.hub.api('POST', '/api/clusters/shop/scaling/binding', { groupName: 'nope', region: REGION });
    expect([none.status, none.body.error.message]).toEqual([400, `no Auto Scaling group named 'nope' in ${REGION}`]);
    expect((await view()).binding).toBeUndefined();
    const bound = await bed.hub.api('POST', '/api/clusters/shop/scaling/binding', { groupName: GROUP, region: REGION });
    expect(bound.status).toBe(200);
    expect(bound.body.binding).toMatchObject({ provider: 'aws', groupName: GROUP, region: REGION, credentials: 'default-chain', boundBy: 'admin' });
    for (const [bad, why] of [
      [{ ...policy, min: 3, max: 2 }, /min 3 is greater than max 2/],
      [{ ...policy, max: 9 }, /max 9 is above the group's MaxSize 4/],
      [{ ...policy, scheduled: [{ name: 'night', cron: '0 25 * * *', timeZone: 'UTC', max: 1 }] }, /scheduled action 'night': '0 25 \* \* \*' is not a valid cron expression/],
      [{ ...policy, scheduled: [{ name: 'night', cron: '0 22 * * *', timeZone: 'Europe/Atlantis', max: 1 }] }, /'Europe\/Atlantis' is not a time zone/],
      [{ ...policy, targetTracking: { metric: 'load', target: 3 } }, /targetTracking\/metric must be one of: cpu, mem, sessions/],
    ] as const) {
      const r = await bed.hub.api('POST', '/api/clusters/shop/scaling/policy', bad);
      expect(r.status).toBe(400);
      expect(r.body.error.message).toMatch(why);
    }
    expect((await view()).policy).toBeUndefined();
  });

  it('refuses a binding whose credentials lack an IAM permission, and keeps the binding it had', async () => {
    bed.aws.deny('TerminateInstanceInAutoScalingGroup');
    try {
      const r = await bed.hub.api('POST', '/api/clusters/shop/scaling/binding', { groupName: GROUP, region: REGION, credentials: { accessKeyId: CREDS.accessKeyId, secretAccessKey: CREDS.secretAccessKey } });
      expect(r.status).toBe(400);
      expect(r.body.error).toEqual({ code: 'missing_permission', message: 'the AWS credentials lack these IAM permissions: autoscaling:TerminateInstanceInAutoScalingGroup; nothing was changed' });
    } finally {
      bed.aws.deny('TerminateInstanceInAutoScalingGroup', false);
    }
    expect((await view()).binding?.credentials).toBe('default-chain');
    // Pasted credentials are never stored in the state nor shown.
    expect(readFileSync(join(bed.hub.dataDir, 'state.json'), 'utf8')).not.toContain(CREDS.secretAccessKey);
  });

  it('scales to the minimum, and out under HTTP load: new agents join the HAProxy backend with 0 failed requests (throttling retried)', async () => {
    const earlier = bed.aws.callsOf('SetDesiredCapacity').length;
    bed.aws.throttle('SetDesiredCapacity', 2);
    const set = await bed.hub.api('POST', '/api/clusters/shop/scaling/policy', policy);
    expect(set.status).toBe(200);
    // Below the minimum: one instance, whose agent enrolls with the user data's token and joins the backend.
    const first = await waitFor('the first instance', () => [...bed.instances.keys()][0]);
    await bed.inBackend(first);
    expect(await members()).toEqual([first]);
    expect(bed.aws.callsOf('SetDesiredCapacity').slice(earlier).map((c) => c.code ?? 'ok')).toEqual(['Throttling', 'Throttling', 'ok']);
    const server = (await bed.hub.api('GET', `/api/servers/${first}`)).body;
    expect(server.agent.inventory.instanceId).toBe(first);

    const load = bed.lb.startLoad(bed.lbUrls(), { concurrency: 8 });
    let failure: unknown;
    try {
      await waitFor('a scale-out to 3', async () => bed.aws.groups.get(GROUP)!.desired === 3, 90_000);
      // One decision 1 → 3, or two (1 → 2 → 3) as the sessions spread over the new server.
      const outs = await waitFor('the decision that reached 3', async () => {
        const list = (await view()).decisions.filter((x) => x.action === 'scale-out' && x.source === 'target-tracking').reverse();
        return list.at(-1)?.to === 3 ? list : null;
      });
      expect(outs[0]).toMatchObject({ from: 1, outcome: 'done', by: 'scaler', figures: { metric: 'sessions', target: 3, periodSeconds: 3 } });
      expect(outs.at(-1)).toMatchObject({ to: 3, outcome: 'done' });
      for (const d of outs) expect((d.figures as { value: number }).value).toBeGreaterThan(3);
      const added = await waitFor('two more instances', () => (bed.instances.size === 3 ? [...bed.instances.keys()].slice(1) : null));
      for (const id of added) await bed.inBackend(id);
      // Each new server answers through each load balancer.
      for (const id of added) {
        for (const url of bed.lbUrls()) await waitFor(`${id} through ${url}`, async () => { for (let i = 0; i < 6; i++) if ((await bed.lb.curl('client', url)) === id) return true; return false; });
      }
    } catch (e) {
      failure = e;
    }
    const r = await load.stop();
    // Hold at 3 while the next tests look at it (they scale in by hand).
    expect((await bed.hub.api('POST', '/api/clusters/shop/scaling/policy', { ...policy, enabled: false })).status).toBe(200);
    if (failure) throw failure;
    expect(r.errors).toEqual([]);
    expect(r.failed).toBe(0);
    for (const id of bed.instances.keys()) expect(bed.lbUrls().some((u) => (r.seen[`${u} ${id}`] ?? 0) > 0), id).toBe(true);
    expect(await members()).toEqual([...bed.instances.keys()].sort());
    // Audited with its figures, counted in /metrics.
    expect(audit().some((a) => a.action === 'scale.scale-out' && /figures: .*"metric":"sessions"/.test(a.detail ?? ''))).toBe(true);
    const metrics = await (await fetch(`${bed.hub.url}/metrics`, { headers: { authorization: bed.hub.adminAuth } })).text();
    expect(metrics).toMatch(/^uc_scaling_desired_capacity\{cluster="shop"\} 3$/m);
    const outsDone = (await view()).decisions.filter((x) => x.action === 'scale-out' && x.outcome === 'done').length;
    expect(metrics).toContain(`uc_scaling_decisions_total{cluster="shop",action="scale-out",outcome="done"} ${outsDone}`);
  });

  it('protects a server from scale-in in the policy and in the group', async () => {
    const [, next, newest] = await byEnrollment();
    const r = await bed.hub.api('POST', '/api/clusters/shop/scaling/protection', { serverId: newest, protected: true });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(bed.aws.groups.get(GROUP)!.instances.find((i) => i.instanceId === newest)?.protected).toBe(true);
    const dry = await bed.hub.api('POST', '/api/clusters/shop/scaling/scale-in', { dryRun: true });
    expect(dry.status).toBe(200);
    const candidates = dry.body.steps[0].evidence.candidates as { serverId: string; verdict: string }[];
    expect(candidates.find((c) => c.serverId === newest)?.verdict).toBe('skipped: protected from scale-in in the group');
    expect(candidates.find((c) => c.verdict === 'chosen')?.serverId).toBe(next);
    expect((await bed.hub.api('POST', '/api/clusters/shop/scaling/protection', { serverId: newest, protected: false })).status).toBe(200);
    expect(bed.aws.groups.get(GROUP)!.instances.find((i) => i.instanceId === newest)?.protected).toBe(false);
  });

  it('puts a drained server back in service when the termination is refused: never half-applied', async () => {
    bed.aws.deny('TerminateInstanceInAutoScalingGroup');
    const load = bed.lb.startLoad(bed.lbUrls(), { concurrency: 2 });
    let done: Operation;
    try {
      const started = await bed.hub.api('POST', '/api/clusters/shop/scaling/scale-in', {});
      expect(started.status).toBe(201);
      done = await waitFor('the scale-in to end', async () => { const o = await op(started.body.id); return o.state !== 'running' ? o : null; }, 60_000);
    } finally {
      bed.aws.deny('TerminateInstanceInAutoScalingGroup', false);
    }
    expect(done.state, `${JSON.stringify(done)}\n${bed.lb.logs()}`).toBe('failed');
    const r = await load.stop();
    expect(done.steps.map((s) => `${s.action}:${s.state}`)).toEqual(['check:done', 'drain:done', 'terminate:failed', 'forget:skipped']);
    const victim = done.steps[1]!.serverId!;
    expect(done.error).toMatch(new RegExp(`missing IAM permission autoscaling:TerminateInstanceInAutoScalingGroup.*; ${victim} was put back in service`));
    expect(bed.aws.groups.get(GROUP)!.desired).toBe(3);
    expect((await bed.hub.api('GET', '/api/clusters/shop')).body.loadBalancer.servers?.[victim]).toBeUndefined();
    await waitFor(`${victim} back at full weight`, async () => {
      const s = (await bed.hub.api('GET', '/api/clusters/shop/lb-status')).body;
      return s.nodes.every((n: { servers: { server: string; weight: number; status: string }[] }) => n.servers.some((x) => x.server === victim && x.weight === 10 && x.status === 'UP'));
    });
    expect(r.failed).toBe(0);
  });

  it('scales in under HTTP load: drains the newest server until its sessions reach 0, then terminates it, with 0 failed requests', async () => {
    const newest = (await byEnrollment())[2]!;
    // The minimum goes to 2: one scale-in, then it holds.
    expect((await bed.hub.api('POST', '/api/clusters/shop/scaling/policy', { ...policy, min: 2 })).status).toBe(200);
    const load = bed.lb.startLoad(bed.lbUrls(), { concurrency: 2 });
    let done: Operation;
    try {
      const d = await waitFor('a scale-in decision', async () => (await view()).decisions.find((x) => x.action === 'scale-in' && x.source === 'target-tracking' && x.operationId), 90_000);
      expect(d).toMatchObject({ from: 3, to: 2, by: 'scaler', figures: { metric: 'sessions' } });
      done = await waitFor('the scale-in to end', async () => { const o = await op(d.operationId!); return o.state !== 'running' ? o : null; }, 90_000);
    } finally {
      const r = await load.stop();
      expect(r.errors).toEqual([]);
      expect(r.failed).toBe(0);
    }
    expect(done.state).toBe('done');
    expect(done.kind).toBe('scale.in');
    expect(done.steps.map((s) => `${s.action}:${s.state}`)).toEqual(['check:done', 'drain:done', 'terminate:done', 'forget:done']);
    expect(done.steps[1]).toMatchObject({ serverId: newest, evidence: { sessions: 0 } });
    const term = bed.aws.callsOf('TerminateInstanceInAutoScalingGroup', true).at(-1)!;
    expect(term.params).toMatchObject({ InstanceId: newest, ShouldDecrementDesiredCapacity: 'true' });
    // Terminated only after the drain ended.
    expect(term.at).toBeGreaterThanOrEqual(Date.parse(done.steps[1]!.finishedAt!));
    expect(bed.aws.groups.get(GROUP)!.desired).toBe(2);
    expect(await members()).not.toContain(newest);
    expect((await bed.hub.api('GET', `/api/servers/${newest}`)).status).toBe(404);
    await waitFor(`${newest} gone from the backends`, async () => {
      const s = (await bed.hub.api('GET', '/api/clusters/shop/lb-status')).body;
      return s.nodes.every((n: { servers: { server: string }[] }) => !n.servers.some((x) => x.server === newest));
    });
    const actions = audit().map((a) => a.action);
    for (const a of ['scale.scale-in', 'scale.in.start', 'scale.drain', 'scale.terminate', 'scale.forget', 'scale.in.done']) expect(actions).toContain(a);
    const decision = (await view()).decisions.find((x) => x.operationId === done.id);
    expect(decision?.outcome).toBe('done');
  });

  it('a failed SetDesiredCapacity is recorded and changes nothing; the dry run only says what it would do', async () => {
    bed.aws.fail('SetDesiredCapacity', 10, 'ValidationError', 'New SetDesiredCapacity value 3 is above max value 2 for the AutoScalingGroup.');
    const before = bed.instances.size;
    const load = bed.lb.startLoad(bed.lbUrls(), { concurrency: 8 });
    try {
      const d = await waitFor('a failed scale-out', async () => (await view()).decisions.find((x) => x.action === 'scale-out' && x.outcome === 'failed'), 90_000);
      expect(d.error).toMatch(/SetDesiredCapacity: ValidationError: New SetDesiredCapacity value 3 is above max value 2/);
      expect(bed.aws.groups.get(GROUP)!.desired).toBe(2);
      expect(bed.instances.size).toBe(before);
    } finally {
      bed.aws.clearFaults();
      expect((await load.stop()).failed).toBe(0);
    }
    expect((await bed.hub.api('POST', '/api/clusters/shop/scaling/policy', { ...policy, min: 2, dryRun: true })).status).toBe(200);
    const load2 = bed.lb.startLoad(bed.lbUrls(), { concurrency: 8 });
    try {
      const d = await waitFor('a dry-run decision', async () => (await view()).decisions.find((x) => x.dryRun && x.action === 'scale-out'), 90_000);
      expect(d.outcome).toBe('dry-run');
      const preview = await bed.hub.api('POST', '/api/clusters/shop/scaling/preview');
      expect(preview.status).toBe(200);
    } finally {
      await load2.stop();
    }
    expect(bed.aws.groups.get(GROUP)!.desired).toBe(2);
    expect(bed.instances.size).toBe(before);
  });
});
