/** The Galera executor's preconditions, with the service's state and live status in hand. */
import { describe, expect, it } from 'vitest';
import type { GaleraNodeStatus, OperationStep, State } from '../../protocol/types.js';
import { emptyState } from '../empty-state.js';
import type { StepContext } from '../operations/runner.js';
import { galeraExecutor } from './executor.js';
import type { GaleraService } from './service.js';

const synced: GaleraNodeStatus = { running: true, state: 'Synced', primary: true, clusterSize: 3 };
const joining: GaleraNodeStatus = { running: true, state: 'Joining', primary: true, clusterSize: 3 };

function bed(status: Map<string, GaleraNodeStatus>) {
  const state: State = {
    ...emptyState(),
    servers: ['db1', 'db2', 'db3'].map((id) => ({ id, name: id, type: 'database' as const, address: `10.0.0.${id.slice(2)}`, region: '', labels: {}, ports: [] })),
    clusters: [{ name: 'db', servers: ['db1', 'db2', 'db3'], galera: {} }],
  };
  const drained: string[] = [];
  const svc = {
    deps: { store: { state } },
    live: { status: (id: string) => status.get(id) },
    drain: async (_c: string, id: string) => { drained.push(id); return { haproxy: 'maint' }; },
  } as unknown as GaleraService;
  const progress: string[] = [];
  const ctx = { operationId: 'op', cluster: 'db', progress: (d: string) => progress.push(d), cancelled: () => {} } as unknown as StepContext;
  const step = (serverId: string): OperationStep => ({ id: '1', action: 'drain', title: `Drain ${serverId}`, serverId, state: 'running' });
  return { svc, ctx, step, drained, progress };
}

describe('a drain step', () => {
  it('waits for a node that just came back to report Synced before it takes the next one out', async () => {
    const status = new Map([['db1', synced], ['db2', synced], ['db3', joining]]);
    const b = bed(status);
    const run = galeraExecutor(b.svc, 'db', { quorumWaitMs: 60_000 })(b.step('db2'), b.ctx);
    setTimeout(() => status.set('db3', synced), 1200);
    await run;
    expect(b.drained).toEqual(['db2']);
    expect(b.progress[0]).toMatch(/waiting for the others to report Synced: without db2, only 1 of 3/);
  });

  it('refuses when the others never keep a majority, and drains nothing', async () => {
    const b = bed(new Map([['db1', synced], ['db2', synced], ['db3', joining]]));
    await expect(galeraExecutor(b.svc, 'db', { quorumWaitMs: 600 })(b.step('db2'), b.ctx)).rejects.toThrow(/not taking db2 out: without db2, only 1 of 3 nodes would be Synced \(db1\)/);
    expect(b.drained).toEqual([]);
  });
});
