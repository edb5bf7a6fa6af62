/**
 * The real built hub with a real agent, scraped at /metrics with an API token the way a
 * Prometheus server does, and the answer checked by Prometheus' own `promtool check metrics`.
 *
 * Every promtool lint problem fails the test, not only parse errors: each lint rule (help text,
 * counter `_total` suffix, base units, unit abbreviations, camelCase, colons) is about the names
 * we chose, and a name, once scraped into people's dashboards and alerts, cannot be fixed quietly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricsSample, Server, ServerStatus } from '../protocol/types.js';
import { CONTENT_TYPE, renderExposition } from '../hub/prometheus/exposition.js';
import { fleetFamilies } from '../hub/prometheus/fleet.js';
import { hubFamilies } from '../hub/prometheus/hub-families.js';
import { parseExposition, sampleOf } from '../hub/prometheus/test-parse.js';
import { type Hub, type Proc, startAgent, startHub, waitFor } from './harness.js';
import { promtoolCheckMetrics } from './promtool.js';

let hub: Hub;
let agent: Proc;
let token: string;
const AGENT_ID = 'prom-agent';
/** A server with every character the format must escape, and no agent. */
const AWKWARD = { id: 'awkward1', name: 'Rack "7" \\ east', type: 'cache', ip: '10.0.0.7', region: 'eu\nwest' };

beforeAll(async () => {
  hub = await startHub();
  agent = await startAgent(hub, { id: AGENT_ID, type: 'web' });
  const made = await hub.api('POST', '/api/api-tokens', { name: 'prometheus' });
  expect(made.status).toBe(201);
  token = made.body.token;
  expect((await hub.api('POST', '/api/servers', AWKWARD)).status).toBe(201);
  await waitFor('the agent to report', async () => {
    const { body } = await hub.api('GET', `/api/servers/${AGENT_ID}`);
    return body?.metrics && (body.status === 'active' || body.status === 'warning');
  }, 20_000).catch((e) => {
    throw new Error(`${e}\n--- hub ---\n${hub.output()}\n--- agent ---\n${agent.output()}`);
  });
  // The agent's server exists once it has enrolled.
  const cluster = await hub.api('POST', '/api/clusters', { name: 'prod', servers: [AGENT_ID, AWKWARD.id] });
  expect(cluster.status, JSON.stringify(cluster.body)).toBe(201);
});

afterAll(async () => {
  await agent?.stop();
  await hub?.stop();
});

describe('/metrics as Prometheus scrapes it', () => {
  it('passes promtool check metrics with no lint problems, and carries the agent\'s live values', async () => {
    const res = await fetch(`${hub.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(res.headers.get('content-type')).toBe(CONTENT_TYPE);

    const checked = await promtoolCheckMetrics(text);
    expect(checked, `promtool check metrics said:\n${checked.output}`).toEqual({ code: 0, output: '' });

    const m = parseExposition(text);
    const labels = { server: AGENT_ID, type: 'web' };
    expect(sampleOf(m, 'uc_server_up', labels)).toBe(1);
    const cpu = sampleOf(m, 'uc_server_cpu_percent', labels);
    expect(cpu).toBeGreaterThanOrEqual(0);
    expect(cpu).toBeLessThanOrEqual(100);
    expect(sampleOf(m, 'uc_server_memory_total_bytes', labels)).toBeGreaterThan(0);
    expect(sampleOf(m, 'uc_server_uptime_seconds', labels)).toBeGreaterThan(0);
    expect(m.get('uc_server_filesystem_size_bytes')!.samples.filter((s) => s.labels['server'] === AGENT_ID).length).toBeGreaterThan(0);
    expect(sampleOf(m, 'uc_server_last_sample_timestamp_seconds', labels)).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(sampleOf(m, 'uc_server_cluster_info', { server: AGENT_ID, cluster: 'prod' })).toBe(1);

    // The awkward server's labels survive escaping; with no agent it is down and unknown.
    const awkward = { server: AWKWARD.id, name: AWKWARD.name, region: AWKWARD.region, type: 'cache' };
    expect(sampleOf(m, 'uc_server_up', awkward)).toBe(0);
    expect(sampleOf(m, 'uc_server_status', { ...awkward, status: 'unknown' })).toBe(1);

    expect(sampleOf(m, 'uc_hub_agents_connected')).toBe(1);
    expect(sampleOf(m, 'uc_hub_servers')).toBe(2);
    expect(sampleOf(m, 'process_start_time_seconds')).toBeLessThanOrEqual(Date.now() / 1000);
  });

  it('refuses a scrape without a credential with the API\'s JSON error', async () => {
    const res = await fetch(`${hub.url}/metrics`);
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('unauthorized');
  });
});

describe('promtool on what the renderer can produce', () => {
  it('accepts special values and every escape', async () => {
    const servers: Server[] = ['a', 'b'].map((id) => ({ id, name: `n "${id}" \\ x`, type: 'web', address: '10.0.0.1', region: 'r\n1', labels: {}, ports: [] }));
    const sample: MetricsSample = {
      ts: 1_700_000_000_000, cpu: 0, mem: { total: 1e21, used: 5e-7, swapTotal: 0, swapUsed: 0 },
      disks: [{ mount: '/mnt/"q"\\\n', total: 1, used: 1 }], diskIO: { readBps: 0, writeBps: 0 }, net: { rxBps: 0, txBps: 0 }, load: [0, 0, 0], uptime: 0, tcp: 0,
    };
    const status: Record<string, ServerStatus> = { a: 'active', b: 'inactive' };
    const live = { status: (id: string) => status[id] ?? 'unknown', sample: () => sample };
    const eventLoop = { meanSeconds: NaN, maxSeconds: Infinity, p99Seconds: -Infinity };
    const text = renderExposition([
      ...fleetFamilies({ servers, clusters: [{ name: 'c', servers: ['a', 'b'] }] }, live),
      ...hubFamilies({ agentsConnected: 1, servers: 2, browserClients: 0, stateRevision: 0, process: { residentBytes: 1, cpuSeconds: 0, startTimeSeconds: 0, eventLoop } }),
    ]);
    const checked = await promtoolCheckMetrics(text);
    expect(checked, `promtool check metrics said:\n${checked.output}`).toEqual({ code: 0, output: '' });
  });

  it('is a real check: it rejects a broken exposition', async () => {
    // Guards the tests above against a promtool that accepts anything.
    expect((await promtoolCheckMetrics('# TYPE a gauge\na{x="unterminated} 1\n')).code).not.toBe(0);
    expect(await promtoolCheckMetrics('# TYPE a_ms gauge\na_ms 1\n')).toMatchObject({ code: 3, output: expect.stringContaining('a_ms') });
  });
});
