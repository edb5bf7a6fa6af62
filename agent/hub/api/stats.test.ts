/** GET /api/stats follows every change of the model and of the live view, kept or not. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../test-hub.js';

let hub: TestHub;
beforeAll(async () => { hub = await startTestHub(); });
afterAll(async () => { await hub.stop(); });

type Stats = { servers: { total: number; byStatus: Record<string, number> }; agents: { connected: number } };
const stats = async () => (await hub.call<Stats>('GET', '/api/stats')).body;

it('answers the same figures while nothing changed, and new ones after a change of either kind', async () => {
  expect((await hub.call('POST', '/api/servers', { id: 'a', name: 'a', type: 'web', ip: '10.0.0.1' })).status).toBe(201);
  const first = await stats();
  expect(first.servers.total).toBe(1);
  expect(await stats()).toEqual(first);
  expect((await hub.call('POST', '/api/servers', { id: 'b', name: 'b', type: 'web', ip: '10.0.0.2' })).status).toBe(201);
  expect((await stats()).servers.total).toBe(2);
  // A live change (an agent connecting) with the model as it was.
  hub.hub.svc.live.connected('a');
  expect((await stats()).agents.connected).toBe(1);
  hub.hub.svc.live.disconnected('a');
  expect((await stats()).agents.connected).toBe(0);
});
