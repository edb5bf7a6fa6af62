/** GET /metrics on a real in-process hub over real HTTP: access, scope, format, compression. */
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { MetricsSample } from '../../protocol/types.js';
import { configFromEnv } from '../config.js';
import { startHub, type RunningHub } from '../hub.js';
import { CONTENT_TYPE } from './exposition.js';
import { parseExposition, sampleOf } from './test-parse.js';

let hub: RunningHub;
let dir: string;
let base: string;
const basic = (user: string, pw: string) => `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}`;
const ADMIN = basic('admin', 'admin-password-1');
const NO_FLAGS = { view: false, editServers: false, editConnections: false, editClusters: false, apply: false, scale: false, enroll: false, exportImport: false };

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(base + path, {
    method, headers: { authorization: ADMIN, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function scrape(authorization?: string, init: RequestInit = {}) {
  const res = await fetch(`${base}/metrics`, { ...init, headers: { ...(authorization ? { authorization } : {}), ...init.headers } });
  return { res, text: await res.text() };
}

const sample: MetricsSample = {
  ts: Date.now(), cpu: 33.5, mem: { total: 4e9, used: 1e9, swapTotal: 0, swapUsed: 0 }, disks: [{ mount: '/', total: 1e10, used: 1e9 }],
  diskIO: { readBps: 1, writeBps: 2 }, net: { rxBps: 3, txBps: 4 }, load: [1, 2, 3], uptime: 100, tcp: 7,
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'uc-metrics-'));
  const config = configFromEnv({ HUB_PORT: '0', AGENT_PORT: '0', ADMIN_PASSWORD: 'admin-password-1' }, { uiRoot: dir, dataDir: dir });
  hub = await startHub(config, () => {});
  base = `http://127.0.0.1:${hub.httpPort}`;
  for (const id of ['web1', 'db1', 'other1']) await api('POST', '/api/servers', { id, name: `Name ${id}`, type: id === 'db1' ? 'database' : 'web', ip: '10.0.0.1', region: 'eu-1' });
  await api('POST', '/api/clusters', { name: 'prod', servers: ['web1', 'db1'] });
  await api('POST', '/api/clusters', { name: 'other', servers: ['other1'] });
  await api('POST', '/api/users', { name: 'scoped', password: 'scoped-password-1', acl: { ...NO_FLAGS, view: true, scope: ['prod'] } });
  await api('POST', '/api/users', { name: 'blind', password: 'blind-password-1', acl: { ...NO_FLAGS, scope: '*' } });
  // What an agent's hello and first frame do to the live view.
  for (const id of ['web1', 'other1']) {
    hub.svc.live.connected(id);
    hub.svc.live.record(id, sample);
  }
});

afterAll(async () => {
  await hub.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('access', () => {
  it('refuses a caller without credentials or with a bad token (401, JSON)', async () => {
    for (const auth of [undefined, 'Bearer uct_not-a-token', basic('admin', 'wrong')]) {
      const { res, text } = await scrape(auth);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(JSON.parse(text).error.code).toBe('unauthorized');
    }
  });

  it('refuses a user without the view flag (403, JSON)', async () => {
    const { res, text } = await scrape(basic('blind', 'blind-password-1'));
    expect(res.status).toBe(403);
    expect(JSON.parse(text).error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('view') });
  });

  it('answers only GET and HEAD', async () => {
    const { res, text } = await scrape(ADMIN, { method: 'POST' });
    expect(res.status).toBe(405);
    expect(JSON.parse(text).error.code).toBe('method_not_allowed');
    const head = await scrape(ADMIN, { method: 'HEAD' });
    expect(head.res.status).toBe(200);
    expect(head.text).toBe('');
  });
});

describe('the exposition', () => {
  it('serves every visible server and the hub to an API token, in the text format', async () => {
    const { token } = await api('POST', '/api/api-tokens', { name: 'prometheus' });
    const { res, text } = await scrape(`Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(CONTENT_TYPE);
    const m = parseExposition(text);
    expect(sampleOf(m, 'uc_server_up', { server: 'web1', name: 'Name web1', type: 'web', region: 'eu-1' })).toBe(1);
    expect(sampleOf(m, 'uc_server_up', { server: 'db1' })).toBe(0);
    expect(sampleOf(m, 'uc_server_status', { server: 'db1', status: 'unknown' })).toBe(1);
    expect(sampleOf(m, 'uc_server_cpu_percent', { server: 'web1' })).toBe(33.5);
    expect(sampleOf(m, 'uc_server_cluster_info', { server: 'other1', cluster: 'other' })).toBe(1);
    expect(sampleOf(m, 'uc_hub_servers')).toBe(3);
    expect(sampleOf(m, 'uc_hub_agents_connected')).toBe(2);
    expect(sampleOf(m, 'uc_hub_state_revision')).toBe(hub.svc.store.state.revision);
    expect(sampleOf(m, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('shows a scoped user only its clusters\' servers, also in the hub counts', async () => {
    const { res, text } = await scrape(basic('scoped', 'scoped-password-1'));
    expect(res.status).toBe(200);
    const m = parseExposition(text);
    expect(m.get('uc_server_up')!.samples.map((s) => s.labels['server'])).toEqual(['web1', 'db1']);
    expect(text).not.toContain('other1');
    expect(text).not.toContain('cluster="other"');
    expect(sampleOf(m, 'uc_hub_servers')).toBe(2);
    expect(sampleOf(m, 'uc_hub_agents_connected')).toBe(1);
  });

  it('counts open browser sockets', async () => {
    const count = async () => sampleOf(parseExposition((await scrape(ADMIN)).text), 'uc_hub_browser_clients');
    expect(await count()).toBe(0);
    const ws = new WebSocket(`ws://127.0.0.1:${hub.httpPort}/ws`);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    expect(await count()).toBe(1);
    ws.close();
    await new Promise((resolve) => ws.once('close', resolve));
    await new Promise((resolve) => setTimeout(resolve, 100)); // the hub sees the close a moment later
    expect(await count()).toBe(0);
  });

  it('compresses with gzip when the scraper asks for it (Prometheus does)', async () => {
    const raw = await new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
      const req = request(`${base}/metrics`, { headers: { authorization: ADMIN, 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject).end();
    });
    expect(raw.headers['content-encoding']).toBe('gzip');
    expect(raw.headers['vary']).toMatch(/Accept-Encoding/);
    const m = parseExposition(gunzipSync(raw.body).toString('utf8'));
    expect(sampleOf(m, 'uc_server_up', { server: 'web1' })).toBe(1);
  });
});
