/**
 * The built UI in Debian's Chromium against the real hub and two real agents: log in through the
 * form, see both servers drawn and listed, watch values change, read block colours off the canvas
 * pixels, see a stopped agent's block turn red, and see the banner when the hub goes away. Then add
 * a node through the "Add a node" panel with a real agent, and check the panel is only for users
 * with the "enroll agents" permission.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Hub, type Proc, requireBuild, startAgent, startHub, waitFor, deadline } from '../../agent/test/harness.js';

const CHROMIUM = '/usr/bin/chromium';
const IDS = ['alpha', 'beta'] as const;
/** A busy test machine must not turn servers "warning": these tests are about active vs inactive. */
const NO_WARNINGS = { WARN_CPU_PCT: '101', WARN_MEM_PCT: '101', WARN_DISK_PCT: '101' };

interface DrawnBlock { id: string; status: string; x: number; y: number; lx: number; ly: number }
interface CanvasState { scenes: number; blocks: DrawnBlock[] }
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
  scenes: Number((c as HTMLCanvasElement).dataset['scenes'] ?? 0),
  blocks: JSON.parse((c as HTMLCanvasElement).dataset['blocks'] ?? '[]') as DrawnBlock[],
})) as Promise<CanvasState>;

/**
 * The block `id` as drawn now: its status per data-blocks and the pixel of its status-lit plate,
 * read in one go so the two describe the same paint.
 */
