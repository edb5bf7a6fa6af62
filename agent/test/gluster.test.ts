/**
 * GlusterFS end to end with the real glusterd: three nodes (and a fourth for replacements) in
 * network + mount namespaces, each with its own glusterd and agent, a client node with a FUSE
 * mount, the hub on the host. Everything goes through the REST API; one bed for the whole file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from './harness.js';
import { GlusterTestbed } from './gluster-testbed.js';

const bed = new GlusterTestbed({ nodes: 4, clients: 1 });
const api = (method: string, path: string, body?: unknown, auth?: string) => bed.hub.api(method, path, body, auth);
const view = async () => (await api('GET', '/api/clusters/gl/gluster')).body;
const finished = (id: string) => waitFor(`operation ${id} to end`, async () => {
  const op = (await api('GET', `/api/operations/${id}`)).body;
  return op.state !== 'running' && op.state !== 'waiting' ? op : null;
}, 180_000);

beforeAll(async () => {
  await bed.up();
  const r = await api('POST', '/api/clusters', {
    name: 'gl', servers: ['gl1', 'gl2', 'gl3'],
    gluster: { volumes: [{ name: 'vol0', brickPath: bed.brickPath, force: true }], mountPath: bed.mountPath },
  });
  if (r.status !== 201) throw new Error(JSON.stringify(r.body));
}, 180_000);

afterAll(async () => {
  await bed.down();
}, 120_000);

describe('Gluster in namespaces', () => {
  it('plans the role (each command per node), applies it: a started replica-3 volume with every brick online', async () => {
    const plan = (await api('POST', '/api/clusters/gl/gluster/plan')).body;
    expect(plan.state).toBe('planned');
    expect(plan.steps.map((s: { command: string }) => s.command).join('\n')).toContain('gluster volume create vol0 replica 3');
    const r = await api('POST', '/api/clusters/gl/gluster/apply');
    expect(r.status).toBe(202);
    const op = await finished(r.body.operation.id);
    expect(op.state, JSON.stringify(op) + bed.logs()).toBe('done');
    await waitFor('vol0 3/3 healthy', async () => (await view()).summary === 'vol0 3/3 healthy', 30_000);
  }, 200_000);
});
