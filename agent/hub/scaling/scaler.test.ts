/**
 * The scaler in process, against the local Auto Scaling endpoint (the real SDK over HTTP): the
 * `scale_up` alert hook, a dry run, scheduled capacity, and a scale-out that finds the group
 * already grown by someone else.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert, ScalingPolicy } from '../../protocol/types.js';
import { AutoScalingEndpoint } from '../../test/aws-autoscaling-endpoint.js';
import { waitFor } from '../../test/harness.js';
import type { AlertEvent } from '../alerts/event.js';
import { LbLive } from '../jobs/lb-live.js';
import { Plans } from '../jobs/plans.js';
import { Live } from '../live/live.js';
import { Operations } from '../operations/runner.js';
import { Store } from '../store.js';
import { CredentialsFile } from './credentials-file.js';
import { Scaler } from './scaler.js';

const creds = { accessKeyId: 'AKIAUCSCALERUNIT0001', secretAccessKey: 'scaler-unit-secret-000000000000000000000' };
let dir: string;
let ep: AutoScalingEndpoint;
let store: Store;
let scaler: Scaler;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'uc-scaler-'));
  ep = new AutoScalingEndpoint({ region: 'us-west-2', credentials: [creds] });
  await ep.start();
  await ep.createGroup({ name: 'g', min: 0, max: 5, desired: 1 });
  store = await Store.open(join(dir, 'state.json'));
  await store.update((s) => ({
    ...s,
    servers: [{ id: 'w1', name: 'w1', type: 'web', address: '10.0.0.1', region: '', labels: {}, ports: [] }],
    clusters: [{ name: 'c', servers: ['w1'] }],
  }));
  const operations = new Operations({ store, publish: () => {}, log: () => {} });
  const plans = new Plans({ store, runJob: () => Promise.reject(new Error('no agents here')), onChange: () => {} });
  scaler = new Scaler({
    store, live: new Live(), lbLive: new LbLive(), plans, operations, log: () => {}, publish: () => {},
    credentials: new CredentialsFile(join(dir, 'aws-credentials.json')), caFingerprint: 'f'.repeat(64), agentUrl: () => 'wss://hub:10443/agent', awsEndpoint: ep.url,
  });
  await scaler.bind('c', { groupName: 'g', region: 'us-west-2', credentials: creds }, 'alice');
});
afterEach(async () => {
  // A decision a test did not wait for is written after the group answered: let it land first.
  await store.update((s) => s);
  await ep.stop();
  rmSync(dir, { recursive: true, force: true });
});

const policy: ScalingPolicy = { min: 1, max: 3, scaleOutCooldownSeconds: 600 };
const alert = (state: Alert['state']): AlertEvent => ({
  alert: { id: 'r:w1:1', ruleId: 'r', ruleName: 'Web CPU', metric: 'cpu', serverId: 'w1', state, value: 95, startedAt: new Date().toISOString() },
  rule: undefined, server: undefined,
} as unknown as AlertEvent);
const decisions = () => store.state.scalingDecisions ?? [];

describe('Scaler', () => {
  it('adds one instance when the scale_up hook fires for a member, then not again within the cooldown', async () => {
    await scaler.setPolicy('c', policy, 'alice');
    scaler.onScaleUp(alert('resolved'));
    scaler.onScaleUp(alert('firing'));
    await waitFor('the scale-out', () => ep.groups.get('g')!.desired === 2 && decisions().length === 1);
    expect(decisions()[0]).toMatchObject({ source: 'alert', action: 'scale-out', from: 1, to: 2, outcome: 'done', reason: "alert 'Web CPU' fired on w1 (cpu 95)" });
    await scaler.refresh('c');
    scaler.onScaleUp(alert('firing'));
    await new Promise((r) => setTimeout(r, 200));
    expect(ep.groups.get('g')!.desired).toBe(2);
    expect(decisions()).toHaveLength(1);
  });

  it('in a dry run records what it would do and does nothing', async () => {
    await scaler.setPolicy('c', { ...policy, min: 3, dryRun: true }, 'alice');
    scaler.tick();
    await waitFor('the dry-run decision', () => decisions().length === 1);
    expect(decisions()[0]).toMatchObject({ source: 'bounds', from: 1, to: 3, outcome: 'dry-run', dryRun: true });
    expect(ep.callsOf('SetDesiredCapacity').filter((c) => c.params['DesiredCapacity'] === '3')).toHaveLength(0);
    expect(store.state.audit.at(-1)).toMatchObject({ user: 'scaler', action: 'scale.scale-out', detail: expect.stringMatching(/figures: \{"desired":1,"min":3,"max":3\}/) });
  });

  it('applies a scheduled action: its bounds take force and the group converges to its desired capacity', async () => {
    await scaler.setPolicy('c', { ...policy, scheduled: [{ name: 'morning', cron: '0 8 * * *', timeZone: 'Europe/Paris', min: 2, desired: 3 }] }, 'alice');
    expect(await scaler.runScheduled('c', 'morning')).toBe('bounds 2–3 in force, desired capacity 3');
    scaler.tick();
    await waitFor('the scale-out to 3, recorded', () => ep.groups.get('g')!.desired === 3 && decisions().length === 1);
    expect(decisions()[0]).toMatchObject({ source: 'schedule', to: 3, reason: "scheduled action 'morning' sets the desired capacity to 3" });
    expect(scaler.view('c').override).toMatchObject({ name: 'morning', min: 2 });
  });

  it('never lowers a group someone else grew meanwhile', async () => {
    await scaler.setPolicy('c', { ...policy, min: 2 }, 'alice');
    ep.groups.get('g')!.desired = 4; // grown behind the hub's back since it last looked
    scaler.tick();
    await waitFor('the decision', () => decisions().length === 1);
    expect(decisions()[0]).toMatchObject({ to: 2, outcome: 'refused', error: "the group's desired capacity is already 4" });
    expect(ep.callsOf('SetDesiredCapacity').filter((c) => c.params['DesiredCapacity'] === '2')).toHaveLength(0);
    expect(ep.groups.get('g')!.desired).toBe(4);
  });
});