const blockPixel = (id: string) => page.$eval('[data-testid=fleet-canvas]', (el, id) => {
  const c = el as HTMLCanvasElement;
  const b = (JSON.parse(c.dataset['blocks'] ?? '[]') as DrawnBlock[]).find((x) => x.id === id);
  if (!b) return null;
  const k = c.width / c.clientWidth; // CSS pixels → bitmap pixels
  const d = c.getContext('2d')!.getImageData(Math.round(b.lx * k), Math.round(b.ly * k), 1, 1).data;
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

async function logIn(password: string, user = 'admin') {
  await page.waitForSelector('[data-testid=login-form]');
  await page.click('[data-testid=login-username]', { count: 3 });
  await page.type('[data-testid=login-username]', user);
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
      { timeout: deadline(30_000) }, IDS.length);
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

  it('shows live values that change without rebuilding the scene', async () => {
    await waitFor('metrics for alpha in the table', async () => !(await rowValues('alpha')).includes('—'), 20_000);
    const before = await rowValues('alpha');
    const drawn = await canvasState();
    await waitFor(`alpha's values to change from ${before}`, async () => (await rowValues('alpha')) !== before, 15_000);
    const after = await canvasState();
    // Metrics and statuses are patched into the scene; only a change of servers, positions,
    // connections or clusters builds a new one.
    expect(after.scenes).toBe(drawn.scenes);
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

    const banner = await page.waitForSelector('[data-testid=link-banner]', { timeout: deadline(30_000) });
    expect(await banner!.evaluate((e) => e.textContent)).toContain('Not connected to the hub.');
    expect(await page.$eval('[data-testid=link-state]', (e) => e.textContent)).toBe('Offline');
    // The last values stay on screen while it is down.
    expect(await page.$$eval('[data-testid=server-row]', (r) => r.length)).toBe(2);
    await waitFor('two reconnect attempts', () => tickets.length >= 2, 15_000);
    await screenshot('hub-down');

    // Same data dir and ports: the session survives the restart, so the UI reconnects by itself.
    const restarted = spawn(process.execPath, [requireBuild('hub.mjs')], {
      env: { ...process.env, ...NO_WARNINGS, DATA_DIR: hub.dataDir, HUB_PORT: port, AGENT_PORT: agentPort, ADMIN_PASSWORD: hub.adminPassword },
      stdio: 'ignore',
    });
    extraHubs.push(restarted);
    await page.waitForFunction(() => document.querySelector('[data-testid=link-state]')?.textContent === 'Live', { timeout: deadline(45_000) });
    expect(await page.$('[data-testid=link-banner]')).toBeNull();
    expect(await page.$('[data-testid=login-form]')).toBeNull();
    // alpha's agent finds the hub again by itself.
    await waitFor('alpha active again', async () => (await blockPixel('alpha'))?.status === 'active', 40_000);
  }, 120_000);

  it('logs out', async () => {
    await page.click('[data-testid=logout]');
    await page.waitForSelector('[data-testid=login-form]');
    expect(await page.evaluate(async () => (await fetch('api/me')).status)).toBe(401);
  });

  it('adds a node from the "Add a node" panel: the install command enrolls a real agent as the chosen type', async () => {
    await logIn(hub.adminPassword);
    await page.waitForFunction(() => document.querySelector('[data-testid=link-state]')?.textContent === 'Live', { timeout: deadline(30_000) });
    const panel = await page.waitForSelector('[data-testid=join-panel]');
    await panel!.scrollIntoView();

    // A mistake in the form is explained, and nothing is sent.
    await page.type('[data-testid=join-labels]', 'oops');
    await page.click('[data-testid=join-create]');
    expect(await page.$eval('[data-testid=join-error]', (e) => e.textContent)).toBe('Label "oops" is not name=value.');
    expect((await hub.api('GET', '/api/join-tokens')).body).toEqual([]);

    await page.click('[data-testid=join-labels]', { count: 3 });
    await page.type('[data-testid=join-labels]', 'zone=a, tier=edge');
    await page.select('[data-testid=join-type]', 'cache');
    await page.click('[data-testid=join-create]');
    await page.waitForSelector('[data-testid=join-command]');
    expect(await page.$('[data-testid=join-error]')).toBeNull();
    const command = await page.$eval('[data-testid=join-command]', (e) => (e as HTMLTextAreaElement).value);
    const joinUrl = hub.agentUrl.replace(/^wss:/, 'https:').replace(/\/agent$/, '/join');
    expect(command).toMatch(new RegExp(`^curl -sS --pinnedpubkey 'sha256//[A-Za-z0-9+/=]{44}' -k -H 'Authorization: Bearer uc1\\.\\S+' '${joinUrl}' \\| sh$`));
    // This hub's agent port is on loopback: the panel says the command works on no other node.
    expect(await page.$eval('[data-testid=join-warning]', (e) => e.textContent)).toMatch(/agent address is 127\.0\.0\.1, which only this machine reaches/);
    expect(await page.$eval('[data-testid=join-command]', (e) => (e as HTMLTextAreaElement).readOnly)).toBe(true);
    expect(await page.$eval('[data-testid=join-once]', (e) => e.textContent)).toMatch(/^Shown only once: .* works for 1 node until .+ \(in (1 h|59 min)\)\./);
    const token = /Bearer (uc1\.[^']+)'/.exec(command)![1]!;
    const id = token.split('.')[1]!;

    // The live list shows it (and never the secret) with what the node becomes.
    const row = `[data-testid=join-token-row][data-id="${id}"]`;
    await page.waitForSelector(row);
    expect(await page.$eval(row, (tr) => [...tr.querySelectorAll('[data-col]')].map((c) => c.textContent)))
      .toEqual([id, 'admin', expect.stringMatching(/^in (1 h|59 min)$/), '1', 'cache', '—', 'zone=a, tier=edge']);
    expect(await page.$eval('[data-testid=join-tokens]', (t) => t.textContent)).not.toContain(token.split('.')[2]);

    // Copy puts the whole command on the clipboard.
    await page.browserContext().setPermission(new URL(hub.url).origin,
      { permission: { name: 'clipboard-read' }, state: 'granted' }, { permission: { name: 'clipboard-write' }, state: 'granted' });
    await page.click('[data-testid=join-copy]');
    await page.waitForFunction(() => document.querySelector('[data-testid=join-copy-status]')?.textContent === 'Copied to the clipboard.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(command);
    await page.screenshot({ path: '/tmp/uc-join-panel.png', fullPage: true });
    await panel!.screenshot({ path: join(shots, 'join-panel.png') as `${string}.png` });

    agents.set('gamma', await startAgent(hub, { id: 'gamma', token }));
    await page.waitForFunction(() => document.querySelector('tr[data-id=gamma] [data-col=type]')?.textContent === 'cache', { timeout: deadline(30_000) });
    expect((await hub.api('GET', '/api/servers/gamma')).body.labels).toEqual({ zone: 'a', tier: 'edge' });
    // Its one use is spent: the list drops it without a reload.
    await page.waitForFunction((sel) => !document.querySelector(sel), { timeout: deadline(30_000) }, row);
  }, 90_000);

  it('copies by selecting the command when the clipboard cannot be used', async () => {
    await page.evaluate(() => {
      Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true });
      document.execCommand = () => false;
    });
    await page.click('[data-testid=join-copy]');
    await page.waitForFunction(() => document.querySelector('[data-testid=join-copy-status]')?.textContent?.startsWith('Selected: press Ctrl+C'));
    const selected = await page.$eval('[data-testid=join-command]', (e) => {
      const t = e as HTMLTextAreaElement;
      return document.activeElement === t && t.value.slice(t.selectionStart, t.selectionEnd) === t.value;
    });
    expect(selected).toBe(true);
  });

  it('revokes a token from the list only after the confirmation', async () => {
    await page.reload({ waitUntil: 'load' });
    await page.waitForSelector('[data-testid=join-panel]');
    await page.click('[data-testid=join-uses]', { count: 3 });
    await page.type('[data-testid=join-uses]', '3');
    await page.click('[data-testid=join-create]');
    await page.waitForSelector('[data-testid=join-token-row]');
    const id = await page.$eval('[data-testid=join-token-row]', (tr) => tr.getAttribute('data-id'));
    expect(await page.$eval('[data-testid=join-token-row] [data-col=uses]', (e) => e.textContent)).toBe('3');
    const questions: string[] = [];

    page.once('dialog', (d) => { questions.push(d.message()); void d.dismiss(); });
    await page.click(`[aria-label="Revoke join token ${id}"]`);
    await waitFor('the confirmation', () => questions.length === 1);
    expect(questions[0]).toMatch(new RegExp(`^Revoke join token ${id}\\?`));
    expect(((await hub.api('GET', '/api/join-tokens')).body as { id: string }[]).map((t) => t.id)).toEqual([id]);

    page.once('dialog', (d) => { void d.accept(); });
    await page.click(`[aria-label="Revoke join token ${id}"]`);
    await page.waitForFunction(() => !document.querySelector('[data-testid=join-token-row]'));
    expect(await page.$eval('[data-testid=join-token-count]', (e) => e.textContent)).toBe('0');
    expect((await hub.api('GET', '/api/join-tokens')).body).toEqual([]);

    // Revoked meanwhile by someone else: the hub's reason is shown, and the list catches up.
    await page.click('[data-testid=join-create]');
    const gone = await (await page.waitForSelector('[data-testid=join-token-row]'))!.evaluate((tr) => tr.getAttribute('data-id'));
    expect((await hub.api('DELETE', `/api/join-tokens/${gone}`)).status).toBe(204);
    page.once('dialog', (d) => { void d.accept(); });
    await page.click(`[aria-label="Revoke join token ${gone}"]`);
    const error = await page.waitForSelector('[data-testid=join-list-error]');
    expect(await error!.evaluate((e) => e.textContent)).toBe(`Join token ${gone} was not revoked: no join token '${gone}'`);
    await (await page.$('[data-testid=join-panel]'))!.screenshot({ path: join(shots, 'join-revoke-error.png') as `${string}.png` });
    await page.waitForFunction(() => !document.querySelector('[data-testid=join-token-row]'));
  });

  it('shows the panel only to users with the "enroll agents" permission', async () => {
    const acl = { view: true, editServers: true, editConnections: true, editClusters: true, apply: true, scale: true, enroll: false, exportImport: true, scope: '*' };
    expect((await hub.api('POST', '/api/users', { name: 'operator', password: 'operator-password', acl })).status).toBe(201);
    await page.click('[data-testid=logout]');
    await logIn('operator-password', 'operator');
    await page.waitForFunction(() => document.querySelector('[data-testid=user-name]')?.textContent === 'operator');
    await page.waitForSelector('tr[data-id=gamma]');
    expect(await page.$('[data-testid=join-panel]')).toBeNull();
    expect(await page.evaluate(async () => (await fetch('api/join-tokens')).status)).toBe(403);
    await page.click('[data-testid=logout]');
    await page.waitForSelector('[data-testid=login-form]');
  });

  it('threw no errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
