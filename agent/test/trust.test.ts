/**
 * The agent link's trust rules, attacked on the real hub: join tokens that are used up or
 * revoked, a revoked agent, hostile frames from an authenticated connection (oversize, not
 * JSON, not the schema, a flood), a slow TLS handshake, and jobs through the API. None of it
 * may affect the other agents or the stored state.
 */
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { HANDSHAKE_TIMEOUT_MS } from '../hub/sockets/handshake-limit.js';
import { idFromHostname } from '../node/args.js';
import { type Hub, type Proc, joinToken, startAgent, startHub, waitFor } from './harness.js';

let hub: Hub;
const procs: Proc[] = [];
let alpha: Proc;

beforeAll(async () => {
  hub = await startHub();
  alpha = await startAgent(hub, { id: 'alpha' });
  procs.push(alpha);
  await waitFor('alpha to report', async () => (await hub.api('GET', '/api/servers/alpha')).body?.metrics);
});
afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop()));
  await hub?.stop();
});

const identityOf = (id: string) => JSON.parse(readFileSync(join(hub.dataDir, 'agents', `${id}.json`), 'utf8')) as { serverId: string; credential: string; caPem: string };

/** A raw client speaking the agent protocol with a real identity, to misbehave with it. */
async function rogue(id: string): Promise<{ ws: WebSocket; frames: Record<string, unknown>[]; closed: () => { code: number } | undefined }> {
  const me = identityOf(id);
  const ws = new WebSocket(hub.agentUrl, { ca: me.caPem, checkServerIdentity: (() => undefined) as never });
  const frames: Record<string, unknown>[] = [];
  let closed: { code: number } | undefined;
  ws.on('message', (d) => frames.push(JSON.parse(String(d)) as Record<string, unknown>));
  ws.on('close', (code) => (closed = { code }));
  ws.on('error', () => {});
  await new Promise((r) => ws.once('open', r));
  const inventory = { hostname: id, os: 'x', kernel: 'x', arch: 'x', cpuModel: 'x', cores: 1, memTotal: 1 };
  ws.send(JSON.stringify({ v: 1, type: 'hello', serverId: me.serverId, credential: me.credential, agentVersion: 'rogue', inventory }));
  await waitFor('the welcome', () => frames.some((f) => f['type'] === 'welcome'));
  return { ws, frames, closed: () => closed };
}

const sample = (cpu: number) => ({
  ts: Date.now(), cpu, mem: { total: 100, used: 1, swapTotal: 0, swapUsed: 0 }, disks: [], diskIO: { readBps: 0, writeBps: 0 },
  net: { rxBps: 0, txBps: 0 }, load: [0, 0, 0], uptime: 1, tcp: 0,
});

