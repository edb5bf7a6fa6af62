#!/usr/bin/env node
// How big the largest real model is, to size the hub's body limit for imports and restores.
// Starts the built hub and one real agent, takes that agent's server record (with this
// machine's real inventory), and builds an export of SERVERS (default 10,000) such servers, two
// connections each, a cluster per 100 and a dragged position for every one. Prints its size,
// then imports it into the hub and reads the hub's peak memory. The last stdout line is
// {"servers","connections","exportMB","backupMB","importStatus","hubPeakRssMB"}.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { waitFor } from './wait.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const SERVERS = Number(process.env.SERVERS ?? 10_000);
const say = (line) => process.stderr.write(`model-size: ${line}\n`);

const freePort = () => new Promise((resolve, reject) => {
  const srv = createServer().once('error', reject).listen(0, '127.0.0.1', () => {
    const { port } = srv.address();
    srv.close(() => resolve(port));
  });
});

const dataDir = mkdtempSync(join(tmpdir(), 'uc-bench-model-'));
const password = randomBytes(12).toString('hex');
const auth = `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;
const children = [];
const start = (args, env) => {
  const proc = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(proc);
  return proc;
};
const peakRssMB = (pid) => Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

try {
  const [httpPort, agentPort] = [await freePort(), await freePort()];
  const hub = start(['dist/hub.mjs'], { DATA_DIR: dataDir, HUB_PORT: String(httpPort), AGENT_PORT: String(agentPort), ADMIN_PASSWORD: password });
  const base = `http://127.0.0.1:${httpPort}`;
  const api = async (method, path, body) => {
    const res = await fetch(base + path, { method, headers: { authorization: auth, 'content-type': 'application/json' }, body });
    return { status: res.status, body: await res.text() };
  };
  await waitFor('the hub', async () => (await fetch(`${base}/api/health`)).ok);
  const token = JSON.parse((await api('POST', '/api/join-tokens', '{}')).body).token;
  start(['dist/agent.mjs', '--hub', `wss://127.0.0.1:${agentPort}/agent`, '--token', token, '--id', 'model', '--state-file', join(dataDir, 'agent.json')], {});
  const real = await waitFor('the agent\'s server record', async () => {
    const r = await api('GET', '/api/servers/model');
    const s = r.status === 200 ? JSON.parse(r.body) : null;
    return s?.agent ? s : null;
  });
  const { status: _status, metrics: _metrics, ...record } = real;

  const ids = Array.from({ length: SERVERS }, (_, i) => `server-${String(i).padStart(5, '0')}`);
  const servers = ids.map((id, i) => ({
    ...record, id, name: `Server ${i}`, address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, region: 'eu-west-1',
    labels: { tier: 'gold', rack: `r${i % 40}` }, ports: [22, 80, 443],
    agent: { ...record.agent, inventory: { ...record.agent.inventory, hostname: `${id}.example.net` } },
  }));
  const connections = ids.flatMap((from, i) => [1, 2].map((d) => {
    const to = ids[(i + d) % SERVERS];
    return { id: `${from}:${to}`, from, to, type: 'http' };
  }));
  const clusters = Array.from({ length: Math.ceil(SERVERS / 100) }, (_, c) => ({ name: `cluster-${c}`, servers: ids.slice(c * 100, c * 100 + 100) }));
  const layout = Object.fromEntries(ids.map((id, i) => [id, { x: (i % 100) * 3.5, y: Math.floor(i / 100) * 3.5 }]));
  const doc = JSON.stringify({ format: 'unlimited-cluster', version: 1, exportedAt: new Date().toISOString(), servers, connections, clusters, layout });
  say(`export of ${SERVERS} servers: ${(doc.length / 1048576).toFixed(1)} MB`);

  const imported = await api('POST', '/api/import', doc);
  say(`import: ${imported.status} ${imported.body.slice(0, 200)}`);
  const backup = await api('GET', '/api/backup');
  console.log(JSON.stringify({
    servers: SERVERS, connections: connections.length,
    exportMB: Math.round(doc.length / 10485.76) / 100, backupMB: Math.round(backup.body.length / 10485.76) / 100,
    importStatus: imported.status, hubPeakRssMB: Math.round(peakRssMB(hub.pid)),
  }));
} finally {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
}
