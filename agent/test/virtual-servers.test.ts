/**
 * Virtual servers on a web cluster, end to end with the real HAProxy: the load-balancing test bed
 * (two load balancers with agents, three web servers, a client node, all in network namespaces)
 * with the cluster's frontend defaulting to a "parked" backend (web3), so a request for a domain
 * shows whether its host rule routes it to the cluster's `web` backend (web1, web2). Every change
 * goes through the hub's REST API under a bounded load with the domain's Host header, which must
 * see 0 failed requests, and must never reload HAProxy.
 *
 * Here no cluster has the Galera or Gluster role: a placement naming one is refused with a clear
 * error and changes nothing. Databases and files on real clusters: virtual-servers-full.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, logIn } from '../../ui/test/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haproxyCommand, parseShowProc } from '../appliers/haproxy/socket.js';
import { waitFor, deadline } from './harness.js';
import { LbTestbed, type LoadResult } from './lb-testbed.js';

// A busy test machine must not paint the load balancers "warning" on the diagram this test looks at.
const bed = new LbTestbed({ WARN_CPU_PCT: '101', WARN_MEM_PCT: '101', WARN_DISK_PCT: '101' });
const lbUrls = () => ['lb1', 'lb2'].map((n) => `http://${bed.net.node(n).address}/`);
const vip = { address: bed.vip, interface: 'eth0', routerId: 42, advertInt: 0.2 };
const lbSettings = { frontends: [{ name: 'www', port: 80, backend: 'parked' }], backends: [{ name: 'parked', servers: ['web3'] }], vip };
/** HAProxy's reload count on each load balancer (a host-rule change must never reload). */
const reloads = async () => Promise.all(['lb1', 'lb2'].map(async (lb) => parseShowProc(await haproxyCommand(join(bed.lbDir(lb), 'haproxy-master.sock'), 'show proc')).masterReloads));
/** Every load balancer answers `host` with a body matching `want`. */
const answers = async (host: string, want: RegExp) => {
  for (const url of lbUrls()) expect(await bed.request('client', url, host), `${host} via ${url}`).toMatch(want);
};
const WEB = /^200 web[12]$/;
const PARKED = '200 web3';
const DISABLED = /^200 <!DOCTYPE html>.*Website disabled/;
const served = (r: LoadResult, body: RegExp) => lbUrls().every((u) => Object.keys(r.seen).some((k) => k.startsWith(`${u} `) && body.test(k.slice(u.length + 1))));
const noFailures = (r: LoadResult) => {
  expect(r.errors).toEqual([]);
  expect(r.failed).toBe(0);
  expect(r.ok).toBeGreaterThan(100);
};
const audit = () => JSON.parse(readFileSync(join(bed.hub.dataDir, 'state.json'), 'utf8')).audit as { user: string; action: string; target: string; detail?: string }[];

beforeAll(async () => {
  await bed.up();
  await bed.patchLb(lbSettings);
  await bed.planAndApply();
}, 180_000);

let chromium: Awaited<ReturnType<typeof launchChromium>> | undefined;

afterAll(async () => {
  await chromium?.close();
  await bed.down();
}, 60_000);

