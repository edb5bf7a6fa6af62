#!/usr/bin/env node
// The load of bench/api.mjs, in a process of its own: CLIENTS concurrent API clients (default
// 200), each with its own API token (Bearer), for DURATION_S seconds (default 60), against a hub
// holding SERVERS servers s00000… (bench/api.mjs seeds them). Each client is a script or a
// dashboard: it sends a request with the mix below, reads the whole answer, waits a random time
// from 0 to 2 × THINK_MS ms (default THINK_MS 500: 200 clients offer about 400 requests a second)
// and sends the next; THINK_MS=0 sends back to back (the hub's saturation). Every client writes
// only its own servers, connections and positions, so no request has a reason to fail: any
// answer but the expected status is an error.
// Prints one JSON line: {"requests","seconds","reads":[ms…] as p50/p99,"writes":…,"errors",…}.
//
// The mix (weights out of 100): reads 75, writes 25.
//   GET /api/servers/{id} 30 · GET /api/servers?limit=100&offset=… (a page of the fleet) 10 ·
//   GET /api/connections?server={id} 10 · GET /api/clusters/{name} 10 · GET /api/layout 10 ·
//   GET /api/stats 5 · PATCH /api/servers/{id} 10 · PATCH /api/layout (one position) 5 ·
//   POST /api/connections or DELETE it again 5 · POST /api/servers or DELETE it again 5.
// Plus, FULL_LIST_EVERY_S (default 5): one client in turn reads the whole fleet, GET /api/servers
// (all 10,000), counted as a read, as a dashboard script or an export job would.
const HUB = process.env.HUB_URL;
const TOKENS = JSON.parse(process.env.API_TOKENS ?? '[]');
const SERVERS = Number(process.env.SERVERS ?? 10_000);
const CLUSTERS = Number(process.env.CLUSTERS ?? 100);
const DURATION_S = Number(process.env.DURATION_S ?? 60);
const FULL_LIST_EVERY_S = Number(process.env.FULL_LIST_EVERY_S ?? 5);
const THINK_MS = Number(process.env.THINK_MS ?? 500);
if (!HUB || !TOKENS.length) throw new Error('HUB_URL and API_TOKENS are set by bench/api.mjs');

const sid = (i) => `s${String(i).padStart(5, '0')}`;
const pick = (n) => Math.floor(Math.random() * n);

const reads = [];
const writes = [];
const errors = [];
let requests = 0;

async function send(token, method, path, body, expect) {
  const t0 = performance.now();
  let status = 0;
  try {
    const res = await fetch(HUB + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    status = res.status;
    await res.arrayBuffer(); // the whole answer: its last byte is when the client has it
  } catch (e) {
    status = `${e.cause?.code ?? e.message}`;
  }
  const ms = performance.now() - t0;
  requests++;
  (method === 'GET' ? reads : writes).push(ms);
  if (status !== expect && errors.length < 1000) errors.push(`${method} ${path}: ${status}`);
}

/** One client: its own slice of the servers (every CLIENTS-th), its own toggles. */
async function client(i, token, until) {
  const mine = [];
  for (let s = i; s < SERVERS; s += TOKENS.length) mine.push(sid(s));
  let connected = false;
  let created = 0;
  let extra;
  // Clients start spread over one think time, not all in the same millisecond.
  await new Promise((r) => setTimeout(r, Math.random() * THINK_MS));
  while (performance.now() < until) {
    const own = mine[pick(mine.length)];
    const w = pick(100);
    if (w < 30) await send(token, 'GET', `/api/servers/${sid(pick(SERVERS))}`, undefined, 200);
    else if (w < 40) await send(token, 'GET', `/api/servers?limit=100&offset=${pick(SERVERS / 100) * 100}`, undefined, 200);
    else if (w < 50) await send(token, 'GET', `/api/connections?server=${sid(pick(SERVERS))}`, undefined, 200);
    else if (w < 60) await send(token, 'GET', `/api/clusters/c${String(pick(CLUSTERS)).padStart(3, '0')}`, undefined, 200);
    else if (w < 70) await send(token, 'GET', '/api/layout', undefined, 200);
    else if (w < 75) await send(token, 'GET', '/api/stats', undefined, 200);
    else if (w < 85) await send(token, 'PATCH', `/api/servers/${own}`, { region: `r${pick(8)}`, labels: { tier: `t${pick(4)}` } }, 200);
    else if (w < 90) await send(token, 'PATCH', '/api/layout', { positions: { [own]: { x: pick(1000), y: pick(1000) } } }, 200);
    else if (w < 95) {
      // A connection between this client's first and last servers (never one of the seed's): drawn, then removed again.
      const [from, to] = [mine[0], mine[mine.length - 1]];
      if (connected) await send(token, 'DELETE', `/api/connections?from=${from}&to=${to}`, undefined, 204);
      else await send(token, 'POST', '/api/connections', { from, to, type: 'http' }, 201);
      connected = !connected;
    } else if (extra) {
      await send(token, 'DELETE', `/api/servers/${extra}`, undefined, 204);
      extra = undefined;
    } else {
      extra = `b${String(i).padStart(3, '0')}-${created++}`;
      await send(token, 'POST', '/api/servers', { id: extra, name: extra, type: 'web', ip: '10.9.0.1', region: 'bench' }, 201);
    }
    if (THINK_MS > 0) await new Promise((r) => setTimeout(r, Math.random() * 2 * THINK_MS));
  }
}

/** Every FULL_LIST_EVERY_S, the next client's token reads the whole fleet. */
async function fullLists(until) {
  for (let n = 0; performance.now() < until; n++) {
    await new Promise((r) => setTimeout(r, FULL_LIST_EVERY_S * 1000));
    if (performance.now() < until) await send(TOKENS[n % TOKENS.length], 'GET', '/api/servers', undefined, 200);
  }
}

const t0 = performance.now();
const cpu0 = process.cpuUsage();
const until = t0 + DURATION_S * 1000;
await Promise.all([...TOKENS.map((t, i) => client(i, t, until)), ...(FULL_LIST_EVERY_S > 0 ? [fullLists(until)] : [])]);
const seconds = (performance.now() - t0) / 1000;
const pct = (list, p) => {
  const s = Float64Array.from(list).sort();
  return s.length ? Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] * 10) / 10 : null;
};
console.log(JSON.stringify({
  requests, seconds, reads: reads.length, writes: writes.length,
  readP50Ms: pct(reads, 50), readP99Ms: pct(reads, 99), writeP50Ms: pct(writes, 50), writeP99Ms: pct(writes, 99),
  errors: errors.length, firstErrors: errors.slice(0, 10),
  cpuPct: Math.round(((process.cpuUsage(cpu0).user + process.cpuUsage(cpu0).system) / 1e6 / seconds) * 100),
}));
