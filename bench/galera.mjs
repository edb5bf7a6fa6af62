#!/usr/bin/env node
// MariaDB Galera from the hub, timed on the test bed of agent/test/galera.test.ts (namespaces, hub,
// three database nodes whose agents run mariadbd, a load balancer with HAProxy, a client node;
// needs root and `npm run build`):
// - bootstrap3Ms: Apply of a new 3-node cluster → every node Synced (the hub's view says Primary 3/3);
// - joinIstMs: a node that left gracefully, while writes went on, added back → Synced (by IST);
// - rollingRestartFailedTx: transactions that failed during a rolling restart under a write load
//   through HAProxy (the client retries once on a dropped connection);
// - fullCrashRecoveryMs: kill -9 of every mariadbd mid-writes → the first write that commits
//   through HAProxy again (automatic recovery: the cluster's policy allows it);
// - lostCommittedTx: committed transactions (acknowledged to the client) missing afterwards, in all.
// Progress goes to stderr; the last stdout line is the JSON. Goals: bootstrap3Ms <= 30000,
// fullCrashRecoveryMs <= 15000, rollingRestartFailedTx = 0, lostCommittedTx = 0.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { sleep, waitFor } from './wait.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const log = (m) => process.stderr.write(`galera: ${m}\n`);

// Bundled beside its source: the harness finds the repository relative to its own file.
const bundle = join(ROOT, 'agent/test', `.galera-testbed-bench-${process.pid}.mjs`);
await build({
  entryPoints: [join(ROOT, 'agent/test/galera-testbed.ts')], bundle: true, platform: 'node', format: 'esm',
  outfile: bundle, packages: 'external', logLevel: 'error',
});
const { GaleraTestbed, DB_NODES } = await import(bundle).finally(() => rmSync(bundle, { force: true }));
const bed = new GaleraTestbed({ galera: { autoRecover: true } });
const out = {};
let lost = 0;
const lb = () => bed.net.node('lb1').address;
const synced = () => waitFor('every node Synced', async () => (await bed.view()).summary === `Primary ${DB_NODES.length}/${DB_NODES.length}`, 180_000, 50);
const countLost = async (r) => {
  const missing = await bed.lost('db1', r.committed);
  lost += missing.length;
  return missing.length;
};

try {
  log('starting the test bed');
  await bed.up();
  const plan = await bed.must('POST', '/api/clusters/db/galera/plan', undefined, 201);
  if (plan.error) throw new Error(plan.error);
  let t = Date.now();
  const apply = await bed.must('POST', '/api/clusters/db/galera/apply', { planId: plan.id }, 202);
  await synced();
  out.bootstrap3Ms = Date.now() - t;
  await bed.done(apply);
  log(`bootstrap: ${out.bootstrap3Ms} ms`);
  await bed.loadDatabase();

  await bed.done(await bed.must('DELETE', '/api/clusters/db/galera/nodes/db3', undefined, 202));
  let load = bed.startLoad(lb());
  await sleep(3000);
  let r = await load.stop();
  t = Date.now();
  const add = await bed.done(await bed.must('POST', '/api/clusters/db/galera/nodes', { serverId: 'db3' }, 202));
  out.joinIstMs = Date.now() - t;
  const join3 = add.steps.find((s) => s.action === 'join');
  log(`join: ${out.joinIstMs} ms by ${join3?.evidence?.joinedBy} (${r.ok} writes while it was away)`);
  if (join3?.evidence?.joinedBy !== 'IST') throw new Error(`db3 joined by ${join3?.evidence?.joinedBy}, not IST`);
  await synced();
  await countLost(r);

  load = bed.startLoad(lb());
  await sleep(1500);
  await bed.done(await bed.must('POST', '/api/clusters/db/galera/rolling-restart', undefined, 202));
  await sleep(1500);
  r = await load.stop();
  out.rollingRestartFailedTx = r.failed;
  log(`rolling restart: ${r.ok} committed, ${r.failed} failed, ${r.retried} retried once, ${await countLost(r)} lost${r.failed ? ` ${JSON.stringify(r.errors.slice(0, 5))}` : ''}`);
  await synced();

  load = bed.startLoad(lb());
  await sleep(2000);
  for (const n of DB_NODES) await bed.crash(n);
  const dead = Date.now();
  r = await load.stop();
  const probe = bed.net.spawn('client', process.execPath, [join(ROOT, 'agent/test/galera-probe.mjs'), lb(), '3306', '--max-ms', '120000'], { GALERA_LOAD_PASSWORD: bed.loadPassword });
  const code = await new Promise((res) => probe.once('exit', res));
  if (code !== 0) throw new Error(`no write committed within 120 s of the crash\n${bed.logs()}`);
  out.fullCrashRecoveryMs = Number(probe.output().trim().split('\n').pop()) - dead;
  await synced();
  log(`full crash: writable again after ${out.fullCrashRecoveryMs} ms, ${await countLost(r)} of ${r.ok} committed lost`);
  out.lostCommittedTx = lost;
} finally {
  await bed.down();
}
const { bootstrap3Ms, joinIstMs, fullCrashRecoveryMs, rollingRestartFailedTx, lostCommittedTx } = out;
console.log(JSON.stringify({ bootstrap3Ms, joinIstMs, fullCrashRecoveryMs, rollingRestartFailedTx, lostCommittedTx }));
