#!/usr/bin/env node
// Time from Apply to every load balancer serving a new membership, under load, and the failed
// requests meanwhile. Builds the test bed of agent/test/lb.test.ts (namespaces, hub, two agents
// with real HAProxy and Keepalived, three web servers; needs root and `npm run build`), applies
// the first configuration, then ROUNDS times (default 3): with a bounded load client running in
// the client namespace against both load balancers, draws http connections to web3 and applies
// (measured: Apply → web3's first response through each load balancer, the slower one), then
// deletes them and applies again (drain and removal; its failures count too).
// Progress goes to stderr; the last stdout line is {"applyToLiveMs": worst round, "failedRequests": total}.
// Goals: applyToLiveMs <= 1000, failedRequests = 0.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const log = (m) => process.stderr.write(`lb-change: ${m}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Bundled beside its source: the harness finds the repository relative to its own file.
const bundle = join(ROOT, 'agent/test', `.lb-testbed-bench-${process.pid}.mjs`);
await build({
  entryPoints: [join(ROOT, 'agent/test/lb-testbed.ts')], bundle: true, platform: 'node', format: 'esm',
  outfile: bundle, packages: 'external', logLevel: 'error',
});
const { LbTestbed } = await import(bundle).finally(() => rmSync(bundle, { force: true }));
const bed = new LbTestbed();
let failed = 0;
let worst = 0;
try {
  log('starting the test bed');
  await bed.up();
  await bed.planAndApply();
  const urls = ['lb1', 'lb2'].map((n) => `http://${bed.net.node(n).address}/`);
  for (let round = 1; round <= ROUNDS; round++) {
    const load = bed.startLoad(urls);
    await sleep(1000);
    for (const lb of ['lb1', 'lb2']) await bed.hub.api('POST', '/api/connections', { from: lb, to: 'web3', type: 'http' });
    const plan = await bed.plan();
    const applyAt = Date.now();
    const done = await bed.apply(plan.id);
    if (done.state !== 'applied') throw new Error(`apply failed: ${JSON.stringify(done.nodes)}`);
    await sleep(1500);
    for (const lb of ['lb1', 'lb2']) await bed.hub.api('DELETE', '/api/connections', { from: lb, to: 'web3' });
    const removed = await bed.apply((await bed.plan()).id);
    if (removed.state !== 'applied') throw new Error(`removal failed: ${JSON.stringify(removed.nodes)}`);
    await sleep(500);
    const r = await load.stop();
    const seen = urls.map((u) => r.firstSeen[`${u} web3`]);
    if (seen.some((t) => !t)) throw new Error(`web3 never answered through every load balancer: ${JSON.stringify(r.seen)}`);
    const ms = Math.max(...seen) - applyAt;
    worst = Math.max(worst, ms);
    failed += r.failed;
    log(`round ${round}: apply → live ${ms} ms (hub: ${done.applyMs} ms), ${r.ok} ok, ${r.failed} failed${r.errors.length ? ` ${JSON.stringify(r.errors)}` : ''}`);
  }
} finally {
  await bed.down();
}
console.log(JSON.stringify({ applyToLiveMs: worst, failedRequests: failed }));
