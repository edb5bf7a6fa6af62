/**
 * The HAProxy applier against the real haproxy, on loopback in a temp dir: start, runtime
 * membership changes, an invalid change refused with nothing on disk touched, a reload that
 * fails rolled back, and a re-apply that does nothing.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { type Server, createServer, get as httpGet, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DesiredBackend, HaproxyDesired } from '../../protocol/types.js';
import { freePort, waitFor } from '../../test/harness.js';
import { applierPaths } from '../paths.js';
import { HaproxyApplier } from './applier.js';
import { haproxyCommand, parseShowProc, parseShowStat } from './socket.js';

const dir = mkdtempSync(join(tmpdir(), 'uc-haproxy-'));
const paths = applierPaths({ UC_LB_DIR: dir }).haproxy;
const applier = new HaproxyApplier(paths);
const backends: Server[] = [];
let ports: number[] = [];
let front = 0;
let alt = 0;

const desired = (names: string[], extra: HaproxyDesired['frontends'] = [], weight = 10): HaproxyDesired => ({
  frontends: [{ name: 'www', address: '127.0.0.1', port: front }, ...extra],
  backends: [{ name: 'web', servers: names.map((n) => ({ name: n, address: '127.0.0.1', port: ports[Number(n.slice(1))]!, weight, state: 'ready' as const })) }],
});

async function planAndApply(d: HaproxyDesired, steps: string[] = []) {
  const plan = await applier.plan('t', d);
  await applier.apply('t', d, plan, (s) => steps.push(s));
  return plan;
}

/** One request on a new connection (never a kept-alive one an old worker still serves): body and Set-Cookie. */
const fresh = (headers: Record<string, string> = {}) => new Promise<{ body: string; cookie: string }>((resolve, reject) => {
  httpGet({ host: '127.0.0.1', port: front, path: '/', agent: false, headers }, (res) => {
    let body = '';
    res.setEncoding('utf8').on('data', (c: string) => { body += c; }).on('end', () => resolve({ body, cookie: String(res.headers['set-cookie'] ?? '') }));
  }).on('error', reject);
});

const servers = async () => parseShowStat(await haproxyCommand(paths.statsSocket, 'show stat')).filter((r) => r.pxname === 'web' && r.svname !== 'BACKEND');

beforeAll(async () => {
  if (!existsSync(paths.bin)) throw new Error(`${paths.bin} is missing: run bash build/test-deps.sh (npm test does)`);
  front = await freePort();
  for (let i = 0; i < 3; i++) {
    const port = await freePort();
    // Backend 1 fails a health check of /health (the last test checks that path).
    const srv = createServer((req, res) => {
      if (i === 1 && req.url === '/health') res.statusCode = 503;
      res.end(`backend ${i}\n`);
    });
    await new Promise<void>((r) => srv.listen(port, '127.0.0.1', r));
    backends.push(srv);
    ports.push(port);
  }
});

afterAll(async () => {
  try {
    const pid = Number(readFileSync(paths.pidFile, 'utf8').trim());
    if (pid) process.kill(pid, 'SIGTERM');
  } catch { /* never started */ }
  await Promise.all(backends.map((b) => new Promise((r) => b.close(r))));
  rmSync(dir, { recursive: true, force: true });
});

