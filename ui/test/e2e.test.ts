/**
 * The built UI in Debian's Chromium against the real hub and two real agents: log in through the
 * form, see both servers drawn and listed, watch values change, read block colours off the canvas
 * pixels, see a stopped agent's block turn red, and see the banner when the hub goes away.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Hub, type Proc, requireBuild, startAgent, startHub, waitFor } from '../../agent/test/harness.js';

const CHROMIUM = '/usr/bin/chromium';
const IDS = ['alpha', 'beta'] as const;
/** A busy test machine must not turn servers "warning": these tests are about active vs inactive. */
const NO_WARNINGS = { WARN_CPU_PCT: '101', WARN_MEM_PCT: '101', WARN_DISK_PCT: '101' };

interface DrawnBlock { id: string; status: string; x: number; y: number }
interface CanvasState { draws: number; blocks: DrawnBlock[] }
type Rgb = [number, number, number];

let hub: Hub;
const agents = new Map<string, Proc>();
let browser: Browser | undefined;
let page: Page;
let profile: string;
const shots = mkdtempSync(join(tmpdir(), 'uc-e2e-shots-'));
/** Errors the page threw or logged: a clean run has none. */
const pageErrors: string[] = [];
/** Hub processes this file started itself (the restart at the end). */
const extraHubs: Array<ReturnType<typeof spawn>> = [];

const canvasState = () => page.$eval('[data-testid=fleet-canvas]', (c) => ({
  draws: Number((c as HTMLCanvasElement).dataset['draws'] ?? 0),
  blocks: JSON.parse((c as HTMLCanvasElement).dataset['blocks'] ?? '[]') as DrawnBlock[],
})) as Promise<CanvasState>;

/**
 * The block `id` as drawn now: its status per data-blocks and the pixel at its top-face centre,
 * read in one go so the two describe the same paint.
 */
const blockPixel = (id: string) => page.$eval('[data-testid=fleet-canvas]', (el, id) => {
  const c = el as HTMLCanvasElement;
  const b = (JSON.parse(c.dataset['blocks'] ?? '[]') as DrawnBlock[]).find((x) => x.id === id);
  if (!b) return null;
  const k = c.width / c.clientWidth; // CSS pixels → bitmap pixels
  const d = c.getContext('2d')!.getImageData(Math.round(b.x * k), Math.round(b.y * k), 1, 1).data;
  return { status: b.status, rgb: [d[0], d[1], d[2]] as Rgb };
}, id);

const isGreen = ([r, g, b]: Rgb) => g > r + 40 && g > b + 30;
const isRed = ([r, g, b]: Rgb) => r > g + 60 && r > b + 60;

/** The text of every numeric cell of a server's row, e.g. "3.1 %|41 %|…". */
const rowValues = (id: string) => page.$eval(`tr[data-id="${id}"]`, (tr) =>
  [...tr.querySelectorAll('td[data-col]')].filter((td) => td.getAttribute('data-col') !== 'type' && td.getAttribute('data-col') !== 'status')
    .map((td) => td.textContent).join('|'));

async function screenshot(name: string): Promise<string> {
  const file = join(shots, `${name}.png`);
  await page.screenshot({ path: file as `${string}.png`, fullPage: true });
  return file;
}

