/**
 * The Scaling and Schedules panels in Debian's Chromium against the real hub and the local Auto
 * Scaling endpoint (its instances here have no agent: this is about the panels). Bind a cluster,
 * save a policy and watch its decision arrive live in the log, get refused for a policy that
 * cannot work, plan a scale-in (dry run) and run it as an operation, run a scheduled job now; and
 * the Scaling panel is only for users with the "scale" permission.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AutoScalingEndpoint } from '../../agent/test/aws-autoscaling-endpoint.js';
import { type Hub, startHub } from '../../agent/test/harness.js';

const CHROMIUM = '/usr/bin/chromium';
const creds = { accessKeyId: 'AKIAUCUITEST00000001', secretAccessKey: 'ui-test-secret-0000000000000000000000000' };
const aws = new AutoScalingEndpoint({ region: 'us-east-1', credentials: [creds] });
let hub: Hub;
let browser: Browser | undefined;
let page: Page;
const profile = mkdtempSync(join(tmpdir(), 'uc-chromium-'));
const shots = mkdtempSync(join(tmpdir(), 'uc-scaling-shots-'));
const pageErrors: string[] = [];

const text = (sel: string) => page.$eval(sel, (e) => e.textContent ?? '');
const until = (what: string, fn: () => boolean | string | null, timeout = 30_000) => page.waitForFunction(fn, { timeout }).catch((e: Error) => { throw new Error(`${what}: ${e.message}`); });

async function logIn(user: string, password: string) {
  await page.goto(hub.url, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=login-form]');
  await page.type('[data-testid=login-username]', user);
  await page.type('[data-testid=login-password]', password);
  await page.click('[data-testid=login-submit]');
  await page.waitForSelector('[data-testid=schedules-panel]');
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run "bash build/test-deps.sh" as root (npm test does)`);
  await aws.start();
  await aws.createGroup({ name: 'web-asg', min: 0, max: 4, desired: 0 });
  hub = await startHub({ env: { UC_AWS_ENDPOINT: aws.url, AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' } });
  expect((await hub.api('POST', '/api/servers', { id: 'web1', name: 'web1', type: 'web', address: '10.0.0.1' })).status).toBe(201);
  expect((await hub.api('POST', '/api/clusters', { name: 'web', servers: ['web1'] })).status).toBe(201);
  browser = await puppeteer.launch({
    executablePath: CHROMIUM, headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`],
  });
  page = await browser.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.setViewport({ width: 1280, height: 1400 });
});

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  await aws.stop();
  rmSync(profile, { recursive: true, force: true });
});

describe('the Scaling and Schedules panels', () => {
  it('binds a cluster (pasted credentials, never shown back), saves a policy and shows its decision live', async () => {
    await logIn('admin', hub.adminPassword);
    await page.waitForSelector('[data-testid=scaling-panel] [data-testid=scaling-bind]');
    await page.type('[data-testid=scaling-binding] input[name=groupName]', 'web-asg');
    await page.click('[data-testid=scaling-binding] input[name=region]', { count: 3 });
    await page.type('[data-testid=scaling-binding] input[name=region]', 'us-east-1');
    await page.type('[data-testid=scaling-binding] input[name=accessKeyId]', creds.accessKeyId);
    await page.type('[data-testid=scaling-binding] input[name=secretAccessKey]', creds.secretAccessKey);
    await page.click('[data-testid=scaling-bind]');
    await page.waitForSelector('[data-testid=scaling-bound]');
    expect(await text('[data-testid=scaling-bound]')).toMatch(/Bound to Auto Scaling group web-asg in us-east-1 \(credentials: stored on the hub\)/);
    expect(await page.content()).not.toContain(creds.secretAccessKey);

    // A policy that cannot work is refused with the reason.
    await page.click('[data-testid=scaling-policy] input[name=min]', { count: 3 });
    await page.type('[data-testid=scaling-policy] input[name=min]', '5');
    await page.click('[data-testid=scaling-save]');
    await until('the refusal', () => /min 5 is greater than max 4/.test(document.querySelector('[data-testid=scaling-note]')?.textContent ?? ''));

    await page.click('[data-testid=scaling-policy] input[name=min]', { count: 3 });
    await page.type('[data-testid=scaling-policy] input[name=min]', '1');
    await page.click('[data-testid=scaling-save]');
    await until('saved', () => document.querySelector('[data-testid=scaling-note]')?.textContent === 'Policy saved.');
    // Below the minimum: the scaler decides at once; the decision streams into the log.
    await until('the decision in the log', () => /scale-out 0 → 1/.test(document.querySelector('[data-testid=scaling-decisions]')?.textContent ?? ''));
    expect(await text('[data-testid=scaling-decisions] tbody tr')).toMatch(/bounds.*scale-out 0 → 1.*done.*desired 0 is below the minimum 1.*desired=0 min=1 max=4/);
    await until('the instance listed', () => (document.querySelector('[data-testid=scaling-instances] tbody')?.children.length ?? 0) === 1, 30_000);
    await (await page.$('[data-testid=scaling-panel]'))!.screenshot({ path: join(shots, 'scaling-panel.png') });
  });

  it('plans a scale-in first, then runs it as an operation whose steps stream in', async () => {
    await page.click('[data-testid=scaling-policy] input[name=min]', { count: 3 });
    await page.type('[data-testid=scaling-policy] input[name=min]', '0');
    await page.click('[data-testid=scaling-policy] input[name=enabled]');
    await page.click('[data-testid=scaling-save]');
    await until('saved', () => document.querySelector('[data-testid=scaling-note]')?.textContent === 'Policy saved.');
    await page.click('[data-testid=scaling-in-plan]');
    await page.waitForSelector('[data-testid=scaling-in-preview] [data-testid=evidence-candidates]');
    expect(await text('[data-testid=scaling-in-preview]')).toMatch(/Scale in web: remove i-[0-9a-f]+ \(dry run\).*chosen/);
    expect(aws.callsOf('TerminateInstanceInAutoScalingGroup', true)).toHaveLength(0);
    await page.click('[data-testid=scaling-in-start]');
    await until('the operation done', () => document.querySelector('.uc-operation[data-kind="scale.in"][data-state="done"]:not([data-testid="operation-dry-run"])') !== null, 60_000);
    expect(aws.callsOf('TerminateInstanceInAutoScalingGroup', true)).toHaveLength(1);
    expect(aws.groups.get('web-asg')!.desired).toBe(0);
    await (await page.$('[data-testid=scaling-panel]'))!.screenshot({ path: join(shots, 'scaling-in.png') });
  });

  it('lists the scheduled jobs and runs one now', async () => {
    await page.waitForSelector('[data-testid=schedule-health-sweep]');
    // The database backup is off until an admin turns it on (and back off: nothing to back up here).
    expect(await text('[data-testid=schedule-database-backup]')).toMatch(/30 3 \* \* \* UTC \(off\), keeps 7/);
    await page.click('[data-testid=schedule-toggle-database-backup]');
    await page.waitForSelector('[data-testid=schedule-database-backup][data-enabled=true]');
    expect((await hub.api('GET', '/api/schedules')).body.find((j: { id: string }) => j.id === 'database-backup').enabled).toBe(true);
    await page.click('[data-testid=schedule-toggle-database-backup]');
    await page.waitForSelector('[data-testid=schedule-database-backup][data-enabled=false]');
    await page.click('[data-testid=schedule-run-health-sweep]');
    await until('the run recorded', () => /^ok .*\(manual\)/.test(document.querySelector('[data-testid=schedule-health-sweep] [data-testid=schedule-last]')?.textContent ?? ''));
    expect(await text('[data-testid=schedule-health-sweep] [data-testid=schedule-last]')).toMatch(/1 server \(0 active/);
    await (await page.$('[data-testid=schedules-panel]'))!.screenshot({ path: join(shots, 'schedules-panel.png') });
  });

  it('shows the Scaling panel only to users with the "scale" permission', async () => {
    const acl = { view: true, editServers: false, editConnections: false, editClusters: false, apply: false, scale: false, enroll: false, exportImport: false, scope: '*' };
    expect((await hub.api('POST', '/api/users', { name: 'viewer', password: 'password-123', acl })).status).toBe(201);
    const ctx = await browser!.createBrowserContext();
    const other = page;
    page = await ctx.newPage();
    try {
      await logIn('viewer', 'password-123');
      expect(await page.$('[data-testid=scaling-panel]')).toBeNull();
      expect(await page.$('[data-testid=schedule-run-health-sweep]')).toBeNull();
    } finally {
      await ctx.close();
      page = other;
    }
    expect(pageErrors).toEqual([]);
  });
});
