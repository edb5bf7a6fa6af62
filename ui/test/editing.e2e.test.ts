/**
 * Running the fleet from the diagram, in Chromium against a real hub, a real load-balancer agent
 * and the real HAProxy it starts: draw a connection (Escape cancels), select a line to change its
 * type or delete it (and undo), edit a server, a cluster's panel (rename, describe, remove a
 * member, delete and undo), load-balancer settings through plan and apply to HAProxy serving with
 * a sticky cookie, alert rules, the audit log, a server's inventory and history, and a read-only
 * user who sees none of the editing controls. Each checked through the REST API.
 */
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { type Server as HttpServer, createServer, get as httpGet } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applierPaths } from '../../agent/appliers/paths.js';
import { type Hub, type Proc, freePort, startAgent, startHub, waitFor, deadline } from '../../agent/test/harness.js';
import { canvasData, launchChromium, logIn } from './browser.js';

interface Block { id: string; status: string; x: number; y: number; fx: number; fy: number; hx: number; hy: number }
interface Label { key: string; kind: string; x: number; y: number; w: number; h: number }

const NO_WARNINGS = { WARN_CPU_PCT: '101', WARN_MEM_PCT: '101', WARN_DISK_PCT: '101' };
const lbDir = mkdtempSync(join(tmpdir(), 'uc-lb-e2e-'));
let hub: Hub;
let agent: Proc | undefined;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
const webs: HttpServer[] = [];
let webPort = 0;
const pageErrors: string[] = [];
const viewerAuth = `Basic ${Buffer.from('viewer:viewer-password').toString('base64')}`;

const blocks = () => canvasData<Block[]>(page, 'blocks', []);
const block = async (id: string) => {
  const b = (await blocks()).find((x) => x.id === id);
  if (!b) throw new Error(`${id} is not drawn`);
  return b;
};
/** A canvas pixel in the page, with the canvas scrolled into view first (the panels below may have scrolled it away). */
async function toPage(x: number, y: number) {
  const r = await page.$eval('[data-testid=fleet-canvas]', (c) => { c.scrollIntoView({ block: 'nearest' }); const b = c.getBoundingClientRect(); return { x: b.left, y: b.top }; });
  return { x: r.x + x, y: r.y + y };
}
const text = (sel: string) => page.$eval(sel, (e) => e.textContent ?? '');
const api = (method: string, path: string, body?: unknown) => hub.api(method, path, body);

/** Drags from `from`'s connector handle to `to`'s block (the handle shows while the pointer is on the block). */
async function drawConnection(from: string, to: string) {
  const a = await block(from), b = await block(to);
  const over = await toPage(a.x, a.y);
  await page.mouse.move(over.x, over.y, { steps: 3 });
  const h = await toPage(a.hx, a.hy);
  await page.mouse.move(h.x, h.y, { steps: 3 });
  await page.mouse.down();
  const t = await toPage(b.x, b.y);
  await page.mouse.move((h.x + t.x) / 2, (h.y + t.y) / 2, { steps: 5 });
  await page.mouse.move(t.x, t.y, { steps: 5 });
  await page.mouse.up();
}

/**
 * Clicks the line between two servers where no block hides it (the hover tooltip names the line
 * there); waits until the page draws it (a line the API already has may reach the page later).
 */
async function clickLine(from: string, to: string) {
  await waitFor(`a free spot on the line ${from} → ${to}`, async () => {
    const a = await block(from), b = await block(to);
    for (let f = 0.3; f < 0.75; f += 0.05) {
      const p = await toPage(a.fx + f * (b.fx - a.fx), a.fy + f * (b.fy - a.fy));
      await page.mouse.move(p.x, p.y);
      if (await page.$('[data-testid=tooltip-link]')) { await page.mouse.click(p.x, p.y); return true; }
    }
    return false;
  });
}

/** Sets an input's value as a user would (select all, type). */
async function fill(sel: string, value: string) {
  await page.click(sel, { count: 3 });
  await page.keyboard.press('Backspace');
  if (value) await page.type(sel, value);
}