describe('virtual servers on a web cluster with the real HAProxy', () => {
  it('routes a new domain and its alias to the cluster\'s web servers, live, under load, with 0 failed requests and no reload', async () => {
    await answers('shop.example.com', new RegExp(`^${PARKED}$`));
    const before = await reloads();
    const load = bed.startLoad(lbUrls(), { host: 'shop.example.com' });
    for (const url of lbUrls()) await load.firstSeen(url, 'web3');
    const made = await bed.hub.api('POST', '/api/virtual-servers', { id: '101', domain: 'shop.example.com', aliases: ['www.shop.example.com'], web: 'shop' });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({ id: '101', domain: 'shop.example.com', state: 'active', createdBy: 'admin', web: { cluster: 'shop', status: 'ready' } });
    for (const url of lbUrls()) await load.firstSeen(url, /^web[12]$/);
    const result = await load.stop();
    noFailures(result);
    await answers('shop.example.com', WEB);
    await answers('www.shop.example.com', WEB);
    await answers('SHOP.example.com:80', WEB);
    await answers('other.example.com', new RegExp(`^${PARKED}$`));
    expect(await reloads()).toEqual(before);
    // On disk for the next reload, and listed for everyone who may see the cluster.
    expect(readFileSync(join(bed.lbDir('lb2'), 'maps', 'www.map'), 'utf8')).toMatch(/\nshop\.example\.com web\nwww\.shop\.example\.com web\n$/);
    expect((await bed.hub.api('GET', '/api/virtual-servers?cluster=shop')).body.map((v: { domain: string }) => v.domain)).toEqual(['shop.example.com']);
    expect((await bed.hub.api('GET', '/api/virtual-servers?host=www.shop.example.com')).body.map((v: { id: string }) => v.id)).toEqual(['101']);
    // The audit log has the setup and the apply (with the map diff).
    const entries = audit();
    expect(entries.filter((a) => a.action.startsWith('virtual-server.')).map((a) => `${a.action} ${a.target}`)).toEqual([
      'virtual-server.create shop.example.com (id 101)', 'virtual-server.web shop.example.com (id 101)',
    ]);
    expect(entries.filter((a) => a.action === 'lb.apply').at(-1)).toMatchObject({ user: 'admin', detail: expect.stringContaining('+shop.example.com web') });
  });

  it('disables, enables, renames and deletes it as Virtualmin\'s web feature does, under load, with 0 failed requests and no reload', async () => {
    const before = await reloads();
    const load = bed.startLoad(lbUrls(), { host: 'shop.example.com' });
    for (const url of lbUrls()) await load.firstSeen(url, /^web[12]$/);

    expect((await bed.hub.api('PATCH', '/api/virtual-servers/101', { state: 'disabled' })).status).toBe(200);
    await answers('shop.example.com', DISABLED);
    await answers('www.shop.example.com', DISABLED);
    expect(await bed.request('client', `${lbUrls()[0]}some/page.php?x=1`, 'shop.example.com')).toMatch(DISABLED);
    for (const url of lbUrls()) await load.firstSeen(url, /Website disabled/);

    expect((await bed.hub.api('PATCH', '/api/virtual-servers/101', { state: 'active' })).body).toMatchObject({ state: 'active', web: { status: 'ready' } });
    await answers('shop.example.com', WEB);

    const renamed = await bed.hub.api('PATCH', '/api/virtual-servers/101', { domain: 'store.example.com', aliases: ['www.store.example.com'] });
    expect(renamed.body).toMatchObject({ id: '101', domain: 'store.example.com', aliases: ['www.store.example.com'] });
    await answers('store.example.com', WEB);
    await answers('www.store.example.com', WEB);
    await answers('shop.example.com', new RegExp(`^${PARKED}$`));

    expect((await bed.hub.api('DELETE', '/api/virtual-servers/101')).status).toBe(204);
    await answers('store.example.com', new RegExp(`^${PARKED}$`));
    const result = await load.stop();
    noFailures(result);
    // The load (Host: shop.example.com) saw the site, the disabled page and, after the rename, the parked backend.
    expect(served(result, /^web[12]$/) && served(result, /Website disabled/) && served(result, /^web3$/)).toBe(true);
    expect(await reloads()).toEqual(before);
    expect((await bed.hub.api('GET', '/api/virtual-servers')).body).toEqual([]);
    expect(audit().filter((a) => a.action.startsWith('virtual-server.')).slice(2).map((a) => a.action)).toEqual([
      'virtual-server.update', 'virtual-server.update', 'virtual-server.update', 'virtual-server.web', 'virtual-server.delete',
    ]);
  });

  it('lets only users with the apply permission and the cluster in scope place a domain', async () => {
    const mk = async (name: string, acl: Record<string, unknown>) => {
      expect((await bed.hub.api('POST', '/api/users', { name, password: 'password-123', acl })).status).toBe(201);
      return `Basic ${Buffer.from(`${name}:password-123`).toString('base64')}`;
    };
    const flags = { view: true, editServers: false, editConnections: false, editClusters: false, scale: false, enroll: false, exportImport: false };
    const viewer = await mk('viewer', { ...flags, apply: false, scope: '*' });
    const other = await mk('other', { ...flags, apply: true, scope: ['elsewhere'] });
    const body = { domain: 'blog.example.com', web: 'shop' };
    expect((await bed.hub.api('POST', '/api/virtual-servers', body, viewer)).status).toBe(403);
    const out = await bed.hub.api('POST', '/api/virtual-servers', body, other);
    expect([out.status, out.body.error.message]).toEqual([404, "no cluster named 'shop'"]);
    expect((await bed.hub.api('POST', '/api/virtual-servers/check', { web: 'shop' }, other)).status).toBe(404);
    await answers('blog.example.com', new RegExp(`^${PARKED}$`));
  });

  it('refuses a database cluster without the Galera role or a volume no Gluster cluster has, and changes nothing', async () => {
    const db = await bed.hub.api('POST', '/api/virtual-servers/check', { web: 'shop', database: 'shop' });
    expect([db.status, db.body.error]).toEqual([400, { code: 'no_galera_role', message: "cluster 'shop' has no Galera role" }]);
    const files = await bed.hub.api('POST', '/api/virtual-servers/check', { web: 'shop', files: { volume: 'files-eu', mountPath: '/srv/www' } });
    expect([files.status, files.body.error.code]).toEqual([400, 'no_gluster_volume']);
    expect(files.body.error.message).toMatch(/volume 'files-eu'/);
    const made = await bed.hub.api('POST', '/api/virtual-servers', { domain: 'blog.example.com', web: 'shop', database: { cluster: 'shop', name: 'blog', user: 'blog', password: 'pw-not-kept-1' } });
    expect([made.status, made.body.error.code]).toEqual([400, 'no_galera_role']);
    expect((await bed.hub.api('GET', '/api/virtual-servers')).body).toEqual([]);
    expect(readFileSync(join(bed.hub.dataDir, 'state.json'), 'utf8')).not.toContain('pw-not-kept-1');
    const ok = await bed.hub.api('POST', '/api/virtual-servers/check', { web: 'shop' });
    expect(ok.body).toEqual({ ok: true, web: { cluster: 'shop', frontends: ['www'], webServers: ['web1', 'web2'] }, warnings: [] });
  });

  it('refuses to place a domain on a cluster with unapplied changes, naming them, and leaves HAProxy alone', async () => {
    const cfg = readFileSync(join(bed.lbDir('lb1'), 'haproxy.cfg'), 'utf8');
    await bed.patchLb({ ...lbSettings, frontends: [...lbSettings.frontends, { name: 'alt', port: 8080 }] });
    const r = await bed.hub.api('POST', '/api/virtual-servers', { domain: 'blog.example.com', web: 'shop' });
    expect(r.status).toBe(502);
    expect(r.body.error.message).toMatch(/^web \(host rules on cluster shop\) failed: cluster 'shop' has load-balancing changes that are not applied yet \(lb1: haproxy reload, lb2: haproxy reload\).*the virtual server was not set up$/);
    expect(readFileSync(join(bed.lbDir('lb1'), 'haproxy.cfg'), 'utf8')).toBe(cfg);
    expect((await bed.hub.api('GET', '/api/virtual-servers')).body).toEqual([]);
    await bed.patchLb(lbSettings);
    // A cluster that serves a domain keeps it: no delete, no dropping its http frontend.
    expect((await bed.hub.api('POST', '/api/virtual-servers', { id: '102', domain: 'blog.example.com', web: 'shop' })).status).toBe(201);
    expect((await bed.hub.api('DELETE', '/api/clusters/shop')).body.error.message).toMatch(/serves 1 virtual server \(blog\.example\.com\): remove them first/);
    expect((await bed.hub.api('PATCH', '/api/clusters/shop', { loadBalancer: null })).status).toBe(409);
    await answers('blog.example.com', WEB);
  });

  it('shows on the diagram which virtual servers a cluster serves: a count on its floor, a list per cluster, a search by domain', async () => {
    expect((await bed.hub.api('POST', '/api/virtual-servers', { id: '103', domain: 'news.example.com', aliases: ['www.news.example.com'], web: 'shop', disabled: true })).status).toBe(201);
    chromium = await launchChromium();
    const page = await chromium.browser.newPage();
    await page.setViewport({ width: 1280, height: 1500 });
    await logIn(page, bed.hub.url, 'admin', bed.hub.adminPassword);
    await page.waitForSelector('[data-testid=vs-panel]');
    type Mark = { kind: string; id: string; text: string; tone: string; x: number; y: number };
    const floor = async () => (JSON.parse(await page.$eval('[data-testid=fleet-canvas]', (c) => (c as HTMLCanvasElement).dataset['marks'] ?? '[]')) as Mark[]).filter((m) => m.kind === 'virtual-servers');
    const pixel = (x: number, y: number) => page.$eval('[data-testid=fleet-canvas]', (el, x, y) => {
      const c = el as HTMLCanvasElement;
      const k = c.width / c.clientWidth;
      return [...c.getContext('2d')!.getImageData(Math.round(x * k), Math.round(y * k), 1, 1).data.slice(0, 3)];
    }, x, y);
    await waitFor('the count on the shop cluster\'s floor', async () => (await floor()).map((m) => `${m.id} ${m.text} ${m.tone}`).join() === 'shop 2 virtual servers idle', 20_000);
    const rows = () => page.$$eval('[data-testid=vs-cluster-shop] [data-testid=vs-row]', (trs) => trs.map((tr) => tr.textContent ?? ''));
    expect(await rows()).toEqual([
      'blog.example.com—webactiveadmin', 'news.example.comwww.news.example.comwebdisabledadmin',
    ]);
    // A new domain shows up live.
    expect((await bed.hub.api('POST', '/api/virtual-servers', { id: '104', domain: 'shop.example.com', aliases: ['www.shop.example.com'], web: 'shop' })).status).toBe(201);
    await waitFor('the count to follow', async () => (await floor())[0]?.text === '3 virtual servers', 20_000);
    expect((await rows()).length).toBe(3);

    // Search by domain (an alias finds it too): pick it, its cluster lights up and its servers are selected.
    await page.type('[data-testid=vs-search]', 'www.news');
    await page.waitForFunction(() => document.querySelector('[data-testid=vs-hits]')?.textContent?.startsWith('news.example.com on shop · disabled'), { timeout: deadline(30_000) });
    await page.click('[data-testid=vs-hits] button');
    await waitFor('the searched cluster\'s floor badge to turn blue', async () => (await floor())[0]?.tone === 'busy', 10_000);
    const [badge] = await floor();
    const [r, g, b] = await pixel(badge!.x, badge!.y - 6);
    expect(b! > r! + 100 && b! > g! + 40).toBe(true);
    expect(await page.$eval('[data-testid=selection-count]', (e) => e.textContent)).toBe('4');
    expect(await page.$eval('[data-testid=vs-focus]', (e) => e.textContent)).toBe('news.example.com: on shop, selected on the diagram.');
    await page.click('[data-testid=vs-clear]');
    await waitFor('the badge back to grey', async () => (await floor())[0]?.tone === 'idle', 10_000);
  });
});