describe('join tokens', () => {
  it('enroll as many nodes as their uses allow, then no more', async () => {
    const token = await joinToken(hub, { uses: 1, type: 'cache', labels: { tier: 'gold' } });
    const first = await startAgent(hub, { id: 'cache1', token });
    procs.push(first);
    await waitFor('cache1 to report', async () => (await hub.api('GET', '/api/servers/cache1')).body?.metrics);
    expect((await hub.api('GET', '/api/servers/cache1')).body).toMatchObject({ type: 'cache', labels: { tier: 'gold' } });
    const second = await startAgent(hub, { id: 'cache2', token });
    await waitFor('the reused token to be refused', () => /token .* is used up|unknown or revoked token/.test(hub.output()));
    // Retrying cannot help: the agent stops and says what to do.
    await waitFor('cache2 to stop', () => second.proc.exitCode !== null);
    expect(second.proc.exitCode).toBe(3);
    expect(second.output()).toMatch(/stopping: the hub refused the join token .*clusterctl tokens create/);
    expect((await hub.api('GET', '/api/servers/cache2')).status).toBe(404);
  });

  it('stops the second of two cloned machines (same host name) with how to pick an id', async () => {
    const first = await startAgent(hub, { id: 'clone-a', hostnameId: true });
    procs.push(first);
    const name = idFromHostname(hostname());
    await waitFor('the first clone to report', async () => (await hub.api('GET', `/api/servers/${name}`)).body?.metrics);
    const second = await startAgent(hub, { id: 'clone-b', hostnameId: true });
    procs.push(second);
    await waitFor('the second clone to stop', () => second.proc.exitCode !== null);
    expect(second.proc.exitCode).toBe(3);
    expect(second.output()).toMatch(new RegExp(`stopping: the hub refused to enroll this node as '${name}'.*--id NAME`, 's'));
    expect(existsSync(join(hub.dataDir, 'agents', 'clone-b.json'))).toBe(false);
    expect(['active', 'warning']).toContain((await hub.api('GET', `/api/servers/${name}`)).body.status);
    await first.stop();
  });

  it('may enroll the same id again only until its credential has been used (a lost reply)', async () => {
    const token = await joinToken(hub, { uses: 1 });
    const inventory = { hostname: 'lost', os: 'x', kernel: 'x', arch: 'x', cpuModel: 'x', cores: 1, memTotal: 1 };
    const enroll = async () => {
      const ws = new WebSocket(hub.agentUrl, { ca: identityOf('alpha').caPem, checkServerIdentity: (() => undefined) as never });
      const frames: Record<string, unknown>[] = [];
      ws.on('message', (d) => frames.push(JSON.parse(String(d)) as Record<string, unknown>));
      ws.on('error', () => {});
      await new Promise((r) => ws.once('open', r));
      ws.send(JSON.stringify({ v: 1, type: 'enroll', token, serverId: 'lost1', agentVersion: 'x', inventory }));
      await waitFor('an answer', () => frames.some((f) => f['type'] === 'welcome' || f['type'] === 'error'));
      return { ws, frames };
    };
    const credentialOf = async () => ((await hub.api('GET', '/api/backup')).body.agentCredentials as { serverId: string; confirmedAt?: string }[]).find((c) => c.serverId === 'lost1');
    // The reply is "lost": the agent hangs up before sending anything; its one-use token still works.
    const first = await enroll();
    expect(first.frames.map((f) => f['type']).slice(0, 2)).toEqual(['enrolled', 'welcome']);
    first.ws.close();
    const second = await enroll();
    expect(second.frames.map((f) => f['type']).slice(0, 2)).toEqual(['enrolled', 'welcome']);
    expect(second.frames[0]!['credential']).not.toBe(first.frames[0]!['credential']);
    expect((await credentialOf())?.confirmedAt).toBeUndefined();
    // Its first frame confirms the credential; the token can no longer take the id over.
    second.ws.send(JSON.stringify({ v: 1, type: 'metrics', sample: sample(5) }));
    await waitFor('the credential to be confirmed', async () => (await credentialOf())?.confirmedAt);
    second.ws.close();
    const third = await enroll();
    expect(third.frames.at(-1)).toMatchObject({ type: 'error', code: 'conflict' });
  });

  it('can be listed without secrets and revoked', async () => {
    const r = await hub.api('POST', '/api/join-tokens', { expiresInMinutes: 5, uses: 3 });
    expect(r.status).toBe(201);
    expect(r.body.installCommand).toContain(`Authorization: Bearer ${r.body.token}`);
    const list = (await hub.api('GET', '/api/join-tokens')).body as { id: string }[];
    expect(list.find((t) => t.id === r.body.id)).toMatchObject({ usesLeft: 3 });
    expect(JSON.stringify(list)).not.toContain(r.body.token.split('.')[2]);
    expect((await hub.api('DELETE', `/api/join-tokens/${r.body.id}`)).status).toBe(204);
    const late = await startAgent(hub, { id: 'late', token: r.body.token });
    await waitFor('the revoked token to be refused', () => hub.output().includes(`unknown or revoked token ${r.body.id}`));
    await late.stop();
  });

  it('need the enroll permission', async () => {
    const none = { view: true, editServers: true, editConnections: true, editClusters: true, apply: true, scale: true, enroll: false, exportImport: true, scope: '*' };
    expect((await hub.api('POST', '/api/users', { name: 'noenroll', password: 'password-noenroll', acl: none })).status).toBe(201);
    const auth = `Basic ${Buffer.from('noenroll:password-noenroll').toString('base64')}`;
    expect((await hub.api('POST', '/api/join-tokens', {}, auth)).status).toBe(403);
    expect((await hub.api('GET', '/api/join-tokens', undefined, auth)).status).toBe(403);
    expect((await hub.api('DELETE', '/api/agents/alpha', undefined, auth)).status).toBe(403);
  });
});