function through(port: number, headers: Record<string, string> = {}) {
  return new Promise<{ body: string; cookie: string }>((resolve, reject) => {
    httpGet({ host: '127.0.0.1', port, path: '/', agent: false, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => { body += c; }).on('end', () => resolve({ body, cookie: String(res.headers['set-cookie'] ?? '') }));
    }).on('error', reject);
  });
}

beforeAll(async () => {
  hub = await startHub({ env: NO_WARNINGS });
  // Two web servers on the loopback, the same port, as HAProxy backends.
  webPort = await freePort();
  for (const [i, host] of ['127.0.0.1', '127.0.0.2'].entries()) {
    const srv = createServer((_req, res) => res.end(`web${i + 1}\n`));
    await new Promise<void>((r) => srv.listen(webPort, host, r));
    webs.push(srv);
  }
  for (const [id, type, address] of [['web1', 'web', '127.0.0.1'], ['web2', 'web', '127.0.0.2'], ['db1', 'database', '192.0.2.3'], ['cache1', 'cache', '192.0.2.4']] as const) {
    expect((await api('POST', '/api/servers', { id, name: id, type, address, region: 'eu' })).status).toBe(201);
  }
  agent = await startAgent(hub, { id: 'lb1', type: 'loadbalancer', env: { UC_LB_DIR: lbDir } });
  await waitFor('lb1 to report', async () => ['active', 'warning'].includes((await api('GET', '/api/servers/lb1')).body?.status), 30_000);
  expect((await api('POST', '/api/clusters', { name: 'shop', servers: ['lb1', 'web1', 'web2', 'db1'] })).status).toBe(201);
  expect((await api('POST', '/api/alert-rules', { id: 'shop-cpu', name: 'Shop CPU', metric: 'cpu', threshold: 95, forSeconds: 60, actions: [], scope: ['shop'] })).status).toBe(201);
  chromium = await launchChromium();
  page = await chromium.browser.newPage();
  await page.setViewport({ width: 1280, height: 1000 });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('dialog', (d) => { void d.accept(); });
  await logIn(page, hub.url, 'admin', hub.adminPassword);
  await page.waitForFunction(() => document.querySelector<HTMLCanvasElement>('[data-testid=fleet-canvas]')?.dataset['count'] === '5', { timeout: deadline(30_000) });
  const circular = JSON.stringify(await blocks());
  await page.select('[data-testid=layout-select]', 'grid');
  await waitFor('the grid layout', async () => JSON.stringify(await blocks()) !== circular);
}, 120_000);

afterAll(async () => {
  await chromium?.close();
  try {
    const pid = Number(readFileSync(applierPaths({ UC_LB_DIR: lbDir }).haproxy.pidFile, 'utf8').trim());
    if (pid) process.kill(pid, 'SIGTERM');
  } catch { /* HAProxy never started */ }
  await agent?.stop();
  await hub?.stop();
  await Promise.all(webs.map((w) => new Promise((r) => w.close(r))));
  rmSync(lbDir, { recursive: true, force: true });
});

