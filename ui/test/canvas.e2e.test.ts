/**
 * The fleet canvas in Debian's Chromium against a real hub and a real agent: select, shift-click,
 * lasso, connect, cluster, drag, context menu, zoom, keyboard, theme, export, import, the add
 * form, and a read-only user; each checked through the REST API and, where it shows, the pixels.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Hub, type Proc, startAgent, startHub, waitFor, deadline } from '../../agent/test/harness.js';
import { canvasPixel } from './browser.js';

const CHROMIUM = '/usr/bin/chromium';
const NO_WARNINGS = { WARN_CPU_PCT: '101', WARN_MEM_PCT: '101', WARN_DISK_PCT: '101' };
const SERVERS = [['web1', 'web'], ['db1', 'database'], ['dns1', 'dns'], ['cache1', 'cache'], ['lb1', 'loadbalancer']] as const;
interface Drawn { id: string; status: string; x: number; y: number; lx: number; ly: number; fx: number; fy: number }

let hub: Hub;
let agent: Proc | undefined;
let browser: Browser | undefined;
let page: Page;
const profile = mkdtempSync(join(tmpdir(), 'uc-chromium-'));
const downloads = mkdtempSync(join(tmpdir(), 'uc-downloads-'));
const shots = mkdtempSync(join(tmpdir(), 'uc-canvas-shots-'));
const pageErrors: string[] = [];

const blocks = () => page.$eval('[data-testid=fleet-canvas]', (c) => JSON.parse((c as HTMLCanvasElement).dataset['blocks'] ?? '[]')) as Promise<Drawn[]>;
const block = async (id: string) => {
  const b = (await blocks()).find((x) => x.id === id);
  if (!b) throw new Error(`${id} is not drawn`);
  return b;
};
/** A canvas pixel (CSS coordinates) in the page. */
async function toPage(x: number, y: number) {
  const r = await page.$eval('[data-testid=fleet-canvas]', (c) => { const b = c.getBoundingClientRect(); return { x: b.left, y: b.top }; });
  return { x: r.x + x, y: r.y + y };
}
async function clickBlock(id: string, opts: { shift?: boolean; button?: 'left' | 'right' } = {}) {
  const b = await block(id);
  const p = await toPage(b.x, b.y);
  if (opts.shift) await page.keyboard.down('Shift');
  await page.mouse.click(p.x, p.y, { button: opts.button ?? 'left' });
  if (opts.shift) await page.keyboard.up('Shift');
}
const pixel = (x: number, y: number) => canvasPixel(page, x, y);
const selectionCount = async () => (await page.$('[data-testid=selection-count]')) ? Number(await page.$eval('[data-testid=selection-count]', (e) => e.textContent)) : 0;
const frames = () => page.$eval('[data-testid=fleet-canvas]', (c) => Number((c as HTMLCanvasElement).dataset['frames']));
const settle = async () => { const f = await frames(); await new Promise((r) => setTimeout(r, 150)); return f; };

async function logIn(user: string, password: string) {
  await page.goto(hub.url, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=login-form]');
  await page.type('[data-testid=login-username]', user);
  await page.type('[data-testid=login-password]', password);
  await page.click('[data-testid=login-submit]');
  await page.waitForFunction(() => document.querySelector('[data-testid=link-state]')?.textContent === 'Live', { timeout: deadline(30_000) });
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run "bash build/test-deps.sh" as root (npm test does)`);
  hub = await startHub({ env: NO_WARNINGS });
  for (const [id, type] of SERVERS) expect((await hub.api('POST', '/api/servers', { id, name: id, type, address: '192.0.2.1', region: 'eu' })).status).toBe(201);
  agent = await startAgent(hub, { id: 'live1', type: 'security' });
  browser = await puppeteer.launch({
    executablePath: CHROMIUM, headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`],
  });
  page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  if (process.env.UC_DEBUG) page.on('console', (m) => console.log('PAGE', m.text()));
  const cdp = await page.createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await agent?.stop();
  await hub?.stop();
  for (const d of [profile, downloads]) rmSync(d, { recursive: true, force: true });
  console.log(`canvas e2e screenshots: ${shots}`);
});