describe('an authenticated connection that misbehaves', () => {
  it('gets errors for bad frames, is closed for oversize frames and floods, and touches nothing else', async () => {
    const beta = await startAgent(hub, { id: 'beta' });
    await waitFor('beta to report', async () => (await hub.api('GET', '/api/servers/beta')).body?.metrics);
    await beta.stop();

    const r1 = await rogue('beta');
    // Its hello recorded its (different) facts; from here on nothing it does may write.
    const before = readFileSync(join(hub.dataDir, 'state.json'), 'utf8');
    r1.ws.send('{not json');
    r1.ws.send(JSON.stringify({ v: 1, type: 'metrics', sample: { cpu: 'lots' } }));
    r1.ws.send(JSON.stringify({ v: 1, type: 'metrics', serverId: 'alpha', sample: sample(99) }));
    await waitFor('three error frames', () => r1.frames.filter((f) => f['type'] === 'error').length >= 3);
    r1.ws.send(JSON.stringify({ v: 1, type: 'metrics', sample: sample(42) }));
    await waitFor('beta to show the rogue sample', async () => (await hub.api('GET', '/api/servers/beta')).body.metrics?.cpu === 42);
    // Its samples land on its own server only.
    expect((await hub.api('GET', '/api/servers/alpha')).body.metrics.cpu).not.toBe(42);
    r1.ws.send('x'.repeat(200 * 1024));
    await waitFor('the oversize frame to close it', () => r1.closed());
    expect(r1.closed()?.code).toBe(1009); // "message too big"

    const r2 = await rogue('beta');
    for (let i = 0; i < 300; i++) r2.ws.send(JSON.stringify({ v: 1, type: 'metrics', sample: sample(1) }));
    await waitFor('the flood to close it', () => r2.closed());
    expect(hub.output()).toMatch(/agent 'beta': flooding, disconnected/);

    // alpha kept reporting throughout, and nothing was written for any of it.
    const t = Date.now();
    await waitFor('alpha still reporting', async () => (await hub.api('GET', '/api/servers/alpha')).body.metrics.ts > t);
    expect(readFileSync(join(hub.dataDir, 'state.json'), 'utf8')).toBe(before);
  });

  it('drops a client that never finishes its TLS handshake', async () => {
    const port = Number(new URL(hub.agentUrl).port);
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    await new Promise((r) => socket.once('close', r));
    // Closed by the hub's handshake deadline, not sooner (a slow machine only makes it later).
    expect(Date.now() - started).toBeGreaterThanOrEqual(HANDSHAKE_TIMEOUT_MS - 500);
    await waitFor('the hub to log the timeout', () => /agent TLS.*: TLS handshake timeout/.test(hub.output()));
  });
});

describe('revocation and jobs', () => {
  it('runs a job through the API on the agent', async () => {
    const r = await hub.api('POST', '/api/servers/alpha/jobs', { kind: 'inventory' });
    expect(r.status).toBe(200);
    expect(r.body.server.agent.inventory.hostname).toBeTruthy();
    expect((await hub.api('POST', '/api/servers/alpha/jobs', { kind: 'rm -rf' })).status).toBe(400);
  });

  it('disconnects a revoked agent at once and refuses it afterwards', async () => {
    expect((await hub.api('DELETE', '/api/agents/alpha')).status).toBe(204);
    await waitFor('alpha to be inactive', async () => (await hub.api('GET', '/api/servers/alpha')).body.status === 'inactive');
    await waitFor('its reconnection to be refused', () => /bad credential for 'alpha'/.test(hub.output()), 20_000);
    // It stops instead of retrying forever, and says how to enroll again.
    await waitFor('alpha to stop', () => alpha.proc.exitCode !== null);
    expect(alpha.proc.exitCode).toBe(3);
    expect(alpha.output()).toMatch(/stopping: the hub no longer accepts this agent's credential for 'alpha'.*new join token/);
    expect((await hub.api('DELETE', '/api/agents/alpha')).status).toBe(404);
    expect((await hub.api('POST', '/api/servers/alpha/jobs', { kind: 'inventory' })).status).toBe(409);
  });
});
