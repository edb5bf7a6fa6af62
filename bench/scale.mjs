#!/usr/bin/env node
// A load-balanced cluster through a scale-out and a scale-in against the local Auto Scaling
// endpoint, under HTTP load. Builds the test bed of agent/test/scaling.test.ts (namespaces, hub,
// two load balancers with real HAProxy; the endpoint's instances are namespaces running a slow web
// server and the real agent enrolled by the hub's user data; needs root and `npm run build`).
// The policy tracks 3 HAProxy sessions per backend server (period 5 s): a load of 8 concurrent
// requests on one server scales out to 2; a load of 2 then scales back in to 1 (drain, terminate).
// Measured:
//   decisionToDesiredMs  from the moment the target had been crossed for the period (the decision's
//                        `since` + period) to the endpoint receiving SetDesiredCapacity
//   enrollToBackendMs    from the new agent's enrollment to its first answer through every load balancer
//   drainToTerminateMs   from the drain step's start to the endpoint receiving TerminateInstanceInAutoScalingGroup
//   failedRequests       every failed request of the load, through the whole cycle
// Progress goes to stderr; the last stdout line is the JSON. Goals: decisionToDesiredMs <= 2000,
// enrollToBackendMs <= 2000, failedRequests = 0.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { sleep, waitFor } from './wait.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const log = (m) => process.stderr.write(`scale: ${m}\n`);

const bundle = join(ROOT, 'agent/test', `.scale-testbed-bench-${process.pid}.mjs`);
await build({ entryPoints: [join(ROOT, 'agent/test/scale-testbed.ts')], bundle: true, platform: 'node', format: 'esm', outfile: bundle, packages: 'external', logLevel: 'error' });
const { ScaleTestbed, REGION } = await import(bundle).finally(() => rmSync(bundle, { force: true }));
const bed = new ScaleTestbed();
const GROUP = 'bench-web';
const period = 5;
let result;
const loads = [];
try {
  log('starting the test bed');
  await bed.up();
  await bed.aws.createGroup({ name: GROUP, min: 0, max: 4, desired: 0, userData: await bed.userData() });
  const api = async (method, path, body) => {
    const r = await bed.hub.api(method, path, body);
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  await api('POST', '/api/clusters/shop/scaling/binding', { groupName: GROUP, region: REGION });
  await api('POST', '/api/clusters/shop/scaling/policy', {
    min: 1, max: 2, targetTracking: { metric: 'sessions', target: 3, periodSeconds: period },
    warmupSeconds: 2, scaleOutCooldownSeconds: 5, scaleInCooldownSeconds: 5, drainTimeoutSeconds: 30,
  });
  const first = await waitFor('the first instance', () => [...bed.instances.keys()][0], 60_000);
  await bed.inBackend(first);
  log(`first instance ${first} serves; loading with 8 concurrent requests`);
  const urls = bed.lbUrls();
  loads.push(bed.lb.startLoad(urls, { concurrency: 8, maxMs: 300_000 }));
  const view = () => api('GET', '/api/clusters/shop/scaling');
  const out = await waitFor('a target-tracking scale-out', async () => (await view()).decisions.find((d) => d.source === 'target-tracking' && d.action === 'scale-out' && d.outcome === 'done'), 120_000, 100);
  const setCall = bed.aws.callsOf('SetDesiredCapacity', true).find((c) => c.params.DesiredCapacity === '2');
  const decisionToDesiredMs = setCall.at - (Date.parse(out.figures.since) + period * 1000);
  log(`scale-out ${out.from} → ${out.to}: ${out.reason}; SetDesiredCapacity ${decisionToDesiredMs} ms after the period ended`);
  const second = await waitFor('the second instance', () => [...bed.instances.keys()][1], 60_000);
  await bed.inBackend(second);
  await sleep(2000);
  log(`${second} serves; lowering the load to 2 concurrent requests`);
  loads.push(bed.lb.startLoad(urls, { concurrency: 2, maxMs: 300_000 }));
  const r1 = await loads[0].stop();
  loads.shift();
  const state = () => JSON.parse(readFileSync(join(bed.hub.dataDir, 'state.json'), 'utf8'));
  const enrolledAt = Date.parse(state().agentCredentials.find((c) => c.serverId === second).enrolledAt);
  const seen = urls.map((u) => r1.firstSeen[`${u} ${second}`]);
  if (seen.some((t) => !t)) throw new Error(`${second} never answered through every load balancer: ${JSON.stringify(r1.seen)}`);
  const enrollToBackendMs = Math.max(...seen) - enrolledAt;
  const inn = await waitFor('a scale-in decision', async () => (await view()).decisions.find((d) => d.action === 'scale-in' && d.operationId), 120_000, 100);
  const op = await waitFor('the scale-in to end', async () => { const o = await api('GET', `/api/operations/${inn.operationId}`); return o.state !== 'running' ? o : null; }, 120_000, 100);
  if (op.state !== 'done') throw new Error(`scale-in ${op.state}: ${op.error}`);
  const drain = op.steps.find((s) => s.action === 'drain');
  const term = bed.aws.callsOf('TerminateInstanceInAutoScalingGroup', true).at(-1);
  const drainToTerminateMs = term.at - Date.parse(drain.startedAt);
  log(`scale-in of ${drain.serverId}: drained in ${drain.evidence?.drainedInMs} ms (sessions ${drain.evidence?.sessions}), terminated ${drainToTerminateMs} ms after the drain began`);
  await sleep(1000);
  const r2 = await loads[0].stop();
  loads.shift();
  const failedRequests = r1.failed + r2.failed;
  log(`requests: ${r1.ok + r2.ok} ok, ${failedRequests} failed${[...r1.errors, ...r2.errors].length ? ` ${JSON.stringify([...r1.errors, ...r2.errors])}` : ''}`);
  result = { decisionToDesiredMs, enrollToBackendMs, drainToTerminateMs, failedRequests };
} finally {
  for (const l of loads) await l.stop().catch(() => {});
  await bed.down();
}
console.log(JSON.stringify(result));
