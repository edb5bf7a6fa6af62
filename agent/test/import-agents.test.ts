/**
 * An import keeps agents and the model consistent, on the real built hub with real agents: the
 * agent of a server the import removes loses its credential (disconnected, refused afterwards);
 * the agent of a server that survives the import stays connected, active and counted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Hub, type Proc, startAgent, startHub, waitFor } from './harness.js';

let hub: Hub;
const agents: Proc[] = [];

const reporting = (id: string) => waitFor(`${id} to report`, async () => {
  const r = await hub.api('GET', `/api/servers/${id}`);
  return r.status === 200 && /^(active|warning)$/.test(r.body.status) && r.body.metrics;
});
const credentials = async () => ((await hub.api('GET', '/api/backup')).body.agentCredentials as { serverId: string }[]).map((c) => c.serverId).sort();

beforeAll(async () => {
  hub = await startHub();
  for (const id of ['keep1', 'gone1']) agents.push(await startAgent(hub, { id }));
  await Promise.all(['keep1', 'gone1'].map(reporting));
});
afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  await hub?.stop();
});

describe('an import', () => {
  it('revokes the agents of the servers it removes and keeps the others active and counted', async () => {
    const exported = (await hub.api('GET', '/api/export')).body;
    const without = { ...exported, servers: exported.servers.filter((s: { id: string }) => s.id !== 'gone1') };
    expect((await hub.api('POST', '/api/import', without)).status).toBe(200);
    expect(await credentials()).toEqual(['keep1']);
    await waitFor('gone1\'s agent to be disconnected', () => hub.output().includes("agent 'gone1': credential revoked, disconnecting"));
    await waitFor('gone1\'s reconnection to be refused', () => hub.output().includes("bad credential for 'gone1'"));

    // The agent that survived: active, and counted.
    const t = Date.now();
    await waitFor('keep1 to report after the import', async () => (await hub.api('GET', '/api/servers/keep1')).body.metrics?.ts > t);
    const stats = (await hub.api('GET', '/api/stats')).body;
    expect(stats.agents.connected).toBe(1);
    expect(stats.servers.byStatus.active + stats.servers.byStatus.warning).toBe(1);

    // The whole model back: gone1 returns as a record without an agent; keep1 is unaffected.
    expect((await hub.api('POST', '/api/import', exported)).status).toBe(200);
    expect((await hub.api('GET', '/api/servers/gone1')).body.status).toBe('inactive');
    await reporting('keep1');
    expect((await hub.api('GET', '/api/stats')).body.agents.connected).toBe(1);
    expect(await credentials()).toEqual(['keep1']);
  });

  it('keeps a connected agent active and counted through an import that changes its server\'s record', async () => {
    const exported = (await hub.api('GET', '/api/export')).body;
    // An import that changes keep1's record (a new name) but keeps the server.
    const renamed = { ...exported, servers: exported.servers.map((s: { id: string }) => (s.id === 'keep1' ? { ...s, name: 'Keep One' } : s)) };
    expect((await hub.api('POST', '/api/import', renamed)).status).toBe(200);
    const t = Date.now();
    await waitFor('keep1 to report after the import', async () => (await hub.api('GET', '/api/servers/keep1')).body.metrics?.ts > t);
    const keep1 = (await hub.api('GET', '/api/servers/keep1')).body;
    expect(keep1).toMatchObject({ name: 'Keep One', status: expect.stringMatching(/^(active|warning)$/) });
    expect((await hub.api('GET', '/api/stats')).body.agents.connected).toBe(1);
  });
});
