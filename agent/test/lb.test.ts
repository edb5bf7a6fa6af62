/**
 * Load balancing end to end with the real daemons: two load balancers in network namespaces
 * (agents, HAProxy, Keepalived), three web servers, a client node running a bounded load that
 * counts every failed request, and the hub on the host. Plans and applies go through the REST API.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, deadline } from './harness.js';
import { LbTestbed } from './lb-testbed.js';

const bed = new LbTestbed();
const lbUrls = () => ['lb1', 'lb2'].map((n) => `http://${bed.net.node(n).address}/`);
const served = (r: { seen: Record<string, number> }, url: string, backend: string) => (r.seen[`${url} ${backend}`] ?? 0) > 0;
const cfg = (lb: string) => readFileSync(join(bed.lbDir(lb), 'haproxy.cfg'), 'utf8');
const holders = async () => (await bed.hub.api('GET', '/api/clusters/shop/lb-status')).body.vipHolders as string[];

// The browser of the UI test stays open for the failover test, which watches the diagram.
const CHROMIUM = '/usr/bin/chromium';
const profile = mkdtempSync(join(tmpdir(), 'uc-chromium-'));
let browser: Browser | undefined;
let page: Page;
interface Mark { kind: string; id?: string; from?: string; to?: string; text: string; tone: string; line?: string; x: number; y: number }
/** The marks the canvas drew over the diagram in its last frame. */
const marks = () => page.$eval('[data-testid=fleet-canvas]', (c) => JSON.parse((c as HTMLCanvasElement).dataset['marks'] ?? '[]')) as Promise<Mark[]>;
const vipMark = async () => (await marks()).filter((m) => m.kind === 'vip');
/** A canvas pixel (CSS coordinates). */
const pixel = (x: number, y: number) => page.$eval('[data-testid=fleet-canvas]', (el, x, y) => {
  const c = el as HTMLCanvasElement;
  const k = c.width / c.clientWidth;
  return [...c.getContext('2d')!.getImageData(Math.round(x * k), Math.round(y * k), 1, 1).data.slice(0, 3)];
}, x, y);
/** The badges' purple (TONES.vip), green (TONES.ok) and blue (TONES.busy), a few pixels above the text in their middle. */
const isPurple = ([r, g, b]: number[]) => b! > g! + 80 && r! > g! + 40;
const isGreen = ([r, g, b]: number[]) => g! > r! + 40 && g! > b! + 40;
const isBlue = ([r, g, b]: number[]) => b! > r! + 100 && b! > g! + 40;
const shot = async (name: string) => (await page.$('[data-testid=fleet-canvas]'))!.screenshot({ path: join(tmpdir(), name) });

beforeAll(async () => {
  await bed.up();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  rmSync(profile, { recursive: true, force: true });
  await bed.down();
}, 60_000);

