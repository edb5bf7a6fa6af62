/**
 * The orchestration logic with a real store: step order, undo in reverse, which step failed, what
 * is audited, what is kept. The clusters behind it are in-test doubles of the interfaces it calls
 * (a load-balancer cluster that remembers which host rules it applied; Galera and Gluster sides
 * that record calls): the real paths are agent/test/virtual-servers.test.ts (HAProxy in network
 * namespaces) and, once issues 11 and 12 land, Galera and Gluster.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Cluster, PlanView, State } from '../../protocol/types.js';
import type { Principal } from '../auth/authenticate.js';
import { FULL_ACL } from '../auth/acl.js';
import { virtualServerHostRules } from '../jobs/lb-desired.js';
import { findVirtualServer, virtualServersOf } from '../model/virtual-servers.js';
import { Store } from '../store.js';
import { VirtualServers } from './orchestrator.js';
import type { DatabaseProvider, FileProvider } from './providers.js';

let dir: string;
let store: Store;
let calls: string[];
let fail: Set<string>;
let applied: Map<string, string>;
let vs: VirtualServers;
const root: Principal = { name: 'root', acl: FULL_ACL, realm: 'webmin', via: 'webmin' };

/** A load-balancer cluster: a plan changes what differs from what it last applied; `fail` may refuse an apply. */
function lbCluster() {
  const plans = new Map<string, { view: PlanView; rules: string }>();
  let n = 0;
  return {
    async create(cluster: Cluster, user: string): Promise<PlanView> {
      const rules = JSON.stringify(virtualServerHostRules(store.state, cluster.name));
      const change = fail.has('unapplied') || rules !== (applied.get(cluster.name) ?? '[]') ? 'runtime' as const : 'none' as const;
      const view: PlanView = {
        id: `p${++n}`, cluster: cluster.name, createdBy: user, createdAt: '', state: 'planned',
        nodes: [{ serverId: 'lb1', state: 'planned', steps: [], files: [{ applier: 'haproxy', path: '/h', diff: '', change, base: '0'.repeat(64), next: '1'.repeat(64) }] }],
      };
      plans.set(view.id, { view, rules });
      return view;
    },
    apply(id: string) {
      const p = plans.get(id)!;
      const ok = !fail.has('apply');
      if (ok) applied.set(p.view.cluster, p.rules);
      calls.push(`apply ${p.view.cluster} ${p.rules}`);
      const view: PlanView = { ...p.view, state: ok ? 'applied' : 'failed', nodes: p.view.nodes.map((x) => ({ ...x, state: ok ? 'done' : 'failed', ...(ok ? {} : { error: 'lb1 is on fire' }) })) };
      return { view, done: Promise.resolve(view) };
    },
  };
}

const databases: DatabaseProvider = {
  unsuitable: (_s, c) => (c === 'db' ? null : `cluster '${c}' has no Galera role`),
  async createDatabase(c, db) {
    calls.push(`create ${db.name} ${db.user} on ${c}`);
    if (db.password !== 'secret-pw-1') throw new Error('wrong password passed on');
    if (fail.has('database')) throw new Error('the writer node refused');
  },
  async dropDatabase(c, db) { calls.push(`drop ${db.name} ${db.user ?? '(shared user kept)'} on ${c}`); if (fail.has('drop')) throw new Error('drop refused'); },
};
const files: FileProvider = {
  locateVolume: (_s, _a, v) => (v === 'files-eu' ? { cluster: 'fs' } : { error: `no Gluster volume '${v}'` }),
  async ensureDirectory(c, spec) {
    calls.push(`mkdir ${spec.volume}/${spec.directory} on ${c}, mounted at ${spec.mountPath} on ${spec.servers.join(',')}`);
    if (fail.has('files')) throw new Error('volume is read-only');
  },
  async removeDirectory(c, spec) { calls.push(`rmdir ${spec.volume}/${spec.directory} on ${c}`); },
};

