#!/usr/bin/env node
// Gluster from the API, timed, on the test bed of agent/test/gluster.test.ts (three nodes, each
// with its own glusterd and agent in network + mount namespaces, a client node; needs root and
// `npm run build`):
//   volumeReadyMs      Apply of the role → a started replica-3 volume with every brick online (as the hub shows it)
//   mountReadyMs       a filesystem connection drawn → the client has the volume mounted and writes a file to it
//   healAfterReturnMs  a killed node's glusterd started again (200 files written while it was down) → backlog 0, every brick online
//   statusLagMs        a brick process killed → the browser socket's gluster-status frame shows it offline (worst of ROUNDS, default 3)
// Progress goes to stderr; the last stdout line is the JSON. Goals: volumeReadyMs <= 15000, statusLagMs <= 3000.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { sleep, waitFor } from './wait.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const log = (m) => process.stderr.write(`gluster: ${m}\n`);

// Bundled beside its source: the harness finds the repository relative to its own file.
const bundle = join(ROOT, 'agent/test', `.gluster-testbed-bench-${process.pid}.mjs`);
await build({
  entryPoints: [join(ROOT, 'agent/test/gluster-testbed.ts')], bundle: true, platform: 'node', format: 'esm',
  outfile: bundle, packages: 'external', logLevel: 'error',
});
const { GlusterTestbed } = await import(bundle).finally(() => rmSync(bundle, { force: true }));
const bed = new GlusterTestbed({ nodes: 3, clients: 1 });
const api = (method, path, body) => bed.hub.api(method, path, body);
const view = async () => (await api('GET', '/api/clusters/gl/gluster')).body;
const vol0 = async () => (await view()).volumes.find((v) => v.name === 'vol0');
let socket;
try {
  log('starting the test bed');
  await bed.up();
  const made = await api('POST', '/api/clusters', {
    name: 'gl', servers: ['gl1', 'gl2', 'gl3'],
    gluster: { volumes: [{ name: 'vol0', brickPath: bed.brickPath, force: true }], mountPath: bed.mountPath },
  });
  if (made.status !== 201) throw new Error(JSON.stringify(made.body));

  log('apply');
  let t = Date.now();
  const applied = await api('POST', '/api/clusters/gl/gluster/apply');
  if (applied.status !== 202) throw new Error(JSON.stringify(applied.body));
  const op = await waitFor('the apply to end', async () => {
    const o = (await api('GET', `/api/operations/${applied.body.operation.id}`)).body;
    return o.state !== 'running' ? o : null;
  }, 120_000, 50);
  if (op.state !== 'done') throw new Error(`apply ${op.state}: ${op.error}`);
  await waitFor('every brick online', async () => (await view()).summary === 'vol0 3/3 healthy', 60_000, 50);
  const volumeReadyMs = Date.now() - t;

  log('mount');
  const mnt = `${bed.dir}/mnt/vol0`;
  t = Date.now();
  await api('POST', '/api/connections', { from: 'client1', to: 'gl1', type: 'filesystem' });
  // Mounted (not just the directory made for it), and writable.
  await waitFor('the client to write to its mount', async () => (await bed.sh('client1', `grep -q ' ${mnt} fuse.glusterfs ' /proc/self/mounts && echo hi > ${mnt}/mounted.txt`)).code === 0, 60_000, 50);
  const mountReadyMs = Date.now() - t;

  // The browser socket, as the diagram gets it.
  const ticket = (await api('POST', '/api/ticket')).body.ticket;
  socket = new WebSocket(bed.hub.wsUrl);
  const frames = [];
  socket.on('message', (d) => { const f = JSON.parse(String(d)); if (f.type === 'gluster-status') frames.push({ at: Date.now(), status: f.status }); });
  await new Promise((r) => socket.once('open', r));
  socket.send(JSON.stringify({ v: 1, type: 'auth', ticket }));

  let statusLagMs = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    const reporter = (await view()).reporter;
    const node = ['gl1', 'gl2', 'gl3'].find((n) => n !== reporter);
    await waitFor('every brick online', async () => (await vol0()).bricks.every((b) => b.online), 60_000);
    frames.length = 0;
    const killedAt = Date.now();
    await bed.killBrick(node, 'vol0');
    const seen = await waitFor(`${node}'s brick offline in a frame`, () => frames.find((f) => f.status.volumes.find((v) => v.name === 'vol0')?.bricks.some((b) => b.serverId === node && !b.online)), 30_000, 20);
    statusLagMs = Math.max(statusLagMs, seen.at - killedAt);
    log(`round ${round}: ${node}'s brick offline on the diagram after ${seen.at - killedAt} ms`);
    await waitFor(`${node}'s brick back`, async () => {
      await bed.gluster(node, 'volume', 'start', 'vol0', 'force');
      return (await vol0()).bricks.find((b) => b.serverId === node)?.online;
    }, 60_000, 1000);
  }

  log('heal after a node returns');
  const reporter = (await view()).reporter;
  const node = ['gl1', 'gl2', 'gl3'].find((n) => n !== reporter);
  await bed.killGluster(node);
  await waitFor(`${node} offline`, async () => (await vol0()).bricks.some((b) => b.serverId === node && !b.online), 30_000);
  const w = await bed.sh('client1', `for i in $(seq 1 200); do echo file $i > ${mnt}/down-$i.txt || exit 1; done`);
  if (w.code !== 0) throw new Error(`writes failed: ${w.output}`);
  await waitFor('a heal backlog', async () => (await vol0()).bricks.some((b) => (b.healPending ?? 0) >= 200), 30_000);
  t = Date.now();
  await bed.startGlusterd(node);
  await waitFor('backlog 0, every brick online', async () => { const v = await vol0(); return v.bricks.every((b) => b.online && b.healPending === 0); }, 300_000, 100);
  const healAfterReturnMs = Date.now() - t;

  console.log(JSON.stringify({ volumeReadyMs, mountReadyMs, healAfterReturnMs, statusLagMs }));
} catch (e) {
  log(`failed: ${e instanceof Error ? e.stack : e}\n${bed.logs?.() ?? ''}`);
  process.exitCode = 1;
} finally {
  socket?.close();
  await bed.down();
  await sleep(0);
}