describe('load balancing with HAProxy and Keepalived in namespaces', () => {
  it('plans the first configuration as a diff per node and applies it: HAProxy and Keepalived start', async () => {
    const plan = await bed.plan();
    expect(plan.state).toBe('planned');
    expect(plan.nodes.map((n: { serverId: string }) => n.serverId)).toEqual(['lb1', 'lb2']);
    const [hx, ka] = plan.nodes[0].files;
    expect(hx).toMatchObject({ applier: 'haproxy', change: 'reload', steps: ['start haproxy (master-worker)'] });
    expect(hx.diff).toMatch(/^\+ {4}server web1 \S+:80 check inter 1s fall 2 rise 2 weight 10$/m);
    expect(ka).toMatchObject({ applier: 'keepalived', change: 'reload' });
    expect(ka.diff).toContain(`+        ${bed.vip}/32 dev eth0`);

    const done = await bed.apply(plan.id);
    expect(done.state).toBe('applied');
    expect(done.nodes[0].steps).toContain('haproxy: verified: every server and host rule is live as planned');
    for (const url of [...lbUrls(), `http://${bed.vip}/`]) expect(await bed.curl('client', url)).toMatch(/^web[12]$/);
    // One of them takes the VIP (the first to start: no preemption, so it stays there).
    await waitFor('one load balancer to hold the VIP', async () => (await holders()).length === 1, 15_000);

    // Re-planning the same state finds nothing to do.
    const again = await bed.plan();
    expect(again.nodes.flatMap((n: { files: { change: string }[] }) => n.files.map((f) => f.change))).toEqual(['none', 'none', 'none', 'none']);
  });

  it('adds, reweights, drains and removes a backend server at runtime under load with 0 failed requests', async () => {
    const load = bed.startLoad(lbUrls());
    // Drawing http connections from both load balancers to web3 plans adding it.
    for (const lb of ['lb1', 'lb2']) expect((await bed.hub.api('POST', '/api/connections', { from: lb, to: 'web3', type: 'http' })).status).toBe(201);
    const add = await bed.planAndApply();
    expect(add.nodes[0].files[0]).toMatchObject({ change: 'runtime', steps: [expect.stringMatching(/^add server web\/web3 /)] });
    expect(add.nodes[0].steps.join('\n')).not.toMatch(/reload/);
    await bed.patchLb({ frontends: [{ name: 'www', port: 80 }], vip: { address: bed.vip, interface: 'eth0', routerId: 42, advertInt: 0.2 }, servers: { web1: { weight: 30 }, web2: { state: 'drain' } } });
    const weights = await bed.planAndApply();
    expect(weights.nodes[0].files[0].steps).toEqual(['set weight of web/web1 to 30', 'drain web/web2 (weight 0)']);
    for (const lb of ['lb1', 'lb2']) expect((await bed.hub.api('DELETE', '/api/connections', { from: lb, to: 'web3' })).status).toBe(204);
    const remove = await bed.planAndApply();
    expect(remove.nodes[0].files[0].steps).toEqual(['drain web/web3, then remove it']);
    const result = await load.stop();
    expect(result.errors).toEqual([]);
    expect(result.failed).toBe(0);
    expect(result.ok).toBeGreaterThan(100);
    for (const url of lbUrls()) expect(served(result, url, 'web3')).toBe(true);
    expect(cfg('lb1')).toMatch(/server web1 \S+ check inter 1s fall 2 rise 2 weight 30\n/);
    expect(cfg('lb1')).not.toContain('web3');
    // Live server states reach the hub.
    await waitFor('live server states', async () => {
      const s = (await bed.hub.api('GET', '/api/clusters/shop/lb-status')).body;
      const lb1 = s.nodes.find((n: { serverId: string }) => n.serverId === 'lb1');
      return lb1.servers.map((x: { server: string; weight: number }) => `${x.server}:${x.weight}`).join() === 'web1:30,web2:0';
    });
  });

  it('adds a frontend by a seamless reload under load with 0 failed requests', async () => {
    const load = bed.startLoad(lbUrls());
    await bed.patchLb({ frontends: [{ name: 'www', port: 80 }, { name: 'alt', port: 8080 }], vip: { address: bed.vip, interface: 'eth0', routerId: 42, advertInt: 0.2 }, servers: { web1: { weight: 30 } } });
    const done = await bed.planAndApply();
    expect(done.nodes[0].files[0].change).toBe('reload');
    expect(done.nodes[0].steps).toContain('haproxy: new worker serving');
    const result = await load.stop();
    expect(result.errors).toEqual([]);
    expect(result.failed).toBe(0);
    expect(await bed.curl('client', `http://${bed.net.node('lb2').address}:8080/`)).toMatch(/^web[12]$/);
  });

  it('refuses an invalid change at plan time and rolls back a reload that fails; nothing else changes', async () => {
    const before = cfg('lb1');
    await bed.patchLb({ frontends: [{ name: 'www', port: 80 }, { name: 'raw', port: 9000, mode: 'tcp' }] });
    const invalid = await bed.plan();
    expect(invalid.state).toBe('invalid');
    expect(invalid.nodes[0].error).toMatch(/haproxy -c refused .*incompatible tcp backend 'web'/);
    expect((await bed.hub.api('POST', `/api/plans/${invalid.id}/apply`)).status).toBe(409);
    expect(cfg('lb1')).toBe(before);

    await bed.patchLb({ frontends: [{ name: 'www', port: 80 }, { name: 'alt', port: 8080 }, { name: 'ghost', address: '192.0.2.9', port: 80 }], vip: { address: bed.vip, interface: 'eth0', routerId: 42, advertInt: 0.2 }, servers: { web1: { weight: 30 } } });
    const plan = await bed.plan();
    expect(plan.state).toBe('planned');
    const failed = await bed.apply(plan.id);
    expect(failed.state).toBe('failed');
    expect(failed.nodes[0].error).toMatch(/reload failed.*previous file was restored.*192\.0\.2\.9/);
    expect(cfg('lb1')).toBe(before);
    expect(await bed.curl('client', `http://${bed.net.node('lb1').address}/`)).toMatch(/^web[12]$/);
    // The audit log keeps who applied what, with the diff.
    const audit = JSON.parse(readFileSync(join(bed.hub.dataDir, 'state.json'), 'utf8')).audit as { user: string; action: string; detail?: string }[];
    expect(audit.filter((a) => a.action.startsWith('lb.apply')).map((a) => a.action)).toEqual(['lb.apply', 'lb.apply', 'lb.apply', 'lb.apply', 'lb.apply', 'lb.apply-failed']);
    expect(audit.at(-1)).toMatchObject({ user: 'admin', detail: expect.stringContaining('+frontend ghost') });
  });

  it('lets only users with the apply permission and the cluster in scope plan and apply', async () => {
    const mk = async (name: string, acl: Record<string, unknown>) => {
      const r = await bed.hub.api('POST', '/api/users', { name, password: 'password-123', acl });
      expect(r.status).toBe(201);
      return `Basic ${Buffer.from(`${name}:password-123`).toString('base64')}`;
    };
    const flags = { view: true, editServers: false, editConnections: false, editClusters: false, scale: false, enroll: false, exportImport: false };
    const viewer = await mk('viewer', { ...flags, apply: false, scope: '*' });
    const other = await mk('other', { ...flags, apply: true, scope: ['elsewhere'] });
    expect((await bed.hub.api('POST', '/api/clusters/shop/plans', undefined, viewer)).status).toBe(403);
    expect((await bed.hub.api('POST', '/api/clusters/shop/plans', undefined, other)).status).toBe(404);
    const plan = await bed.plan();
    expect((await bed.hub.api('POST', `/api/plans/${plan.id}/apply`, undefined, viewer)).status).toBe(403);
    expect((await bed.hub.api('POST', `/api/plans/${plan.id}/apply`, undefined, other)).status).toBe(404);
  });

  it('plans and applies from the UI: the diff per node, Apply, and each node\'s progress in the panel and on the diagram', async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run "bash build/test-deps.sh" as root (npm test does)`);
    await bed.patchLb({ frontends: [{ name: 'www', port: 80 }, { name: 'alt', port: 8080 }], vip: { address: bed.vip, interface: 'eth0', routerId: 42, advertInt: 0.2 }, servers: { web1: { weight: 40 } } });
    // A drawn http line to a server that already is a backend (web1 is in the cluster) plans nothing more.
    expect((await bed.hub.api('POST', '/api/connections', { from: 'lb1', to: 'web1', type: 'http' })).status).toBe(201);
    browser = await puppeteer.launch({
      executablePath: CHROMIUM, headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`],
    });
    page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 1400 });
    await page.goto(bed.hub.url, { waitUntil: 'load' });
    await page.waitForSelector('[data-testid=login-form]');
    await page.type('[data-testid=login-username]', 'admin');
    await page.type('[data-testid=login-password]', bed.hub.adminPassword);
    await page.click('[data-testid=login-submit]');
    await page.waitForSelector('[data-testid=plan-make]');
    await page.click('[data-testid=plan-make]');
    await page.waitForSelector('[data-testid=plan-node-lb2] [data-testid=plan-diff]');
    const diff = await page.$eval('[data-testid=plan-node-lb1] [data-testid=plan-diff]', (e) => e.textContent ?? '');
    expect(diff).toMatch(/\+ {4}server web1 \S+ check inter 1s fall 2 rise 2 weight 40/);
    expect(diff).not.toMatch(/web3/);
    // lb2's agent is paused: lb1 goes through its steps to "applied" while lb2 shows "applying".
    const agent2 = bed.agentPids.get('lb2')!;
    expect(readFileSync(`/proc/${agent2}/cmdline`, 'utf8')).toContain('agent.mjs');
    const applyMarks = async () => (await marks()).filter((m) => m.kind === 'apply').map((m) => `${m.id} ${m.tone} ${m.text}`).sort().join();
    process.kill(agent2, 'SIGSTOP');
    try {
      await page.click('[data-testid=plan-apply]');
      await waitFor('lb1 applied and lb2 applying on the diagram', async () => (await applyMarks()) === 'lb1 ok ✓ applied,lb2 busy applying…', 20_000);
      expect(await page.$eval('[data-testid=plan-state]', (e) => e.textContent)).toBe('Plan applying');
      const busy = (await marks()).find((m) => m.kind === 'apply' && m.id === 'lb2')!;
      expect(isBlue(await pixel(busy.x, busy.y - 6))).toBe(true);
      await shot('uc-lb-applying.png');
    } finally {
      process.kill(agent2, 'SIGCONT');
    }
    await page.waitForFunction(() => document.querySelector('[data-testid=plan-state]')?.textContent?.startsWith('Plan applied'), { timeout: deadline(30_000) });
    const steps = await page.$eval('[data-testid=plan-node-lb2] [data-testid=plan-steps]', (e) => e.textContent ?? '');
    expect(steps).toContain('set weight of web/web1 to 40');
    await waitFor('both applied on the diagram', async () => (await applyMarks()) === 'lb1 ok ✓ applied,lb2 ok ✓ applied', 10_000);
    const applied = (await marks()).find((m) => m.kind === 'apply' && m.id === 'lb2')!;
    expect(isGreen(await pixel(applied.x, applied.y - 6))).toBe(true);

    // Live status streams in: the VIP holder and the servers as HAProxy sees them, in the panel…
    const [holder] = await holders();
    await page.waitForFunction((want) => document.querySelector('[data-testid=lb-vip]')?.textContent === want, { timeout: deadline(30_000) }, `VIP ${bed.vip} held by ${holder}`);
    await page.waitForFunction(() => /web\/web1 UP w40/.test(document.querySelector('[data-testid=lb-servers-lb1]')?.textContent ?? ''), { timeout: deadline(30_000) });
    // …and on the diagram: a purple VIP badge over the holder's block only,
    await waitFor('the VIP badge on the holder', async () => (await vipMark()).map((m) => `${m.id} ${m.text}`).join() === `${holder} VIP ${bed.vip}`, 15_000);
    const [badge] = await vipMark();
    expect(isPurple(await pixel(badge!.x, badge!.y - 6))).toBe(true);
    // each load balancer's view of each backend server on the line to it: the drawn line lb1 → web1,
    // a dashed one where the server is a backend by cluster membership only (lb1 → web2).
    const links = (await marks()).filter((m) => m.kind === 'link').map((m) => `${m.from}>${m.to} ${m.text} ${m.tone} ${m.line}`).sort();
    expect(links).toEqual(['lb1>web1 UP ok drawn', 'lb1>web2 UP ok implicit', 'lb2>web1 UP ok implicit', 'lb2>web2 UP ok implicit']);
    const line = (await marks()).find((m) => m.kind === 'link' && m.from === 'lb1' && m.to === 'web1')!;
    expect(isGreen(await pixel(line.x, line.y - 6))).toBe(true);
    // and in the line's tooltip (the canvas scrolled into view first: Apply is further down the page).
    await page.$eval('[data-testid=fleet-canvas]', (c) => c.scrollIntoView());
    const box = await page.$eval('[data-testid=fleet-canvas]', (c) => { const b = c.getBoundingClientRect(); return { x: b.left, y: b.top }; });
    await page.mouse.move(box.x + line.x, box.y + line.y);
    await page.waitForSelector('[data-testid=tooltip-backend]', { timeout: deadline(30_000) });
    expect(await page.$eval('[data-testid=tooltip]', (e) => e.textContent)).toContain('lb1: web/web1 UP · weight 40');
    await page.mouse.move(box.x + 2, box.y + 2);
    await page.screenshot({ path: join(tmpdir(), 'uc-lb-plan.png'), fullPage: true });
    expect(cfg('lb2')).toMatch(/server web1 \S+ check inter 1s fall 2 rise 2 weight 40\n/);
  });

  it('moves the VIP to the other load balancer when its holder dies, and the hub says so', async () => {
    const [holder] = await holders();
    const other = holder === 'lb1' ? 'lb2' : 'lb1';
    expect(holder).toMatch(/^lb[12]$/);
    if (!page) throw new Error('the UI test did not open the browser');
    const [before] = await vipMark();
    expect(before?.id).toBe(holder);
    const pid = bed.readPid(join(bed.lbDir(holder!), 'keepalived.pid'));
    expect(pid).toBeTruthy();
    process.kill(pid!, 'SIGKILL');
    // A killed keepalived leaves its VIP behind (DAEMONS.md): take the dead node's link down too.
    bed.net.nsIp(bed.net.node(holder!).ns, 'link', 'set', 'eth0', 'down');
    await waitFor(`${other} to hold the VIP`, async () => (await holders()).join() === other, 30_000);
    expect(await bed.curl('client', `http://${bed.vip}/`)).toMatch(/^web[12]$/);
    // The diagram moves the badge to the new holder (the dead one's reports have gone stale).
    await waitFor(`the VIP badge on ${other}`, async () => (await vipMark()).map((m) => `${m.id} ${m.text}`).join() === `${other} VIP ${bed.vip}`, 30_000);
    const [after] = await vipMark();
    expect(isPurple(await pixel(after!.x, after!.y - 6))).toBe(true);
    expect(isPurple(await pixel(before!.x, before!.y - 6))).toBe(false);
    // The dead node's view of its backends is no longer shown; the live one's is.
    expect((await marks()).filter((m) => m.kind === 'link').every((m) => m.from === other)).toBe(true);
    await shot('uc-lb-failover.png');
  });
});