const server = (id: string, type: 'web' | 'loadbalancer') => ({ id, name: id, type, address: '10.0.0.1', region: '', labels: {}, ports: [] });

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'uc-vs-'));
  store = await Store.open(join(dir, 'state.json'));
  await store.update((s): State => ({
    ...s,
    servers: [server('lb1', 'loadbalancer'), server('w1', 'web'), server('w2', 'web')],
    clusters: [
      { name: 'shop', servers: ['lb1', 'w1', 'w2'], loadBalancer: { frontends: [{ name: 'www', port: 80, hostRules: [{ host: 'api.example.com', backend: 'web' }] }] } },
      { name: 'db', servers: [] }, { name: 'fs', servers: [] },
    ],
  }));
  calls = [];
  fail = new Set();
  applied = new Map();
  vs = new VirtualServers({ store, plans: lbCluster(), databases, files, log: () => {} });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const full = { id: '101', domain: 'shop.example.com', aliases: ['www.shop.example.com'], web: 'shop', database: { cluster: 'db', name: 'shop_db', user: 'shop', password: 'secret-pw-1' }, files: { volume: 'files-eu', mountPath: '/srv/www' } };
const audit = () => store.state.audit.filter((a) => a.action.startsWith('virtual-server.')).map((a) => a.action);
const rules = (domain = 'shop.example.com') => JSON.stringify([{ host: domain, backend: 'web' }, { host: `www.${domain}`, backend: 'web' }]);

describe('setting a virtual server up', () => {
  it('makes the database, then the directory, then the host rules, and records each part ready', async () => {
    const made = await vs.create(root, full);
    expect(calls).toEqual([
      'create shop_db shop on db', 'mkdir files-eu/shop.example.com on fs, mounted at /srv/www on w1,w2', `apply shop ${rules()}`,
    ]);
    expect(made).toMatchObject({
      id: '101', state: 'active', createdBy: 'webmin:root',
      web: { cluster: 'shop', status: 'ready' }, database: { cluster: 'db', name: 'shop_db', user: 'shop', status: 'ready' },
      files: { cluster: 'fs', volume: 'files-eu', mountPath: '/srv/www', directory: 'shop.example.com', status: 'ready' },
    });
    expect(audit()).toEqual(['virtual-server.create', 'virtual-server.database', 'virtual-server.files', 'virtual-server.web']);
    // The password went to the Galera side and nowhere else.
    expect(readFileSync(join(dir, 'state.json'), 'utf8')).not.toContain('secret-pw-1');
  });

  it('undoes the steps done before a failed one, in reverse, and says which step failed', async () => {
    fail.add('apply');
    const err = await vs.create(root, full).catch((e: Error) => e);
    expect(err).toMatchObject({ status: 502, code: 'step_failed' });
    expect((err as Error).message).toBe('web (host rules on cluster shop) failed: the apply failed: lb1: lb1 is on fire; undoing it failed too ' +
      '(the apply failed: lb1: lb1 is on fire): plan and apply cluster \'shop\' to bring its load balancers in line; the files step was undone; ' +
      'the database step was undone; the virtual server was not set up');
    expect(calls.slice(-2)).toEqual(['rmdir files-eu/shop.example.com on fs', 'drop shop_db shop on db']);
    expect(virtualServersOf(store.state)).toEqual([]);
    expect(audit()).toEqual(['virtual-server.create', 'virtual-server.database', 'virtual-server.files', 'virtual-server.create-failed']);
    expect(store.state.audit.at(-1)!.detail).toMatch(/^web \(host rules on cluster shop\) failed: /);
  });

  it('stops at a failed database step: no directory, no host rule, no record', async () => {
    fail.add('database');
    await expect(vs.create(root, full)).rejects.toThrow(/^database shop_db on cluster db failed: the writer node refused; the virtual server was not set up$/);
    expect(calls).toEqual(['create shop_db shop on db']);
    expect(virtualServersOf(store.state)).toEqual([]);
  });

  it('refuses a cluster with unapplied load-balancing changes, changing nothing there', async () => {
    fail.add('unapplied');
    await expect(vs.create(root, { ...full, database: undefined, files: undefined })).rejects.toThrow(/cluster 'shop' has load-balancing changes that are not applied yet \(lb1: haproxy runtime\): apply or undo them/);
    expect(calls).toEqual([]);
    expect(virtualServersOf(store.state)).toEqual([]);
  });

  it('refuses names another virtual server or a host rule has, and placements the caller cannot use', async () => {
    await vs.create(root, { id: '1', domain: 'a.example.com', web: 'shop' });
    await expect(vs.create(root, { id: '2', domain: 'b.example.com', aliases: ['a.example.com'], web: 'shop' })).rejects.toMatchObject({ status: 409, message: 'a.example.com is already a name of virtual server a.example.com (id 1)' });
    await expect(vs.create(root, { id: '2', domain: 'api.example.com', web: 'shop' })).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/host rule on frontend www of cluster shop/) });
    await expect(vs.create(root, { id: '1', domain: 'c.example.com', web: 'shop' })).rejects.toMatchObject({ status: 409 });
    await expect(vs.create(root, { domain: 'c.example.com', database: { ...full.database, cluster: 'shop' } })).rejects.toMatchObject({ status: 400, code: 'no_galera_role', message: "cluster 'shop' has no Galera role" });
    await expect(vs.create(root, { domain: 'c.example.com', files: full.files })).rejects.toMatchObject({ code: 'files_need_web' });
    await expect(vs.create(root, { domain: 'c.example.com', web: 'shop', files: { volume: 'nope', mountPath: '/srv' } })).rejects.toMatchObject({ code: 'no_gluster_volume' });
    const scoped: Principal = { ...root, acl: { ...FULL_ACL, scope: ['shop'] } };
    await expect(vs.create(scoped, { domain: 'c.example.com', web: 'shop', database: full.database })).rejects.toMatchObject({ status: 404, message: "no cluster named 'db'" });
    expect(virtualServersOf(store.state).map((v) => v.id)).toEqual(['1']);
  });
});

