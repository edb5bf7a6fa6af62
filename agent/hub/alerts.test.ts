/**
 * Alert rules and alerts in a real in-process hub over real HTTP: the rules API, a webhook
 * received by a real HTTP server, e-mail through a sendmail stand-in (SENDMAIL), a hook
 * subscriber, and the browser socket. Samples go in through the hub's Live, as an agent's would.
 */
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Alert, HubToBrowser, MetricsSample } from '../protocol/types.js';
import { check, validators } from '../protocol/validate.js';
import type { AlertEvent } from './alerts/event.js';
import { configFromEnv } from './config.js';
import { startHub, type RunningHub } from './hub.js';
import { waitFor } from '../test/harness.js';

let hub: RunningHub;
let dir: string;
let base: string;
const logs: string[] = [];
const basic = (user: string, pw: string) => `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}`;
const ADMIN = basic('admin', 'admin-password-1');

async function call(method: string, path: string, body?: unknown, auth = ADMIN) {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const stateFile = () => readFileSync(join(dir, 'state.json'), 'utf8');

const sample = (cpu: number): MetricsSample => ({
  ts: Date.now(), cpu, mem: { total: 100, used: 20, swapTotal: 0, swapUsed: 0 }, disks: [{ mount: '/', total: 100, used: 10 }],
  diskIO: { readBps: 0, writeBps: 0 }, net: { rxBps: 0, txBps: 0 }, load: [0, 0, 0], uptime: 1, tcp: 1,
});

/** CPU each fake agent reports, re-sent every 500 ms so the servers stay fresh (active). */
const cpuOf = new Map<string, number>();
let feeder: NodeJS.Timeout;
function report(id: string, cpu: number) {
  cpuOf.set(id, cpu);
  hub.svc.live.connected(id);
  hub.svc.live.record(id, sample(cpu));
}

/** A real HTTP server on 127.0.0.1 that records every POST it receives. */
const received: { path: string; contentType: string | undefined; body: { alert: Alert; rule: Record<string, unknown> | null; server: { id: string } | null } }[] = [];
let receiver: HttpServer;
let receiverUrl: string;

async function addServerInCluster(id: string, cluster: string) {
  expect((await call('POST', '/api/servers', { id, name: `Server ${id}`, type: 'web', ip: '10.0.0.9' })).status).toBe(201);
  expect((await call('POST', '/api/clusters', { name: cluster, servers: [id] })).status).toBe(201);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'uc-alerts-'));
  const sendmail = join(dir, 'sendmail');
  // Saves its arguments and the message; the rename makes a message appear only once complete.
  writeFileSync(sendmail, `#!/bin/sh\nprintf '%s\\n' "$@" > "${dir}/mail-$$.args"\ncat > "${dir}/mail-$$.tmp" && mv "${dir}/mail-$$.tmp" "${dir}/mail-$$.eml"\n`);
  chmodSync(sendmail, 0o755);
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', contentType: req.headers['content-type'], body: JSON.parse(Buffer.concat(chunks).toString()) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const config = configFromEnv({
    DATA_DIR: dir, HUB_PORT: '0', AGENT_PORT: '0', ADMIN_PASSWORD: 'admin-password-1',
    SENDMAIL: sendmail, ALERT_MAIL_FROM: 'Cluster Hub <hub@example.com>',
  }, { uiRoot: dir, dataDir: dir });
  hub = await startHub(config, (m) => logs.push(m));
  base = `http://127.0.0.1:${hub.httpPort}`;
  feeder = setInterval(() => { for (const [id, cpu] of cpuOf) hub.svc.live.record(id, sample(cpu)); }, 500);
});