async function logIn(password: string) {
  await page.waitForSelector('[data-testid=login-form]');
  await page.click('[data-testid=login-username]', { count: 3 });
  await page.type('[data-testid=login-username]', 'admin');
  await page.click('[data-testid=login-password]', { count: 3 });
  await page.type('[data-testid=login-password]', password);
  await page.click('[data-testid=login-submit]');
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run "bash build/test-deps.sh" as root to install Debian's chromium (npm test does)`);
  }
  // The data dir outlives a hub stop: the last test restarts the hub on it.
  hub = await startHub({ keepDataDir: true, env: NO_WARNINGS });
  for (const id of IDS) agents.set(id, await startAgent(hub, { id, type: id === 'alpha' ? 'web' : 'database' }));
  profile = mkdtempSync(join(tmpdir(), 'uc-chromium-'));
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`],
  });
  page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 860 });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([...agents.values()].map((a) => a.stop()));
  for (const p of extraHubs) p.kill('SIGKILL');
  await hub?.stop();
  if (hub) rmSync(hub.dataDir, { recursive: true, force: true });
  if (profile) rmSync(profile, { recursive: true, force: true });
  console.log(`e2e screenshots: ${shots} (and /tmp/uc-screenshot.png)`);
});

describe('the UI in Chromium', () => {
  it('refuses a wrong password with a clear message, then logs in through the form', async () => {
    await page.goto(hub.url, { waitUntil: 'load' });
    await logIn('not-the-password');
    const error = await page.waitForSelector('[data-testid=login-error]');
    expect(await error!.evaluate((e) => e.textContent)).toBe('Wrong user name or password.');
    await screenshot('login-error');

    await logIn(hub.adminPassword);
    await page.waitForSelector('[data-testid=fleet-canvas]');
    expect(await page.$eval('[data-testid=user-name]', (e) => e.textContent)).toBe('admin');
    await page.waitForFunction(() => document.querySelector('[data-testid=link-state]')?.textContent === 'Live');
  });

  it('draws every server as a block and lists it in the table', async () => {
    await page.waitForFunction((n) => document.querySelector<HTMLCanvasElement>('[data-testid=fleet-canvas]')?.dataset['count'] === String(n),
      { timeout: 20_000 }, IDS.length);
    const { blocks } = await canvasState();
    expect(blocks.map((b) => b.id).sort()).toEqual([...IDS]);
    const size = await page.$eval('[data-testid=fleet-canvas]', (c) => [c.clientWidth, c.clientHeight]);
    for (const b of blocks) {
      expect(b.x).toBeGreaterThan(0);
      expect(b.x).toBeLessThan(size[0]!);
      expect(b.y).toBeGreaterThan(0);
      expect(b.y).toBeLessThan(size[1]!);
    }
    const rows = await page.$$eval('[data-testid=server-row]', (trs) => trs.map((tr) => [tr.getAttribute('data-id'), tr.querySelector('[data-col=type]')?.textContent]));
    expect(rows).toEqual([['alpha', 'web'], ['beta', 'database']]);
    // Real tables: a header cell per column, the server name as each row's header.
    expect(await page.$$eval('[data-testid=server-table] thead th[scope=col]', (t) => t.length)).toBe(9);
  });

  it('shows live values that change without repainting the canvas', async () => {
    await waitFor('metrics for alpha in the table', async () => !(await rowValues('alpha')).includes('—'), 20_000);
    const before = await rowValues('alpha');
    const drawn = await canvasState();
    await waitFor(`alpha's values to change from ${before}`, async () => (await rowValues('alpha')) !== before, 15_000);
    const after = await canvasState();
    // A metrics-only change must not repaint; a status change (say, a CPU spike) may.
    if (JSON.stringify(after.blocks) === JSON.stringify(drawn.blocks)) expect(after.draws).toBe(drawn.draws);
    expect(await page.$eval('tr[data-id=alpha] [data-col=cpu]', (e) => e.textContent)).toMatch(/^\d+(\.\d)? %$/);
    expect(await page.$eval('tr[data-id=alpha] [data-col=uptime]', (e) => e.textContent)).toMatch(/^\d+[dhms]( \d+[hms])?$/);
  });

  it('paints a running server green', async () => {
    // The hub calls a node at ≥ 90 % CPU "warning"; a busy test machine can be there for a while.
    const px = await waitFor('alpha drawn as active', async () => {
      const p = await blockPixel('alpha');
      return p?.status === 'active' ? p : null;
    }, 15_000);
    expect(isGreen(px.rgb), `rgb(${px.rgb.join(',')}) is not green`).toBe(true);
  });

  it('paints a stopped server red', async () => {
    await agents.get('beta')!.stop('SIGKILL');
    const px = await waitFor('beta drawn as inactive', async () => {
      const p = await blockPixel('beta');
      return p?.status === 'inactive' ? p : null;
    }, 20_000);
    expect(isRed(px.rgb), `rgb(${px.rgb.join(',')}) is not red`).toBe(true);
    expect(await page.$eval('tr[data-id=beta] [data-col=status]', (e) => e.textContent)).toBe('Inactive');
    // alpha still runs and stays green beside it.
    const alpha = await blockPixel('alpha');
    if (alpha?.status === 'active') expect(isGreen(alpha.rgb)).toBe(true);
    const file = await screenshot('fleet');
    await page.screenshot({ path: '/tmp/uc-screenshot.png', fullPage: true });
    expect(existsSync(file)).toBe(true);
  });

  it('closes its socket when its root leaves the page, and mount() renders it again from scratch', async () => {
    const cdp = await page.createCDPSession();
    await cdp.send('Network.enable');
    let closed = 0;
    let opened = 0;
    cdp.on('Network.webSocketClosed', () => closed++);
    cdp.on('Network.webSocketCreated', () => opened++);
    // What a pjax navigation in Webmin does to the module's container.
    await page.evaluate(() => document.getElementById('app')!.remove());
    await waitFor('the socket to close', () => closed === 1, 5000);

    // The module's exported mount(), as a Webmin page would call it on its own element. A string,
    // because vitest would rewrite an import() inside a function meant for the page.
    await page.evaluate(`(async () => {
      const { mount } = await import(document.querySelector('script[type=module]').src);
      const el = document.createElement('div');
      el.id = 'app';
      document.body.append(el);
      mount(el);
    })()`);
    await page.waitForFunction(() => document.querySelector('[data-testid=link-state]')?.textContent === 'Live');
    await page.waitForFunction(() => document.querySelector<HTMLCanvasElement>('[data-testid=fleet-canvas]')?.dataset['count'] === '2');
    expect(opened).toBe(1);
    expect(await page.$$eval('.uc-header', (h) => h.length)).toBe(1);
    await cdp.detach();
  });

  it('shows a banner when the hub goes away, retries with a new ticket each time, and recovers', async () => {
    const tickets: number[] = [];
    page.on('request', (r) => { if (r.url().endsWith('/api/ticket')) tickets.push(Date.now()); });
    const port = new URL(hub.url).port;
    const agentPort = new URL(hub.agentUrl).port;
    await hub.stop('SIGKILL');

    const banner = await page.waitForSelector('[data-testid=link-banner]', { timeout: 10_000 });
    expect(await banner!.evaluate((e) => e.textContent)).toContain('Not connected to the hub.');
    expect(await page.$eval('[data-testid=link-state]', (e) => e.textContent)).toBe('Offline');
    // The last values stay on screen while it is down.
    expect(await page.$$eval('[data-testid=server-row]', (r) => r.length)).toBe(2);
    await waitFor('two reconnect attempts', () => tickets.length >= 2, 15_000);
    await screenshot('hub-down');

    // Same data dir and ports: sessions live in memory, so the UI asks for a new login.
    const restarted = spawn(process.execPath, [requireBuild('hub.mjs')], {
      env: { ...process.env, ...NO_WARNINGS, DATA_DIR: hub.dataDir, HUB_PORT: port, AGENT_PORT: agentPort, ADMIN_PASSWORD: hub.adminPassword },
      stdio: 'ignore',
    });
    extraHubs.push(restarted);
    const notice = await page.waitForSelector('[data-testid=login-error]', { timeout: 45_000 });
    expect(await notice!.evaluate((e) => e.textContent)).toBe('Your session has ended. Sign in again.');
    await logIn(hub.adminPassword);
    await page.waitForFunction(() => document.querySelector('[data-testid=link-state]')?.textContent === 'Live', { timeout: 15_000 });
    expect(await page.$('[data-testid=link-banner]')).toBeNull();
    // alpha's agent finds the hub again by itself.
    await waitFor('alpha active again', async () => (await blockPixel('alpha'))?.status === 'active', 40_000);
  }, 120_000);

  it('logs out', async () => {
    await page.click('[data-testid=logout]');
    await page.waitForSelector('[data-testid=login-form]');
    expect(await page.evaluate(async () => (await fetch('api/me')).status)).toBe(401);
  });

  it('threw no errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