describe('changing a virtual server', () => {
  beforeEach(async () => {
    await vs.create(root, full);
    calls = [];
  });

  it('renames it and disables it by changing its host rules only', async () => {
    await vs.update(root, '101', { domain: 'new.example.com', aliases: ['www.new.example.com'] });
    expect(calls).toEqual([`apply shop ${rules('new.example.com')}`]);
    expect(findVirtualServer(store.state, '101')).toMatchObject({ domain: 'new.example.com', web: { status: 'ready' }, files: { directory: 'shop.example.com' }, database: { name: 'shop_db' } });
    await vs.update(root, '101', { state: 'disabled' });
    expect(applied.get('shop')).toBe(JSON.stringify([{ host: 'new.example.com', backend: 'uc-disabled' }, { host: 'www.new.example.com', backend: 'uc-disabled' }]));
    expect(store.state.audit.at(-1)).toMatchObject({ action: 'virtual-server.update', target: 'new.example.com (id 101)', detail: expect.stringMatching(/^disabled/) });
  });

  it('keeps the old names when the new ones cannot be applied', async () => {
    fail.add('apply');
    await expect(vs.update(root, '101', { domain: 'new.example.com' })).rejects.toThrow(/^web \(host rules on cluster shop\) failed: the apply failed/);
    expect(findVirtualServer(store.state, '101').domain).toBe('shop.example.com');
    expect(audit().at(-1)).toBe('virtual-server.update-failed');
  });

  it('removes it: host rules, database and directory, or keeps what it is told to keep', async () => {
    await vs.remove(root, '101', { database: true, files: false });
    expect(calls).toEqual(['apply shop []', 'rmdir files-eu/shop.example.com on fs']);
    expect(virtualServersOf(store.state)).toEqual([]);
    expect(store.state.audit.at(-1)).toMatchObject({ action: 'virtual-server.delete', detail: 'kept database shop_db on db' });
  });

  it('leaves it listed with the failed part when a removal step fails, so it can be tried again', async () => {
    fail.add('drop');
    await expect(vs.remove(root, '101', { database: false, files: false })).rejects.toThrow(/^database shop_db on cluster db failed: drop refused; the virtual server stays listed/);
    const left = findVirtualServer(store.state, '101');
    expect(left.web).toBeUndefined();
    expect(left.database).toMatchObject({ status: 'failed', error: 'database shop_db on cluster db failed: drop refused' });
    expect(left.files?.status).toBe('ready');
    fail.delete('drop');
    await vs.remove(root, '101', { database: false, files: false });
    expect(virtualServersOf(store.state)).toEqual([]);
    expect(calls.filter((c) => c.startsWith('drop'))).toEqual(['drop shop_db shop on db', 'drop shop_db shop on db']);
  });
});

describe('a hub that stopped mid-step', () => {
  it('marks the parts it left pending as failed when it starts again', async () => {
    await store.update((s) => ({ ...s, virtualServers: [{ id: '7', domain: 'a.example.com', aliases: [], state: 'active', createdBy: 'root', createdAt: '',
      web: { cluster: 'shop', status: 'pending' }, database: { cluster: 'db', name: 'a', user: 'a', status: 'ready' } }] }));
    await vs.recover();
    const v = findVirtualServer(store.state, '7');
    expect(v.web).toMatchObject({ status: 'failed', error: expect.stringMatching(/^the hub stopped while this part was being changed/) });
    expect(v.database?.status).toBe('ready');
  });
});