afterAll(async () => {
  clearInterval(feeder);
  await hub?.stop();
  await new Promise((r) => receiver?.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe('alert rules API', () => {
  it('starts with the default rules', async () => {
    const { status, body } = await call('GET', '/api/alert-rules');
    expect(status).toBe(200);
    expect(body).toEqual([
      { id: 'cpu-high', name: 'CPU above 80 %', metric: 'cpu', threshold: 80, forSeconds: 300, enabled: true, actions: [] },
      { id: 'memory-high', name: 'Memory above 85 %', metric: 'mem', threshold: 85, forSeconds: 180, enabled: true, actions: [] },
      { id: 'disk-full', name: 'Disk above 90 %', metric: 'disk', threshold: 90, forSeconds: 0, enabled: true, actions: [] },
      { id: 'server-down', name: 'Server down', metric: 'down', forSeconds: 30, enabled: true, actions: [] },
      { id: 'galera-non-primary', name: 'Galera node not in a Primary component', metric: 'galera_non_primary', forSeconds: 5, enabled: true, actions: [] },
      { id: 'galera-not-synced', name: 'Galera node not Synced for 60 s', metric: 'galera_not_synced', forSeconds: 60, enabled: true, actions: [] },
      { id: 'galera-flow-control', name: 'Galera flow control above 10 %', metric: 'galera_flow_control', threshold: 10, forSeconds: 30, enabled: true, actions: [] },
      { id: 'gluster-brick-offline', name: 'Gluster brick offline', metric: 'gluster_brick_offline', forSeconds: 30, enabled: true, actions: [] },
      { id: 'gluster-heal-stalled', name: 'Gluster heal backlog not shrinking', metric: 'gluster_heal_stalled', forSeconds: 600, enabled: true, actions: [] },
      { id: 'gluster-split-brain', name: 'Gluster split-brain', metric: 'gluster_split_brain', forSeconds: 0, enabled: true, actions: [] },
      { id: 'gluster-brick-full', name: 'Gluster brick above 90 %', metric: 'gluster_brick_full', threshold: 90, forSeconds: 0, enabled: true, actions: [] },
    ]);
  });

  it('creates, replaces and deletes a rule, persisted and audited', async () => {
    const made = await call('POST', '/api/alert-rules', { name: 'Load spike', metric: 'cpu', threshold: 95, forSeconds: 60, actions: [] });
    expect(made).toMatchObject({ status: 201, body: { id: 'load-spike', enabled: true, threshold: 95 } });
    expect(JSON.parse(stateFile()).alertRules.some((r: { id: string }) => r.id === 'load-spike')).toBe(true);
    expect((await call('POST', '/api/alert-rules', { id: 'load-spike', name: 'x', metric: 'down', forSeconds: 1, actions: [] })).status).toBe(409);
    const put = await call('PUT', '/api/alert-rules/load-spike', { name: 'Server gone', metric: 'down', forSeconds: 10, enabled: false, actions: [{ type: 'hook', name: 'failover' }] });
    expect(put).toMatchObject({ status: 200, body: { id: 'load-spike', metric: 'down', enabled: false } });
    expect(put.body.threshold).toBeUndefined();
    expect((await call('PUT', '/api/alert-rules/nope', { name: 'x', metric: 'down', forSeconds: 1, actions: [] })).status).toBe(404);
    const patched = await call('PATCH', '/api/alert-rules/load-spike', { metric: 'mem', threshold: 70, enabled: true });
    expect(patched).toMatchObject({ status: 200, body: { id: 'load-spike', name: 'Server gone', metric: 'mem', threshold: 70, forSeconds: 10, enabled: true } });
    expect(patched.body.actions).toEqual([{ type: 'hook', name: 'failover' }]);
    const down = await call('PATCH', '/api/alert-rules/load-spike', { metric: 'down' });
    expect(down).toMatchObject({ status: 200, body: { metric: 'down', forSeconds: 10 } });
    expect(down.body.threshold).toBeUndefined();
    expect(JSON.parse(stateFile()).alertRules.find((r: { id: string }) => r.id === 'load-spike')).toEqual(down.body);
    expect((await call('PATCH', '/api/alert-rules/nope', { name: 'x' })).status).toBe(404);
    expect((await call('DELETE', '/api/alert-rules/load-spike')).status).toBe(204);
    expect((await call('DELETE', '/api/alert-rules/load-spike')).status).toBe(404);
    const audit = JSON.parse(stateFile()).audit.map((a: { action: string }) => a.action);
    expect(audit).toEqual(expect.arrayContaining(['alert-rule.create', 'alert-rule.update', 'alert-rule.delete']));
  });

  const good = { name: 'x', metric: 'cpu', threshold: 50, forSeconds: 0, actions: [] };
  const bad: [string, string, unknown][] = [
    ['POST', '/api/alert-rules', '{"name": '],
    ['POST', '/api/alert-rules', { ...good, threshold: undefined }],
    ['POST', '/api/alert-rules', { ...good, metric: 'down' }],
    ['POST', '/api/alert-rules', { ...good, metric: 'load' }],
    ['POST', '/api/alert-rules', { ...good, threshold: 101 }],
    ['POST', '/api/alert-rules', { ...good, forSeconds: -1 }],
    ['POST', '/api/alert-rules', { ...good, forSeconds: 1.5 }],
    ['POST', '/api/alert-rules', { ...good, admin: true }],
    ['POST', '/api/alert-rules', { ...good, scope: [] }],
    ['POST', '/api/alert-rules', { ...good, id: '../etc' }],
    ['POST', '/api/alert-rules', { ...good, actions: [{ type: 'webhook', url: 'file:///etc/passwd' }] }],
    ['POST', '/api/alert-rules', { ...good, actions: [{ type: 'webhook', url: 'gopher://127.0.0.1:25/' }] }],
    ['POST', '/api/alert-rules', { ...good, actions: [{ type: 'email', to: 'ops@example.com\nBcc: all@example.com' }] }],
    ['POST', '/api/alert-rules', { ...good, actions: [{ type: 'email', to: 'a@example.com, b@example.com' }] }],
    ['POST', '/api/alert-rules', { ...good, actions: [{ type: 'hook', name: 'reboot' }] }],
    ['POST', '/api/alert-rules', { ...good, actions: [{ type: 'sms', to: '+1555' }] }],
    ['POST', '/api/alert-rules', { ...good, actions: Array.from({ length: 17 }, () => ({ type: 'hook', name: 'scale_up' })) }],
    ['PUT', '/api/alert-rules/cpu-high', { ...good, id: 'renamed' }],
    ['PUT', '/api/alert-rules/cpu-high', { name: 'x', metric: 'down', threshold: 5, forSeconds: 1, actions: [] }],
    ['PUT', '/api/alert-rules/cpu-high', {}],
    ['PATCH', '/api/alert-rules/cpu-high', {}],
    ['PATCH', '/api/alert-rules/cpu-high', { id: 'renamed' }],
    ['PATCH', '/api/alert-rules/cpu-high', { threshold: 101 }],
    ['PATCH', '/api/alert-rules/server-down', { metric: 'cpu' }],
    ['PATCH', '/api/alert-rules/cpu-high', { actions: [{ type: 'webhook', url: 'file:///etc/passwd' }] }],
  ];
  it.each(bad)('%s %s %j is refused with 400 and changes nothing', async (method, path, body) => {
    const before = stateFile();
    const r = await call(method, path, body);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toMatch(/^(invalid_json|invalid_body)$/);
    expect(stateFile()).toBe(before);
  });

  it('refuses an unknown alert state filter', async () => {
    expect(await call('GET', '/api/alerts?state=burning')).toMatchObject({ status: 400, body: { error: { code: 'invalid_query' } } });
  });
});

describe('alerts firing and resolving', () => {
  it('POSTs the alert to a webhook when it fires and again when it resolves; a dead target is logged, not waited for', async () => {
    await addServerInCluster('hot1', 'hooked');
    const rule = await call('POST', '/api/alert-rules', {
      id: 'hot-cpu', name: 'Hot CPU', metric: 'cpu', threshold: 70, forSeconds: 1, scope: ['hooked'],
      actions: [{ type: 'webhook', url: 'http://127.0.0.1:9/refused' }, { type: 'webhook', url: `${receiverUrl}/alerts?token=s3cret` }],
    });
    expect(rule.status).toBe(201);
    report('hot1', 75);
    const firing = await waitFor('the firing webhook', () => received.find((r) => r.body.alert.ruleId === 'hot-cpu' && r.body.alert.state === 'firing'));
    expect(firing.path).toBe('/alerts?token=s3cret');
    expect(firing.contentType).toBe('application/json');
    expect(firing.body.alert).toMatchObject({ ruleId: 'hot-cpu', ruleName: 'Hot CPU', metric: 'cpu', serverId: 'hot1', value: 75 });
    expect(firing.body.server).toMatchObject({ id: 'hot1', name: 'Server hot1' });
    // The receiver learns the rule, but not the rule's other targets.
    expect(firing.body.rule).toMatchObject({ id: 'hot-cpu', threshold: 70 });
    expect(firing.body.rule).not.toHaveProperty('actions');

    const stored = await call('GET', '/api/alerts?state=firing');
    expect(stored.body.map((a: Alert) => a.id)).toContain(firing.body.alert.id);
    expect(JSON.parse(stateFile()).alerts.some((a: Alert) => a.id === firing.body.alert.id && a.state === 'firing')).toBe(true);
    await waitFor('the refused webhook to be logged', () => logs.some((l) => l.includes('webhook to http://127.0.0.1:9 failed')));
    expect(logs.join('\n')).not.toContain('s3cret');

    report('hot1', 10);
    const resolved = await waitFor('the resolved webhook', () => received.find((r) => r.body.alert.id === firing.body.alert.id && r.body.alert.state === 'resolved'));
    expect(resolved.body.alert.resolvedAt).toEqual(expect.any(String));
    expect(received.filter((r) => r.body.alert.ruleId === 'hot-cpu')).toHaveLength(2);
    const list = (await call('GET', '/api/alerts?state=resolved')).body as Alert[];
    expect(list.find((a) => a.id === firing.body.alert.id)?.state).toBe('resolved');
    expect((await call('GET', '/api/alerts?state=firing')).body.some((a: Alert) => a.id === firing.body.alert.id)).toBe(false);
  });

  it('e-mails through the local sendmail: sendmail -t -i with To, Subject and the body', async () => {
    await addServerInCluster('mail1', 'mailed');
    expect((await call('POST', '/api/alert-rules', {
      id: 'mail-cpu', name: 'Busy CPU', metric: 'cpu', threshold: 60, forSeconds: 0, scope: ['mailed'],
      actions: [{ type: 'email', to: 'ops@example.com' }],
    })).status).toBe(201);
    report('mail1', 88);
    const file = await waitFor('a mail', () => readdirSync(dir).find((f) => f.endsWith('.eml')));
    const mail = readFileSync(join(dir, file), 'utf8');
    expect(readFileSync(join(dir, file.replace('.eml', '.args')), 'utf8')).toBe('-t\n-i\n');
    const blank = mail.indexOf('\n\n');
    const headers = mail.slice(0, blank).split('\n');
    expect(headers).toContain('To: ops@example.com');
    expect(headers).toContain('From: Cluster Hub <hub@example.com>');
    expect(headers).toContain('Subject: [Unlimited Cluster] FIRING: Busy CPU on Server mail1');
    const body = mail.slice(blank + 2);
    expect(body).toContain('Busy CPU is firing on Server mail1 (mail1, 10.0.0.9).');
    expect(body).toContain('Condition: CPU at or above 60 % for 0 s');
    expect(body).toContain('Value:     88.0 % when it fired');
    report('mail1', 5);
  });

  it('calls the named hook subscribers with the event', async () => {
    await addServerInCluster('scale1', 'scaling');
    const events: AlertEvent[] = [];
    const off = hub.alerts.hooks.on('scale_up', (e) => { events.push(e); });
    expect((await call('POST', '/api/alert-rules', {
      id: 'need-more', name: 'Need more web', metric: 'cpu', threshold: 90, forSeconds: 0, scope: ['scaling'],
      actions: [{ type: 'hook', name: 'scale_up' }],
    })).status).toBe(201);
    report('scale1', 97);
    const fired = await waitFor('the scale_up hook', () => events.find((e) => e.alert.state === 'firing'));
    expect(fired.alert).toMatchObject({ ruleId: 'need-more', serverId: 'scale1', value: 97 });
    expect(fired.rule?.actions).toEqual([{ type: 'hook', name: 'scale_up' }]);
    expect(fired.server?.id).toBe('scale1');
    // Deleting the rule resolves its alert, and the hook hears that too.
    expect((await call('DELETE', '/api/alert-rules/need-more')).status).toBe(204);
    await waitFor('the resolved event', () => events.find((e) => e.alert.state === 'resolved'));
    off();
  });

  it('sends firing alerts in the browser snapshot and alert changes in deltas', async () => {
    await addServerInCluster('ws1', 'watched');
    const { body } = await call('POST', '/api/ticket');
    const frames: HubToBrowser[] = [];
    const ws = new WebSocket(`ws://127.0.0.1:${hub.httpPort}/ws`);
    ws.on('open', () => ws.send(JSON.stringify({ v: 1, type: 'auth', ticket: body.ticket })));
    ws.on('message', (d) => {
      const checked = check(validators.hubToBrowser, JSON.parse(d.toString()));
      if (!checked.ok) throw new Error(`invalid frame: ${checked.error}`);
      frames.push(checked.value);
    });
    try {
      const snap = await waitFor('the snapshot', () => frames.find((f) => f.type === 'snapshot'));
      expect(snap.type === 'snapshot' && Array.isArray(snap.alerts)).toBe(true);
      expect((await call('POST', '/api/alert-rules', {
        id: 'ws-cpu', name: 'Socket CPU', metric: 'cpu', threshold: 50, forSeconds: 0, scope: ['watched'], actions: [],
      })).status).toBe(201);
      report('ws1', 66);
      const delta = await waitFor('a delta with the alert', () => frames.find((f) => f.type === 'delta' && f.alerts?.some((a) => a.ruleId === 'ws-cpu')));
      expect(delta.type === 'delta' && delta.alerts?.find((a) => a.ruleId === 'ws-cpu')).toMatchObject({ serverId: 'ws1', state: 'firing', value: 66 });
      report('ws1', 1);
      await waitFor('a delta with it resolved', () => frames.some((f) => f.type === 'delta' && f.alerts?.some((a) => a.ruleId === 'ws-cpu' && a.state === 'resolved')));
    } finally {
      ws.close();
    }
  });
});

describe('alert ACLs', () => {
  const none = { view: false, editServers: false, editConnections: false, editClusters: false, apply: false, scale: false, enroll: false, exportImport: false };
  const reader = basic('reader', 'password-reader');
  const scoped = basic('scoped', 'password-scoped');

  beforeAll(async () => {
    expect((await call('POST', '/api/users', { name: 'reader', password: 'password-reader', acl: { ...none, view: true, scope: '*' } })).status).toBe(201);
    expect((await call('POST', '/api/users', { name: 'scoped', password: 'password-scoped', acl: { ...none, view: true, editClusters: true, scope: ['mailed'] } })).status).toBe(201);
  });

  it('lets a user without editClusters read rules, with webhook URLs cut to their host, and change nothing', async () => {
    const rules = (await call('GET', '/api/alert-rules', undefined, reader)).body as { id: string; actions: { url?: string }[] }[];
    const hot = rules.find((r) => r.id === 'hot-cpu');
    expect(hot?.actions.map((a) => a.url)).toEqual(['http://127.0.0.1:9/…', `${receiverUrl}/…`]);
    const before = stateFile();
    expect((await call('POST', '/api/alert-rules', { name: 'x', metric: 'down', forSeconds: 1, actions: [] }, reader)).status).toBe(403);
    expect((await call('PUT', '/api/alert-rules/cpu-high', { name: 'x', metric: 'down', forSeconds: 1, actions: [] }, reader)).status).toBe(403);
    expect((await call('PATCH', '/api/alert-rules/cpu-high', { name: 'x' }, reader)).status).toBe(403);
    expect((await call('DELETE', '/api/alert-rules/cpu-high', undefined, reader)).status).toBe(403);
    expect(stateFile()).toBe(before);
  });

  it('shows a scoped user only the alerts and rules of its clusters, and lets it edit only rules inside them', async () => {
    const alerts = (await call('GET', '/api/alerts', undefined, scoped)).body as Alert[];
    expect(alerts.length).toBeGreaterThan(0);
    expect(new Set(alerts.map((a) => a.serverId))).toEqual(new Set(['mail1']));
    const ids = ((await call('GET', '/api/alert-rules', undefined, scoped)).body as { id: string }[]).map((r) => r.id);
    expect(ids).toContain('mail-cpu');
    expect(ids).toContain('cpu-high');
    expect(ids).not.toContain('hot-cpu');
    const body = { name: 'Mine', metric: 'cpu', threshold: 99, forSeconds: 5, actions: [] };
    expect((await call('POST', '/api/alert-rules', body, scoped)).status).toBe(403);
    expect((await call('POST', '/api/alert-rules', { ...body, scope: ['mailed', 'hooked'] }, scoped)).status).toBe(403);
    expect((await call('POST', '/api/alert-rules', { ...body, scope: ['mailed'] }, scoped)).status).toBe(201);
    expect((await call('PUT', '/api/alert-rules/cpu-high', body, scoped)).status).toBe(403);
    expect((await call('PUT', '/api/alert-rules/mail-cpu', { ...body, scope: '*' }, scoped)).status).toBe(403);
    expect((await call('PATCH', '/api/alert-rules/cpu-high', { name: 'x' }, scoped)).status).toBe(403);
    expect((await call('PATCH', '/api/alert-rules/mail-cpu', { scope: '*' }, scoped)).status).toBe(403);
    expect((await call('PATCH', '/api/alert-rules/mail-cpu', { scope: ['mailed', 'hooked'] }, scoped)).status).toBe(403);
    expect((await call('DELETE', '/api/alert-rules/hot-cpu', undefined, scoped)).status).toBe(404);
    expect((await call('DELETE', '/api/alert-rules/mine', undefined, scoped)).status).toBe(204);
  });
});

describe('restoring a backup from before alerts', () => {
  it('restores a version-1 document with the default rules and an empty alert log', async () => {
    const { alertRules: _rules, alerts: _alerts, ...rest } = (await call('GET', '/api/backup')).body;
    const r = await call('POST', '/api/restore', { ...rest, version: 1 });
    expect(r.status).toBe(200);
    expect(((await call('GET', '/api/alert-rules')).body as { id: string }[]).map((x) => x.id)).toEqual(['cpu-high', 'memory-high', 'disk-full', 'server-down', 'galera-non-primary', 'galera-not-synced', 'galera-flow-control', 'gluster-brick-offline', 'gluster-heal-stalled', 'gluster-split-brain', 'gluster-brick-full']);
    expect((await call('GET', '/api/alerts')).body).toEqual([]);
    expect(JSON.parse(stateFile())).toMatchObject({ version: 3, alerts: [] });
    expect((await call('POST', '/api/restore', { ...rest, version: 4 })).status).toBe(400);
  });
});