describe('the fleet canvas', () => {
  it('draws every server, with the agent-run one lit green', async () => {
    await logIn('admin', hub.adminPassword);
    await page.waitForFunction(() => document.querySelector<HTMLCanvasElement>('[data-testid=fleet-canvas]')?.dataset['count'] === '6', { timeout: deadline(30_000) });
    const live = await waitFor('live1 active', async () => { const b = await block('live1'); return b.status === 'active' ? b : null; }, 20_000);
    const [r, g, b] = await pixel(live.lx, live.ly);
    expect(g > r + 40 && g > b + 30, `rgb(${r},${g},${b}) is not green`).toBe(true);
    // A server no agent reports for is "unknown": grey.
    const db = await block('db1');
    const grey = await pixel(db.lx, db.ly);
    expect(Math.max(...grey) - Math.min(...grey)).toBeLessThan(20);
    await page.screenshot({ path: join(shots, 'fleet.png') });
  });

  it('selects with a click, shows details with sparklines, and adds with shift-click', async () => {
    await clickBlock('live1');
    expect(await selectionCount()).toBe(1);
    await page.waitForSelector('[data-testid=server-details][data-id=live1] [data-testid=sparkline]', { timeout: deadline(30_000) });
    expect(await page.$$eval('[data-testid=sparkline]', (s) => s.map((x) => x.getAttribute('data-series')))).toEqual(['CPU', 'Memory', 'Disk', 'Load', 'Network', 'Disk I/O']);
    // Refreshed every 5 s: a line once the agent has sent two samples (a busy machine delays both).
    await page.waitForFunction(() => /^M[\d.]+,[\d.]+L/.test(document.querySelector('[data-testid=sparkline][data-series=CPU] path.uc-line')?.getAttribute('d') ?? ''), { timeout: deadline(60_000) });
    await clickBlock('db1');
    expect(await selectionCount()).toBe(1);
    await clickBlock('cache1', { shift: true });
    expect(await selectionCount()).toBe(2);
    expect(await page.$$eval('tr[aria-selected=true]', (r) => r.map((x) => x.getAttribute('data-id')).sort())).toEqual(['cache1', 'db1']);
  });

  it('connects the selected servers with the chosen type', async () => {
    await page.select('[data-testid=connect-type]', 'cache');
    await page.click('[data-testid=connect]');
    await waitFor('the connection', async () => ((await hub.api('GET', '/api/connections')).body as { id: string }[]).length === 1);
    expect((await hub.api('GET', '/api/connections')).body).toEqual([expect.objectContaining({ from: 'db1', to: 'cache1', type: 'cache' })]);
    await page.waitForSelector('[data-testid=connection-table] tr[data-id="db1:cache1"]');
    // Hovering the line where blocks do not hide it names it with its status (and latency once probed).
    const [a, b] = [await block('db1'), await block('cache1')];
    let tip = null;
    for (let f = 0.15; f < 0.9 && !tip; f += 0.05) {
      const p = await toPage(a.fx + f * (b.fx - a.fx), a.fy + f * (b.fy - a.fy));
      await page.mouse.move(p.x, p.y);
      tip = await page.$('[data-testid=tooltip-link]');
    }
    expect(tip, 'no tooltip anywhere along the line').not.toBeNull();
    expect(await tip!.evaluate((e) => e.textContent)).toMatch(/^cache · (unknown|connected|disconnected)/);
    expect(await page.$eval('[data-testid=tooltip] b', (e) => e.textContent)).toBe('db1 → cache1');
  });

  it('creates a cluster from the selection, drawn as a labelled floor', async () => {
    await page.type('[data-testid=cluster-name]', 'backend');
    await page.click('[data-testid=make-cluster]');
    await waitFor('the cluster', async () => (await hub.api('GET', '/api/clusters/backend')).status === 200);
    expect((await hub.api('GET', '/api/clusters/backend')).body.servers).toEqual(['db1', 'cache1']);
    await page.waitForSelector('[data-testid=cluster-table] tr[data-id=backend]');
  });

  it('selects everything inside a shift-drag lasso, and clears with Escape', async () => {
    const all = await blocks();
    const xs = all.map((b) => b.x), ys = all.map((b) => b.y);
    const a = await toPage(Math.min(...xs) - 40, Math.min(...ys) - 40);
    const z = await toPage(Math.max(...xs) + 40, Math.max(...ys) + 100);
    await page.keyboard.down('Shift');
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move((a.x + z.x) / 2, (a.y + z.y) / 2, { steps: 4 });
    await page.mouse.move(z.x, z.y, { steps: 4 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    expect(await selectionCount()).toBe(6);
    await page.focus('[data-testid=fleet-canvas]');
    await page.keyboard.press('Escape');
    expect(await selectionCount()).toBe(0);
  });

  it('searches the table by type, cluster and label, and selects the matches on the canvas', async () => {
    await page.type('[data-testid=search]', 'backend');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=server-row]').length === 2);
    expect(await page.$$eval('[data-testid=server-row]', (r) => r.map((x) => x.getAttribute('data-id')))).toEqual(['cache1', 'db1']);
    await page.click('[data-testid=search-select]');
    expect(await selectionCount()).toBe(2);
    await page.click('[data-testid=search]', { count: 3 });
    await page.keyboard.press('Backspace');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=server-row]').length === 6);
    await page.focus('[data-testid=fleet-canvas]');
    await page.keyboard.press('Escape');
  });

  it('drags a server and keeps the position on the hub', async () => {
    const before = await block('dns1');
    const from = await toPage(before.x, before.y);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x + 40, from.y + 20, { steps: 5 });
    await page.mouse.move(from.x + 90, from.y + 45, { steps: 5 });
    await page.mouse.up();
    await waitFor('the layout saved', async () => (await hub.api('GET', '/api/layout')).body.dns1 !== undefined);
    const after = await block('dns1');
    expect(Math.abs(after.x - before.x - 90)).toBeLessThan(3);
    expect(Math.abs(after.y - before.y - 45)).toBeLessThan(3);
    // Reloading draws it where it was left.
    await page.reload({ waitUntil: 'load' });
    await page.waitForFunction(() => document.querySelector<HTMLCanvasElement>('[data-testid=fleet-canvas]')?.dataset['count'] === '6', { timeout: deadline(30_000) });
    const saved = (await hub.api('GET', '/api/layout')).body.dns1;
    expect(saved).toEqual({ x: expect.any(Number), y: expect.any(Number) });
  });

  it('zooms with the wheel, the buttons and the keyboard, and fits back', async () => {
    const span = async () => { const b = await blocks(); const xs = b.map((x) => x.x); return Math.max(...xs) - Math.min(...xs); };
    await settle();
    const fit = await span();
    const c = await block('web1');
    const p = await toPage(c.x, c.y);
    await page.mouse.move(p.x, p.y);
    await page.mouse.wheel({ deltaY: -400 });
    await waitFor('zoomed in', async () => (await span()) > fit * 1.3);
    // A click on the minimap's left edge brings the left of the fleet to the middle of the view.
    const before = await block('web1');
    const mini = (await (await page.$('[data-testid=minimap]'))!.boundingBox())!;
    await page.mouse.click(mini.x + 8, mini.y + mini.height / 2);
    await waitFor('the view moved right', async () => (await block('web1')).x > before.x + 50);
    await page.click('[data-testid=fit]');
    await waitFor('fitted', async () => Math.abs((await span()) - fit) < 2);
    await page.focus('[data-testid=fleet-canvas]');
    await page.keyboard.press('-');
    await waitFor('zoomed out by key', async () => (await span()) < fit * 0.9);
    await page.keyboard.press('f');
    await waitFor('fitted by key', async () => Math.abs((await span()) - fit) < 2);
  });

  it('opens a context menu on a server and removes it from there', async () => {
    await clickBlock('lb1', { button: 'right' });
    await page.waitForSelector('[data-testid=context-menu]');
    const items = await page.$$eval('[data-testid=context-menu] li', (l) => l.map((x) => x.getAttribute('data-action')));
    expect(items).toEqual(['details', 'edit', 'cluster:backend', 'remove', 'fit']);
    page.once('dialog', (d) => { void d.accept(); });
    await page.click('[data-testid=context-menu] li[data-action=remove]');
    await waitFor('lb1 removed', async () => (await hub.api('GET', '/api/servers/lb1')).status === 404);
    await page.waitForFunction(() => document.querySelector<HTMLCanvasElement>('[data-testid=fleet-canvas]')?.dataset['count'] === '5');
  });

  it('switches layouts and themes', async () => {
    const before = JSON.stringify((await blocks()).map((b) => [b.x, b.y]));
    await page.select('[data-testid=layout-select]', 'grid');
    await waitFor('a new layout', async () => JSON.stringify((await blocks()).map((b) => [b.x, b.y])) !== before);
    for (const l of ['region', 'cluster', 'force', 'circular']) {
      await page.select('[data-testid=layout-select]', l);
      await page.waitForFunction(() => document.querySelector<HTMLCanvasElement>('[data-testid=fleet-canvas]')?.dataset['count'] === '5');
    }
    const light = await pixel(3, 3);
    await page.click('[data-testid=theme]');
    await waitFor('a dark background', async () => (await pixel(3, 3)).every((v) => v < 60));
    expect(light.every((v) => v > 200)).toBe(true);
    await page.screenshot({ path: join(shots, 'dark.png') });
    await page.click('[data-testid=theme]');
  });

  it('exports PNG, SVG and JSON', async () => {
    for (const b of ['export-png', 'export-svg', 'export-json']) await page.click(`[data-testid=${b}]`);
    const files = await waitFor('three downloads', () => {
      const f = readdirSync(downloads).filter((x) => !x.endsWith('.crdownload'));
      return f.length === 3 ? f : null;
    }, 15_000);
    const read = (ext: string) => readFileSync(join(downloads, files.find((f) => f.endsWith(ext))!));
    expect(read('.png').subarray(1, 4).toString()).toBe('PNG');
    const svg = read('.svg').toString();
    expect(svg).toMatch(/^<svg xmlns/);
    for (const id of ['web1', 'db1', 'live1']) expect(svg).toContain(`data-id="${id}"`);
    const doc = JSON.parse(read('.json').toString());
    expect(doc.format).toBe('unlimited-cluster');
    expect(doc.servers.map((s: { id: string }) => s.id).sort()).toEqual(['cache1', 'db1', 'dns1', 'live1', 'web1']);
    writeFileSync(join(downloads, 'model.json'), JSON.stringify({ ...doc, servers: [...doc.servers, { id: 'imp1', name: 'imp1', type: 'backup', address: '192.0.2.9', region: 'eu', labels: {}, ports: [] }] }));
    writeFileSync(join(downloads, 'broken.json'), JSON.stringify({ ...doc, servers: [...doc.servers, { id: 'imp2', name: 'imp2', type: 'toaster', address: 'x', region: '', labels: {}, ports: [] }] }));
    writeFileSync(join(downloads, 'other.json'), JSON.stringify({ hello: 'world' }));
  });

  it('imports JSON only after a preview, and all or nothing', async () => {
    await page.click('[data-testid=import-open]');
    const input = (await page.$('[data-testid=import-file]'))! as ElementHandle<HTMLInputElement>;
    await input.uploadFile(join(downloads, 'other.json'));
    await page.waitForSelector('[data-testid=import-error]');
    expect(await page.$eval('[data-testid=import-error]', (e) => e.textContent)).toMatch(/not an Unlimited Cluster export/);

    await input.uploadFile(join(downloads, 'broken.json'));
    await page.waitForSelector('[data-testid=import-preview]');
    await page.click('[data-testid=import-confirm]');
    await page.waitForFunction(() => document.querySelector('[data-testid=import-error]')?.textContent?.startsWith('Nothing was imported'));
    expect((await hub.api('GET', '/api/servers')).body).toHaveLength(5);

    await input.uploadFile(join(downloads, 'model.json'));
    await page.waitForFunction(() => document.querySelector('[data-testid=import-preview]')?.textContent?.includes('1 new, 5 kept, 0 removed'));
    expect((await hub.api('GET', '/api/servers/imp1')).status).toBe(404);
    await page.click('[data-testid=import-confirm]');
    await waitFor('imp1 imported', async () => (await hub.api('GET', '/api/servers/imp1')).status === 200);
    await page.waitForFunction(() => document.querySelector<HTMLCanvasElement>('[data-testid=fleet-canvas]')?.dataset['count'] === '6');
  });

  it('adds a server through the form, explaining mistakes', async () => {
    await page.click('[data-testid=add-open]');
    await page.click('[data-testid=add-submit]');
    expect(await page.$eval('[data-testid=add-id-error]', (e) => e.textContent)).toBe('Give the server an id.');
    await page.type('[data-testid=add-id]', 'web1');
    await page.type('[data-testid=add-name]', 'Web two');
    await page.type('[data-testid=add-address]', 'bad_host!');
    await page.click('[data-testid=add-submit]');
    expect(await page.$eval('[data-testid=add-id-error]', (e) => e.textContent)).toBe('A server with id "web1" already exists.');
    await page.click('[data-testid=add-id]', { count: 3 });
    await page.type('[data-testid=add-id]', 'web2');
    await page.click('[data-testid=add-submit]');
    await page.waitForSelector('[data-testid=add-address-error]');
    expect(await page.$eval('[data-testid=add-address-error]', (e) => e.textContent)).toMatch(/IP address or host name/);
    expect((await hub.api('GET', '/api/servers/web2')).status).toBe(404);
    await page.click('[data-testid=add-address]', { count: 3 });
    await page.type('[data-testid=add-address]', '192.0.2.20');
    await page.select('[data-testid=add-type]', 'monitoring');
    await page.click('[data-testid=add-submit]');
    await waitFor('web2 added', async () => (await hub.api('GET', '/api/servers/web2')).status === 200);
    expect((await hub.api('GET', '/api/servers/web2')).body).toMatchObject({ name: 'Web two', type: 'monitoring', address: '192.0.2.20' });
    await page.waitForFunction(() => document.querySelector<HTMLCanvasElement>('[data-testid=fleet-canvas]')?.dataset['count'] === '7');
    await page.screenshot({ path: join(shots, 'added.png') });
  });

  it('turns a server red on the canvas when its agent stops', async () => {
    await agent!.stop('SIGKILL');
    agent = undefined;
    const b = await waitFor('live1 inactive', async () => { const x = await block('live1'); return x.status === 'inactive' ? x : null; }, 30_000);
    const [r, g, bl] = await pixel(b.lx, b.ly);
    expect(r > g + 60 && r > bl + 60, `rgb(${r},${g},${bl}) is not red`).toBe(true);
  });

  it('gives a read-only user the view without any edit control', async () => {
    const none = { view: true, editServers: false, editConnections: false, editClusters: false, apply: false, scale: false, enroll: false, exportImport: false, scope: '*' };
    expect((await hub.api('POST', '/api/users', { name: 'viewer', password: 'viewer-password', acl: none })).status).toBe(201);
    await page.click('[data-testid=logout]');
    await logIn('viewer', 'viewer-password');
    await page.waitForFunction(() => document.querySelector<HTMLCanvasElement>('[data-testid=fleet-canvas]')?.dataset['count'] === '7', { timeout: deadline(30_000) });
    for (const id of ['add-open', 'import-open', 'export-json']) expect(await page.$(`[data-testid=${id}]`)).toBeNull();
    await clickBlock('db1');
    await clickBlock('web1', { shift: true });
    expect(await selectionCount()).toBe(2);
    for (const id of ['connect', 'make-cluster', 'cluster-name']) expect(await page.$(`[data-testid=${id}]`)).toBeNull();
    await clickBlock('web1', { button: 'right' });
    expect(await page.$$eval('[data-testid=context-menu] li', (l) => l.map((x) => x.getAttribute('data-action')))).toEqual(['details', 'fit']);
    await page.keyboard.press('Escape');
    // Dragging a server pans instead: nothing is saved.
    const layout = (await hub.api('GET', '/api/layout')).body;
    const w = await block('web1');
    const p = await toPage(w.x, w.y);
    await page.mouse.move(p.x, p.y);
    await page.mouse.down();
    await page.mouse.move(p.x + 60, p.y + 30, { steps: 5 });
    await page.mouse.up();
    expect((await hub.api('GET', '/api/layout')).body).toEqual(layout);
  });

  it('threw no errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
