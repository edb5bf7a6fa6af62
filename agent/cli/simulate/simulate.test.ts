import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchPinnedCa } from '../../node/pin.js';
import { check, validators } from '../../protocol/validate.js';
import { ADMIN_PASSWORD, startTestHub, type TestHub } from '../../hub/test-hub.js';
import { DEFAULT_THRESHOLDS, maxDiskPct, memPct } from '../../hub/live/status.js';
import { main } from '../run.js';
import { fakeIo } from '../test-io.js';
import { startFleet, startsAllowed, simulatedId } from './fleet.js';
import { IdentityFile } from './identities.js';
import { syntheticNode } from './synthetic.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(what: string, fn: () => T | Promise<T>, ms = 15_000): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('syntheticNode', () => {
  it('makes valid, plausible samples and the same machine for the same index', () => {
    for (let i = 0; i < 600; i++) {
      const node = syntheticNode(i, simulatedId('sim-', i));
      expect(check(validators.agentFirstFrame, { v: 1, type: 'hello', serverId: 'x', credential: 'c', agentVersion: 'v', inventory: node.inventory }).ok).toBe(true);
      const sample = node.sample(Date.now() + i * 7919);
      expect(check(validators.agentMessage, { v: 1, type: 'metrics', sample })).toMatchObject({ ok: true });
      // Most nodes stay below the warning thresholds; one in 500 runs hot on purpose.
      if (i % 500 !== 7) {
        expect(sample.cpu).toBeLessThan(DEFAULT_THRESHOLDS.cpuPct);
        expect(memPct(sample)).toBeLessThan(DEFAULT_THRESHOLDS.memPct);
        expect(maxDiskPct(sample)).toBeLessThan(DEFAULT_THRESHOLDS.diskPct);
      }
    }
    expect(syntheticNode(42, 'a').inventory).toEqual(syntheticNode(42, 'a').inventory);
    expect(syntheticNode(42, 'a').inventory).not.toEqual(syntheticNode(43, 'a').inventory);
    expect(simulatedId('sim-', 0)).toBe('sim-00001');
  });
});

describe('IdentityFile', () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'uc-sim-ids-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps many enrollments in few writes, each on disk before it is acknowledged, mode 0600', async () => {
    const file = join(dir, 'state', 'simulate.json');
    const ids = IdentityFile.create(file, 'wss://127.0.0.1:1/agent', 'PEM');
    const onDisk = await Promise.all(Array.from({ length: 300 }, (_, i) => ids.add(`a${i}`, `cred${i}`).then(() => {
      const doc = JSON.parse(readFileSync(file, 'utf8')) as { agents: Record<string, string> };
      return doc.agents[`a${i}`] === `cred${i}`;
    })));
    expect(onDisk.every(Boolean)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const loaded = IdentityFile.load(file)!;
    expect(loaded.size).toBe(300);
    expect(loaded.credential('a299')).toBe('cred299');
    expect(loaded.hub).toBe('wss://127.0.0.1:1/agent');
  });

  it('is absent when there is no file, and refuses a file that is not its own', () => {
    expect(IdentityFile.load(join(dir, 'none.json'))).toBeUndefined();
    writeFileSync(join(dir, 'other.json'), '{"format":"something-else"}');
    expect(() => IdentityFile.load(join(dir, 'other.json'))).toThrow(/not a simulator state file/);
  });
});