describe('HaproxyApplier with the real haproxy', () => {
  it('starts HAProxy from nothing, then changes membership and weight at runtime', async () => {
    const first = await planAndApply(desired(['s0', 's1']));
    expect(first).toMatchObject({ change: 'reload', steps: ['start haproxy (master-worker)'] });
    expect(await (await fetch(`http://127.0.0.1:${front}/`)).text()).toMatch(/^backend [01]\n$/);

    const steps: string[] = [];
    const plan = await planAndApply(desired(['s0', 's2'], [], 20), steps);
    expect(plan.change).toBe('runtime');
    expect(plan.steps).toEqual(['set weight of web/s0 to 20', 'drain web/s1, then remove it', 'add server web/s2 127.0.0.1:' + ports[2] + ' weight 20']
      .sort((a, b) => plan.steps!.indexOf(a) - plan.steps!.indexOf(b)));
    expect(steps.some((s) => s.includes('reload'))).toBe(false);
    expect((await servers()).map((r) => [r.svname, r.weight])).toEqual([['s0', 20], ['s2', 20]]);
    // Written to the file too, so a reload keeps it.
    expect(readFileSync(paths.config, 'utf8')).toMatch(/server s2 127\.0\.0\.1:\d+ check inter 1s fall 2 rise 2 weight 20\n/);
  });

  it('does nothing when the same plan is applied again', async () => {
    const before = statSync(paths.config).mtimeMs;
    const plan = await applier.plan('t', desired(['s0', 's2'], [], 20));
    expect(plan).toMatchObject({ change: 'none', diff: '' });
    const steps: string[] = [];
    await applier.apply('t', desired(['s0', 's2'], [], 20), plan, (s) => steps.push(s));
    expect(steps).toEqual(['haproxy: already as planned, nothing to do']);
    expect(statSync(paths.config).mtimeMs).toBe(before);
  });

  it('refuses a change haproxy -c rejects and leaves the file alone', async () => {
    const before = readFileSync(paths.config, 'utf8');
    const bad = desired(['s0', 's2'], [{ name: 'raw', address: '127.0.0.1', port: await freePort(), mode: 'tcp' }], 20);
    await expect(applier.plan('t', bad)).rejects.toThrow(/haproxy -c refused the new configuration: .*web/);
    expect(readFileSync(paths.config, 'utf8')).toBe(before);
  });

  it('rolls back a reload that fails, and the old worker keeps serving', async () => {
    const before = readFileSync(paths.config, 'utf8');
    // Valid for `haproxy -c`, but this host has no such address to bind.
    const d = desired(['s0', 's2'], [{ name: 'ghost', address: '192.0.2.77', port: 80 }], 20);
    const plan = await applier.plan('t', d);
    expect(plan.change).toBe('reload');
    await expect(applier.apply('t', d, plan, () => {})).rejects.toThrow(/reload failed.*previous file was restored.*192\.0\.2\.77/);
    expect(readFileSync(paths.config, 'utf8')).toBe(before);
    expect(await (await fetch(`http://127.0.0.1:${front}/`)).text()).toMatch(/^backend [02]\n$/);
  });

  it('adds a frontend by a seamless reload', async () => {
    alt = await freePort();
    const steps: string[] = [];
    await planAndApply(desired(['s0', 's2'], [{ name: 'alt', address: '127.0.0.1', port: alt }], 20), steps);
    expect(steps).toContain('haproxy: new worker serving');
    expect(await (await fetch(`http://127.0.0.1:${alt}/`)).text()).toMatch(/^backend [02]\n$/);
  });

  it('routes host names through the frontend\'s map at runtime: routed, disabled, removed, with no reload', async () => {
    // fetch() will not send another Host header: node:http does.
    const get = (host: string) => new Promise<string>((resolve, reject) => {
      request({ host: '127.0.0.1', port: front, path: '/any/path', headers: { host } }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve(`${res.statusCode} ${text.trim()}`));
      }).on('error', reject).end();
    });
    const withRules = (hostRules: { host: string; backend: string }[]): HaproxyDesired => {
      const d = desired(['s0', 's2'], [{ name: 'alt', address: '127.0.0.1', port: alt }], 20);
      return {
        frontends: d.frontends.map((f) => (f.name === 'www' ? { ...f, hostRules } : f)),
        backends: [...d.backends, { name: 'api', servers: [{ name: 's1', address: '127.0.0.1', port: ports[1]!, weight: 10, state: 'ready' }] }],
      };
    };
    // A new backend needs a reload; the first host rule comes with it.
    await planAndApply(withRules([{ host: 'shop.example.com', backend: 'api' }]));
    expect(await get('shop.example.com')).toBe('200 backend 1');
    expect(await get('SHOP.example.com:80')).toBe('200 backend 1');
    expect(await get('other.example.com')).toMatch(/^200 backend [02]$/);
    const reloads = async () => parseShowProc(await haproxyCommand(paths.masterSocket, 'show proc')).masterReloads;
    const before = await reloads();

    const steps: string[] = [];
    const added = await planAndApply(withRules([{ host: 'shop.example.com', backend: 'api' }, { host: 'blog.example.com', backend: 'api' }]), steps);
    expect(added).toMatchObject({ change: 'runtime', steps: ['route blog.example.com to backend api (frontend www)'] });
    expect(added.diff).toContain(`+++ ${join(dir, 'maps', 'www.map')}\n@@ host map @@\n+blog.example.com api\n`);
    expect(await get('blog.example.com')).toBe('200 backend 1');
    expect(steps).toContain('haproxy: route blog.example.com to backend api (frontend www)');

    const disabled = await planAndApply(withRules([{ host: 'shop.example.com', backend: 'uc-disabled' }, { host: 'blog.example.com', backend: 'api' }]));
    expect(disabled.steps).toEqual(['route shop.example.com to backend uc-disabled instead of api (frontend www)']);
    expect(await get('shop.example.com')).toMatch(/^200 <!DOCTYPE html>.*Website disabled/);

    const removed = await planAndApply(withRules([{ host: 'shop.example.com', backend: 'uc-disabled' }]));
    expect(removed.steps).toEqual(['stop routing blog.example.com (frontend www)']);
    expect(await get('blog.example.com')).toMatch(/^200 backend [02]$/);
    expect(await reloads()).toBe(before);
    // The file says what the runtime API did, so a reload keeps it.
    expect(readFileSync(join(dir, 'maps', 'www.map'), 'utf8')).toMatch(/\nshop\.example\.com uc-disabled\n$/);
    expect(await applier.plan('t', withRules([{ host: 'shop.example.com', backend: 'uc-disabled' }]))).toMatchObject({ change: 'none', diff: '' });
  });

  it('routes hundreds of names in one runtime step list, listed briefly in the plan and the progress', async () => {
    const d = desired(['s0', 's2'], [{ name: 'alt', address: '127.0.0.1', port: alt }], 20);
    const hostRules = Array.from({ length: 300 }, (_, i) => ({ host: `site${i}.example.com`, backend: 'uc-disabled' }));
    const many: HaproxyDesired = {
      frontends: d.frontends.map((f) => (f.name === 'www' ? { ...f, hostRules } : f)),
      backends: [...d.backends, { name: 'api', servers: [{ name: 's1', address: '127.0.0.1', port: ports[1]!, weight: 10, state: 'ready' }] }],
    };
    const steps: string[] = [];
    const plan = await planAndApply(many, steps);
    expect(plan.change).toBe('runtime');
    expect(plan.steps).toHaveLength(8);
    expect(plan.steps!.at(-1)).toMatch(/^… and 29\d more host routes$/);
    expect(steps.filter((x) => /host routes/.test(x))).toEqual(['haproxy: changed 301 host routes']);
    expect((await haproxyCommand(paths.statsSocket, `show map ${join(dir, 'maps', 'www.map')}`)).trim().split('\n')).toHaveLength(300);
  });

  it('refuses to apply when a host map changed on disk since the plan', async () => {
    const d = desired(['s0', 's2'], [{ name: 'alt', address: '127.0.0.1', port: alt }], 20);
    const next: HaproxyDesired = { ...d, backends: [...d.backends, { name: 'api', servers: [{ name: 's1', address: '127.0.0.1', port: ports[1]!, weight: 10, state: 'ready' }] }], frontends: d.frontends.map((f) => (f.name === 'www' ? { ...f, hostRules: [{ host: 'late.example.com', backend: 'web' }] } : f)) };
    const plan = await applier.plan('t', next);
    writeFileSync(join(dir, 'maps', 'www.map'), 'edited.example.com web\n');
    await expect(applier.apply('t', next, plan, () => {})).rejects.toThrow(/or its host maps changed since the plan was made: plan again/);
    expect(readFileSync(join(dir, 'maps', 'www.map'), 'utf8')).toBe('edited.example.com web\n');
  });

  /** The web backend with the cluster's balance, stickiness and checks. */
  const withOptions = (d: HaproxyDesired, o: Partial<Pick<DesiredBackend, 'balance' | 'sticky' | 'healthCheck'>>): HaproxyDesired =>
    ({ ...d, backends: d.backends.map((b) => (b.name === 'web' ? { ...b, ...o } : b)) });

  it('balances by least connections, keeps a client on its server by cookie, and checks the health path', async () => {
    const d = withOptions(desired(['s0', 's1', 's2']), { balance: 'leastconn', sticky: { mode: 'cookie' }, healthCheck: { path: '/health', intervalMs: 500, fall: 1, rise: 1 } });
    expect((await planAndApply(d)).change).toBe('reload');
    const cfg = readFileSync(paths.config, 'utf8');
    for (const line of ['    balance leastconn\n', '    cookie UCSRV insert indirect nocache\n', '    option httpchk GET /health\n', `    server s0 127.0.0.1:${ports[0]} cookie s0 check inter 500ms fall 1 rise 1 weight 10\n`]) {
      expect(cfg).toContain(line);
    }
    // Backend 1 answers 503 on /health: HAProxy takes it out.
    await waitFor('s1 down by its health check', async () => (await servers()).find((r) => r.svname === 's1')?.status === 'DOWN', 20_000);
    const first = await fresh();
    const cookie = /UCSRV=(s[02])/.exec(first.cookie);
    expect(cookie, `the first answer sets the sticky cookie (${first.cookie})`).not.toBeNull();
    expect(first.body).toBe(`backend ${cookie![1]!.slice(1)}\n`);
    for (let i = 0; i < 6; i++) expect((await fresh({ cookie: `UCSRV=${cookie![1]}` })).body).toBe(`backend ${cookie![1]!.slice(1)}\n`);
    // Without the cookie, requests spread over the healthy servers only.
    const seen = new Set<string>();
    for (let i = 0; i < 8; i++) seen.add((await fresh()).body);
    expect([...seen].sort()).toEqual(['backend 0\n', 'backend 2\n']);
  });

  it('sticks by client address with consistent hashing, and still adds servers at runtime', async () => {
    const d = (names: string[]): HaproxyDesired => withOptions(desired(names), { balance: 'source', sticky: { mode: 'source' } });
    expect((await planAndApply(d(['s0']))).change).toBe('reload');
    expect(readFileSync(paths.config, 'utf8')).toMatch(/balance source\n {4}hash-type consistent\n {4}stick-table type ip size 200k expire 30m\n {4}stick on src\n/);
    const plan = await planAndApply(d(['s0', 's2']));
    expect(plan).toMatchObject({ change: 'runtime', steps: [`add server web/s2 127.0.0.1:${ports[2]} weight 10`] });
    expect((await servers()).map((r) => r.svname)).toEqual(['s0', 's2']);
    const answers = new Set<string>();
    for (let i = 0; i < 6; i++) answers.add((await fresh()).body);
    expect(answers.size).toBe(1);
  });
});