describe('editing on the diagram', () => {
  it("draws a connection from a server's handle, asks its type, and Escape drops it", async () => {
    await drawConnection('web1', 'db1');
    await page.waitForSelector('[data-testid=connect-popover]');
    expect(await text('[data-testid=connect-popover]')).toContain('web1 → db1');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('[data-testid=connect-popover]'));
    expect((await api('GET', '/api/connections')).body).toEqual([]);

    await drawConnection('web1', 'db1');
    await page.waitForSelector('[data-testid=connect-popover]');
    await page.click('[data-testid=connect-popover] button[data-type=database]');
    await waitFor('the connection', async () => (await api('GET', '/api/connections')).body.length === 1);
    expect((await api('GET', '/api/connections')).body).toEqual([expect.objectContaining({ id: 'web1:db1', type: 'database' })]);
    // Let go on empty floor: nothing to connect to, nothing asked.
    const a = await block('cache1');
    await page.mouse.move(...Object.values(await toPage(a.x, a.y)) as [number, number]);
    const h = await toPage(a.hx, a.hy);
    await page.mouse.move(h.x, h.y);
    await page.mouse.down();
    await page.mouse.move(h.x + 5, h.y - 200, { steps: 6 });
    await page.mouse.up();
    expect(await page.$('[data-testid=connect-popover]')).toBeNull();
  });

  it('selects a line by clicking it, changes its type, deletes it and undoes the delete', async () => {
    await clickLine('web1', 'db1');
    await page.waitForSelector('[data-testid=link-panel][data-id="web1:db1"]');
    await page.select('[data-testid=link-type]', 'cache');
    await waitFor('the new type', async () => (await api('GET', '/api/connections')).body[0]?.type === 'cache');
    await page.click('[data-testid=link-delete]');
    await waitFor('the connection deleted', async () => (await api('GET', '/api/connections')).body.length === 0);
    await page.waitForSelector('[data-testid=undo-toast]');
    expect(await text('[data-testid=undo-toast]')).toContain('Deleted connection web1 → db1.');
    await page.click('[data-testid=undo]:not([disabled])');
    await waitFor('the connection restored', async () => (await api('GET', '/api/connections')).body.length === 1);
    expect((await api('GET', '/api/connections')).body[0]).toMatchObject({ id: 'web1:db1', type: 'cache' });
    // Delete with the keyboard once selected.
    await clickLine('web1', 'db1');
    await page.waitForSelector('[data-testid=link-panel]');
    await page.focus('[data-testid=fleet-canvas]');
    await page.keyboard.press('Delete');
    await waitFor('deleted by key', async () => (await api('GET', '/api/connections')).body.length === 0);
    // The hub answers the API before the browser has read its own reply: wait for the toast it shows.
    await page.waitForSelector('[data-testid=undo]:not([disabled])');
    await page.click('[data-testid=undo]');
    await waitFor('restored again', async () => (await api('GET', '/api/connections')).body.length === 1);
  });

  it('edits a server: name, region, labels and the ports its type usually serves', async () => {
    const b = await block('web2');
    const p = await toPage(b.x, b.y);
    await page.mouse.click(p.x, p.y, { button: 'right' });
    await page.waitForSelector('[data-testid=context-menu]');
    expect(await page.$$eval('[data-testid=context-menu] li', (l) => l.map((x) => x.getAttribute('data-action')))).toEqual(['details', 'edit', 'cluster:shop', 'remove', 'fit']);
    await page.click('[data-testid=context-menu] li[data-action=edit]');
    await page.waitForSelector('[data-testid=edit-server-form]');
    expect(await text('[data-testid=edit-id]')).toBe('web2');
    await fill('[data-testid=edit-name]', 'Web two');
    await fill('[data-testid=edit-region]', 'eu-west');
    await fill('[data-testid=edit-labels]', 'tier=gold, bad key');
    await page.click('[data-testid=edit-submit]');
    expect(await text('[data-testid=edit-labels-error]')).toMatch(/not a label name/);
    expect((await api('GET', '/api/servers/web2')).body.name).toBe('web2');
    await fill('[data-testid=edit-labels]', 'tier=gold, zone=a');
    await page.click('[data-testid=edit-port-80]');
    await page.click('[data-testid=edit-port-443]');
    expect(await page.$eval('[data-testid=edit-ports]', (e) => (e as HTMLInputElement).value)).toBe('80, 443');
    await page.click('[data-testid=edit-submit]');
    await waitFor('web2 saved', async () => (await api('GET', '/api/servers/web2')).body.name === 'Web two');
    expect((await api('GET', '/api/servers/web2')).body).toMatchObject({ region: 'eu-west', labels: { tier: 'gold', zone: 'a' }, ports: [80, 443], type: 'web' });
  });

  it("opens a cluster from its name on the diagram: rename (rules follow), describe, remove a member, delete and undo", async () => {
    const label = (await canvasData<Label[]>(page, 'labels', [])).find((l) => l.kind === 'cluster' && l.key === 'shop')!;
    const at = await toPage(label.x + label.w / 2, label.y + label.h / 2);
    await page.mouse.click(at.x, at.y);
    await page.waitForSelector('[data-testid=cluster-panel][data-name=shop]');
    await fill('[data-testid=cluster-rename]', 'store');
    await fill('[data-testid=cluster-description]', 'the web shop');
    await page.click('[data-testid=cluster-save]');
    await page.waitForSelector('[data-testid=cluster-panel][data-name=store]');
    expect((await api('GET', '/api/clusters/store')).body).toMatchObject({ description: 'the web shop', servers: ['lb1', 'web1', 'web2', 'db1'] });
    expect((await api('GET', '/api/alert-rules')).body.find((r: { id: string }) => r.id === 'shop-cpu').scope).toEqual(['store']);
    await page.click('[data-testid=cluster-remove-db1]');
    await waitFor('db1 out of the cluster', async () => !(await api('GET', '/api/clusters/store')).body.servers.includes('db1'));
    expect((await api('GET', '/api/servers/db1')).status).toBe(200);
    await page.click('[data-testid=cluster-delete]');
    await waitFor('store deleted', async () => (await api('GET', '/api/clusters/store')).status === 404);
    await page.waitForSelector('[data-testid=undo-toast]');
    await page.click('[data-testid=undo]');
    await waitFor('store restored', async () => (await api('GET', '/api/clusters/store')).status === 200);
    expect((await api('GET', '/api/clusters/store')).body).toMatchObject({ description: 'the web shop', servers: ['lb1', 'web1', 'web2'] });
  });

  it("sets load balancing in the cluster's panel, then plans and applies it to the real HAProxy", async () => {
    await page.waitForSelector('[data-testid=cluster-table] tr[data-id=store] [data-testid=cluster-open]');
    await page.click('[data-testid=cluster-table] tr[data-id=store] [data-testid=cluster-open]');
    await page.waitForSelector('[data-testid=cluster-panel][data-name=store] [data-testid=lb-settings]');
    expect(await text('[data-testid=lb-backends-lb1]')).toBe('lb1: web1, web2');
    const front = await freePort();
    await fill('[data-testid=lb-frontend-0] input[data-field=address]', '127.0.0.1');
    await fill('[data-testid=lb-frontend-0] input[data-field=port]', '99999');
    await page.click('[data-testid=lb-save]');
    await page.waitForSelector('[data-testid="lb-error-frontends.0.port"]');
    expect((await api('GET', '/api/clusters/store')).body.loadBalancer).toBeUndefined();
    await fill('[data-testid=lb-frontend-0] input[data-field=port]', String(front));
    await fill('[data-testid=lb-serverPort]', String(webPort));
    await page.select('[data-testid=lb-balance]', 'leastconn');
    await page.select('[data-testid=lb-sticky]', 'cookie');
    await fill('[data-testid=lb-checkPath]', '/');
    await fill('[data-testid=lb-checkInterval]', '2');
    await page.click('[data-testid=lb-save-plan]');
    await waitFor('the settings saved', async () => (await api('GET', '/api/clusters/store')).body.loadBalancer?.balance === 'leastconn');
    expect((await api('GET', '/api/clusters/store')).body.loadBalancer).toEqual({
      frontends: [{ name: 'www', port: front, address: '127.0.0.1' }], serverPort: webPort, balance: 'leastconn', sticky: { mode: 'cookie' },
      healthCheck: { path: '/', intervalMs: 2000, fall: 2, rise: 2 },
    });
    // The load-balancing panel plans it: lb1's agent renders and checks haproxy.cfg.
    await page.waitForSelector('[data-testid=plan-node-lb1] [data-testid=plan-diff]', { timeout: deadline(30_000) });
    const diff = await text('[data-testid=plan-node-lb1] [data-testid=plan-diff]');
    for (const line of ['+    balance leastconn', '+    cookie UCSRV insert indirect nocache', `cookie web1 check inter 2s fall 2 rise 2 weight 10`]) expect(diff).toContain(line);
    await page.click('[data-testid=plan-apply]');
    await page.waitForFunction(() => document.querySelector('[data-testid=plan-state]')?.textContent?.startsWith('Plan applied'), { timeout: deadline(60_000) });
    const first = await waitFor('HAProxy serving', async () => { const r = await through(front); return /^web[12]\n$/.test(r.body) ? r : null; }, 30_000);
    const cookie = /UCSRV=(web[12])/.exec(first.cookie)?.[1];
    expect(cookie, first.cookie).toBe(first.body.trim());
    for (let i = 0; i < 4; i++) expect((await through(front, { cookie: `UCSRV=${cookie}` })).body).toBe(`${cookie}\n`);
  });

  it('creates, edits, turns off and deletes an alert rule', async () => {
    await page.click('[data-testid=rule-new]');
    await fill('[data-testid=rule-name]', 'Disk almost full');
    await page.select('[data-testid=rule-metric]', 'disk');
    await fill('[data-testid=rule-threshold]', '150');
    await page.click('[data-testid=rule-save]');
    await page.waitForSelector('[data-testid=rule-error-threshold]');
    await fill('[data-testid=rule-threshold]', '92');
    await fill('[data-testid=rule-for]', '300');
    await page.click('[data-testid=rule-scope-clusters]');
    await page.click('[data-testid=rule-cluster-store]');
    await page.click('[data-testid=rule-add-action]');
    await fill('[data-testid=rule-action-0] input', 'ops@example.com');
    await page.click('[data-testid=rule-save]');
    const made = await waitFor('the rule', async () => (await api('GET', '/api/alert-rules')).body.find((r: { name: string }) => r.name === 'Disk almost full'));
    expect(made).toMatchObject({ metric: 'disk', threshold: 92, forSeconds: 300, enabled: true, scope: ['store'], actions: [{ type: 'email', to: 'ops@example.com' }] });
    const row = `[data-testid=rule-row][data-id="${made.id}"]`;
    await page.waitForSelector(row);
    expect(await text(row)).toContain('Disk (fullest mount) ≥ 92 % for 5m 0s');
    await page.click(`${row} [data-testid=rule-edit]`);
    await fill('[data-testid=rule-threshold]', '95');
    await page.click('[data-testid=rule-save]');
    await waitFor('the new threshold', async () => (await api('GET', `/api/alert-rules`)).body.find((r: { id: string }) => r.id === made.id).threshold === 95);
    await page.click(`${row} [data-testid=rule-toggle]`);
    await waitFor('the rule off', async () => (await api('GET', `/api/alert-rules`)).body.find((r: { id: string }) => r.id === made.id).enabled === false);
    await page.waitForSelector(`${row}[data-enabled=false]`);
    await page.click(`${row} [data-testid=rule-delete]`);
    await waitFor('the rule deleted', async () => !(await api('GET', `/api/alert-rules`)).body.some((r: { id: string }) => r.id === made.id));
  });

  it('reads the audit log: who, what, when and the result, refusals too, filtered by user, cluster and server', async () => {
    const none = { view: true, editServers: false, editConnections: false, editClusters: false, apply: false, scale: false, enroll: false, exportImport: false, scope: '*' };
    expect((await api('POST', '/api/users', { name: 'viewer', password: 'viewer-password', acl: none })).status).toBe(201);
    expect((await hub.api('DELETE', '/api/servers/cache1', undefined, viewerAuth)).status).toBe(403);
    await page.click('[data-testid=audit-refresh]');
    await page.waitForSelector('[data-testid=audit-row][data-action="cluster.rename"]');
    // The panel shows what the hub answers for the filter (its rules are tested with the hub).
    const actions = () => page.$$eval('[data-testid=audit-row]', (r) => r.map((x) => x.getAttribute('data-action')));
    const web2 = ((await api('GET', '/api/audit?server=web2')).body as { action: string }[]).map((e) => e.action);
    expect(web2).toEqual(expect.arrayContaining(['server.update', 'server.create', 'cluster.create']));
    await page.select('[data-testid=audit-server]', 'web2');
    await waitFor('the entries about web2', async () => JSON.stringify(await actions()) === JSON.stringify(web2));
    await page.select('[data-testid=audit-server]', '');
    await page.select('[data-testid=audit-result]', 'denied');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=audit-row]').length === 1);
    expect(await text('[data-testid=audit-row]')).toMatch(/viewer\s*DELETE \/api\/servers\s*\/api\/servers\/cache1\s*denied/);
    await page.select('[data-testid=audit-result]', '');
    await page.select('[data-testid=audit-cluster]', 'store');
    await waitFor('the entries about store', async () => (await actions()).includes('lb.apply'));
    await page.select('[data-testid=audit-cluster]', '');
  });

  it("shows a server's inventory and its history over 15 minutes and 24 hours, with axes", async () => {
    const b = await block('lb1');
    const p = await toPage(b.x, b.y);
    await page.mouse.click(p.x, p.y);
    await page.waitForSelector('[data-testid=server-details][data-id=lb1] [data-testid=inventory]');
    for (const f of ['os', 'kernel', 'cpu', 'memory', 'agent']) expect(await text(`[data-testid=inventory] [data-field=${f}]`), f).not.toBe('');
    expect(await text('[data-testid=inventory] [data-field=cpu]')).toMatch(/\d+ cores?$/);
    expect(await text('[data-testid=inventory] [data-field=memory]')).toMatch(/^[\d.]+ (MB|GB|TB)$/);
    await page.waitForSelector('[data-testid=charts][data-window="15m"]');
    expect(await page.$$eval('[data-testid=sparkline]', (s) => s.map((x) => x.getAttribute('data-series')))).toEqual(['CPU', 'Memory', 'Disk', 'Load', 'Network', 'Disk I/O']);
    expect(await page.$$eval('[data-series=CPU] text[data-axis=y]', (t) => t.map((x) => x.textContent))).toEqual(['0 %', '50 %', '100 %']);
    expect(await page.$$eval('[data-series=CPU] text[data-axis=x]', (t) => t.map((x) => x.textContent))).toEqual(['−15 min', '−10', '−5', 'now']);
    // Every chart has the same time axis: its ticks line up.
    const xs = await page.$$eval('[data-testid=sparkline]', (s) => s.map((f) => [...f.querySelectorAll('text[data-axis=x]')].map((t) => t.getAttribute('x')).join()));
    expect(new Set(xs).size).toBe(1);
    await page.waitForFunction(() => /^M[\d.]+,[\d.]+L/.test(document.querySelector('[data-series=CPU] path.uc-line')?.getAttribute('d') ?? ''), { timeout: deadline(30_000) });
    await page.click('[data-testid=history-24h]');
    await page.waitForSelector('[data-testid=charts][data-window="24h"]');
    expect(await page.$$eval('[data-series=CPU] text[data-axis=x]', (t) => t.map((x) => x.textContent))).toEqual(['−24 h', '−18', '−12', '−6', 'now']);
  });

  it('gives a read-only user the diagram and the logs without any editing control', async () => {
    await page.click('[data-testid=logout]');
    await logIn(page, hub.url, 'viewer', 'viewer-password');
    await page.waitForFunction(() => document.querySelector<HTMLCanvasElement>('[data-testid=fleet-canvas]')?.dataset['count'] === '5', { timeout: deadline(30_000) });
    // Dragging from where the handle would be draws nothing and asks nothing.
    await drawConnection('web2', 'cache1');
    expect(await page.$('[data-testid=connect-popover]')).toBeNull();
    expect((await api('GET', '/api/connections')).body).toHaveLength(1);
    await clickLine('web1', 'db1');
    await page.waitForSelector('[data-testid=link-panel]');
    for (const id of ['link-type', 'link-delete']) expect(await page.$(`[data-testid=${id}]`), id).toBeNull();
    await page.click('[data-testid=cluster-table] tr[data-id=store] [data-testid=cluster-open]');
    await page.waitForSelector('[data-testid=cluster-panel]');
    for (const id of ['cluster-rename', 'cluster-delete', 'cluster-remove-web1', 'lb-save', 'lb-save-plan', 'rule-new', 'rule-edit', 'server-edit']) {
      expect(await page.$(`[data-testid=${id}]`), id).toBeNull();
    }
    expect(await page.$('[data-testid=audit-panel]')).not.toBeNull();
  });

  it('threw no errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