describe('the simulated fleet against a real hub', () => {
  let hub: TestHub;
  let dir: string;
  let url: string;
  beforeAll(async () => {
    hub = await startTestHub();
    dir = mkdtempSync(join(tmpdir(), 'uc-sim-'));
    url = `wss://127.0.0.1:${hub.hub.agentPort}/agent`;
  });
  afterAll(async () => {
    await hub?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const connected = async () => (await hub.call<{ agents: { connected: number } }>('GET', '/api/stats')).body.agents.connected;

  it('enrolls once over pinned TLS, streams valid metrics, and says hello on a rerun', async () => {
    const made = await hub.call<{ token: string }>('POST', '/api/join-tokens', { uses: 20 });
    const caPem = await fetchPinnedCa(url, hub.hub.caFingerprint);
    const file = join(dir, 'fleet', 'simulate.json');
    const fleet = startFleet({ agents: 20, url, identities: IdentityFile.create(file, url, caPem), joinToken: made.body.token, connectRate: 1000 });
    await until('20 connected agents', async () => (await connected()) === 20 && fleet.counts().connected === 20);
    const servers = await until('metrics from every agent', async () => {
      const list = (await hub.call<Array<{ id: string; type: string; metrics: unknown }>>('GET', '/api/servers')).body;
      return list.length === 20 && list.every((s) => s.metrics) ? list : null;
    });
    expect(servers.map((s) => s.id).sort()).toEqual(Array.from({ length: 20 }, (_, i) => simulatedId('sim-', i)));
    expect(new Set(servers.map((s) => s.type)).size).toBeGreaterThan(3);
    await fleet.stop();
    expect(fleet.counts()).toMatchObject({ enrolled: 20, enrollsSent: 20, hellosSent: 0, connected: 0 });
    expect(statSync(file).mode & 0o777).toBe(0o600);

    // A rerun: the identities are kept, so every agent says hello; no token is needed.
    const again = startFleet({ agents: 20, url, identities: IdentityFile.load(file)!, connectRate: 1000 });
    await until('20 agents back', async () => (await connected()) === 20 && again.counts().connected === 20);
    await again.stop();
    expect(again.counts()).toMatchObject({ enrollsSent: 0, hellosSent: 20, agentsSaidHello: 20 });
  });

  it('runs as `clusterctl simulate`: makes its own token, reports on stdout, reuses its state', async () => {
    const stateDir = join(dir, 'cli');
    const env = { CLUSTERCTL_HUB: hub.base, CLUSTERCTL_USER: 'admin', CLUSTERCTL_PASSWORD: ADMIN_PASSWORD };
    const io = fakeIo();
    const args = ['simulate', '--agents', '5', '--id-prefix', 'cli-', '--state-dir', stateDir, '--hub-agent-url', url, '--duration', '2'];
    expect(await main(args, env, io)).toBe(0);
    const summary = JSON.parse(io.stdout.join('').trim()) as { enrolled: number; enrollsSent: number; retriesDuePerSecond: object };
    expect(summary).toMatchObject({ enrolled: 5, enrollsSent: 5 });
    expect(io.stderr.join('')).toMatch(/made a join token for 5 agents/);

    // The rerun needs no credentials: every agent has an identity.
    const rerun = fakeIo();
    expect(await main(args, { CLUSTERCTL_HUB: hub.base }, rerun)).toBe(0);
    expect(JSON.parse(rerun.stdout.join('').trim())).toMatchObject({ enrollsSent: 0, hellosSent: 5 });
  });

  it('refuses bad options before anything starts', async () => {
    const io = fakeIo();
    expect(await main(['simulate', '--agents', '0'], {}, io)).toBe(2);
    expect(io.stderr.join('')).toMatch(/--agents must be a whole number from 1 to 100000/);
    const io2 = fakeIo();
    expect(await main(['simulate', '--agents', '3', '--hub-agent-url', 'ws://x:1/agent'], {}, io2)).toBe(2);
    expect(io2.stderr.join('')).toMatch(/must start with wss:\/\//);
    const io3 = fakeIo();
    expect(await main(['simulate', '--agents', '3', '--join-token', 'nope'], {}, io3)).toBe(2);
    expect(io3.stderr.join('')).toMatch(/--join-token is not a join token/);
  });
});

describe('startsAllowed', () => {
  const base = { t0: 0, rate: 100, started: 0, waitingFirst: 0, maxPending: 50, total: 1000 };
  it('starts `rate` a second', () => {
    expect(startsAllowed({ ...base, now: 0 })).toBe(1);
    expect(startsAllowed({ ...base, now: 499, started: 10, waitingFirst: 10 })).toBe(40);
    expect(startsAllowed({ ...base, now: 100_000, started: 990, waitingFirst: 0 })).toBe(10);
  });
  it('waits while maxPending started agents have not been welcomed yet', () => {
    expect(startsAllowed({ ...base, now: 5000, started: 60, waitingFirst: 50 })).toBe(0);
    expect(startsAllowed({ ...base, now: 5000, started: 60, waitingFirst: 45 })).toBe(5);
  });
});
