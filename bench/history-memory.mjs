#!/usr/bin/env node
// What the metrics history costs the hub: gives SERVERS servers (default 10,000) one sample each
// (their rings are allocated on the first), then measures the memory that added, per server,
// the time of one frame (60 frames per server) and of one 24 h answer. Run with --expose-gc (the npm script does).
// The last stdout line is {"servers","bytesPerServer","typedBytesPerServer","rssMB","recordNsPerFrame","answer24hUs"}.
// Goal: 10,000 servers in well under 1 GB of hub RSS (the whole hub's budget, with ~480 MB of TLS
// sockets): one byte a point gives typedBytesPerServer 18,989 (was 37,504 with uint16 codes) and
// ~19.5 KB measured per server, ~190 MB of RSS for 10,000 (was ~38.3 KB, ~380 MB).
import { build } from 'esbuild';

const ROOT = new URL('..', import.meta.url).pathname;
const SERVERS = Number(process.env.SERVERS ?? 10_000);
const say = (line) => process.stderr.write(`history-memory: ${line}\n`);

if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc (npm run bench:history-memory)');

// The hub's own TypeScript, bundled in memory: no build step, nothing written.
const bundle = await build({
  stdin: {
    contents: "export { FleetHistory } from './agent/hub/metrics/fleet-history.ts'; export { HISTORY_BYTES } from './agent/hub/metrics/server-history.ts';",
    resolveDir: ROOT, loader: 'ts',
  },
  bundle: true, write: false, format: 'esm', platform: 'node', logLevel: 'warning',
});
const { FleetHistory, HISTORY_BYTES } = await import(`data:text/javascript;base64,${Buffer.from(bundle.outputFiles[0].text).toString('base64')}`);

const sample = (i) => ({
  ts: 1, cpu: i % 100, mem: { total: 8e9, used: 3e9, swapTotal: 0, swapUsed: 0 }, disks: [{ mount: '/', total: 1e11, used: 4e10 }],
  diskIO: { readBps: 1e5, writeBps: 2e6 }, net: { rxBps: 1.5e6, txBps: 3e5 }, load: [0.5, 0.4, 0.3], uptime: 100, tcp: 10,
});
const ids = Array.from({ length: SERVERS }, (_, i) => `server-${i}`);
const used = () => {
  globalThis.gc();
  const m = process.memoryUsage();
  return { heapAndBuffers: m.heapUsed + m.arrayBuffers, rss: m.rss };
};

const history = new FleetHistory();
history.read('x', '15m', 0); // load the code paths before measuring
const before = used();
const t0 = Date.now();
for (const id of ids) history.record(id, sample(1), t0);
const after = used();
const bytesPerServer = Math.round((after.heapAndBuffers - before.heapAndBuffers) / SERVERS);
say(`${SERVERS} servers: ${bytesPerServer} bytes each (typed arrays ${HISTORY_BYTES}), RSS +${((after.rss - before.rss) / 2 ** 20).toFixed(1)} MiB`);

const FRAMES = 60;
const start = process.hrtime.bigint();
for (let f = 1; f <= FRAMES; f++) for (const id of ids) history.record(id, sample(f), t0 + f * 1000);
const recordNsPerFrame = Math.round(Number(process.hrtime.bigint() - start) / (FRAMES * SERVERS));
say(`one frame: ${recordNsPerFrame} ns`);

// One history answer as the hub sends it (read + JSON): what the per-socket rate limit bounds.
const READS = 200;
const r0 = process.hrtime.bigint();
let answerBytes = 0;
for (let i = 0; i < READS; i++) answerBytes = JSON.stringify(history.read(ids[i % SERVERS], '24h', t0 + FRAMES * 1000)).length;
const answer24hUs = Math.round(Number(process.hrtime.bigint() - r0) / READS / 1000);
say(`one 24h answer: ${answer24hUs} µs, ${answerBytes} bytes of JSON`);

console.log(JSON.stringify({
  servers: SERVERS, bytesPerServer, typedBytesPerServer: HISTORY_BYTES, rssMB: Math.round((after.rss - before.rss) / 2 ** 20), recordNsPerFrame, answer24hUs,
}));
