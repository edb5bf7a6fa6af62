/**
 * The orchestration logic with a real store: step order, undo in reverse (of only what a step
 * made), which step failed, what is audited, what is kept. The clusters behind it are in-test
 * doubles of the interfaces it calls (a load-balancer cluster that remembers which host rules it
 * applied; Galera and Gluster sides that record calls): the real paths are
 * agent/test/virtual-servers.test.ts (HAProxy) and agent/test/virtual-servers-full.test.ts
 * (HAProxy, Galera and Gluster, in network namespaces).
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

let existed: { database: boolean; user: boolean };
const databases: DatabaseProvider = {
  unsuitable: (_s, c) => (c === 'db' ? null : `cluster '${c}' has no Galera role`),
  warnings: () => [],
  async createDatabase(c, db) {
    calls.push(`create ${db.name} ${db.user}${db.sharedUser ? ' (shared)' : ''} on ${c}`);
    if (db.password !== 'secret-pw-1') throw new Error('wrong password passed on');
    if (fail.has('database')) throw new Error('the writer node refused');
    return { existed };
  },
  async dropDatabase(c, db) {
    calls.push(`drop ${db.keepDatabase ? '(database kept)' : db.name} ${db.user ? `${db.user}${db.sharedUser ? ' (its grant)' : ''}` : '(no user)'} on ${c}`);
    if (fail.has('drop')) throw new Error('drop refused');
  },
  async changeUser(c, user, change) {
    calls.push(`user ${user} ${'password' in change ? `password ${change.password}` : JSON.stringify(change)} on ${c}`);
    if (fail.has('user')) throw new Error('no such user');
  },
};
const files: FileProvider = {
  locateVolume: (_s, _a, v) => (v === 'files-eu' ? { cluster: 'fs' } : { error: `no Gluster volume '${v}'` }),
  mountProblem: (_s, spec) => (spec.mountPath === '/taken' ? `w1 already mounts volume other of cluster fs at /taken: choose another mount path` : null),
  warnings: () => [],
  async makeDirectory(c, spec) {
    calls.push(`mkdir ${spec.volume}/${spec.directory} as ${spec.names.join(',')} on ${c}`);
    if (fail.has('files')) throw new Error('volume is read-only');
    return { created: !fail.has('existing-dir') };
  },
  async whenMounted(c, servers) {
    calls.push(`mounted ${c} on ${servers.join(',')}`);
    if (fail.has('mount')) throw new Error('w2: mount failed');
    return { offline: fail.has('offline') ? ['w2'] : [] };
  },
  async renameDirectory(c, spec) { calls.push(`names of ${spec.volume}/${spec.directory} +${spec.add.join(',')} -${spec.remove.join(',')} on ${c}`); },
  async removeDirectory(c, spec) { calls.push(`rmdir ${spec.volume}/${spec.directory} and ${spec.names.join(',')} on ${c}`); },
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
  existed = { database: false, user: false };
  vs = new VirtualServers({ store, plans: lbCluster(), databases, files, log: () => {} });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const full = { id: '101', domain: 'shop.example.com', aliases: ['www.shop.example.com'], web: 'shop', database: { cluster: 'db', name: 'shop_db', user: 'shop', password: 'secret-pw-1' }, files: { volume: 'files-eu', mountPath: '/srv/www' } };
const audit = () => store.state.audit.filter((a) => a.action.startsWith('virtual-server.')).map((a) => a.action);
const rules = (domain = 'shop.example.com') => JSON.stringify([{ host: domain, backend: 'web' }, { host: `www.${domain}`, backend: 'web' }]);

describe('setting a virtual server up', () => {
  it('makes the database, then the directory and its mount, then the host rules, and records each part ready', async () => {
    const made = await vs.create(root, full);
    expect(calls).toEqual([
      'create shop_db shop on db', 'mkdir files-eu/shop.example.com as www.shop.example.com on fs', 'mounted fs on w1,w2', `apply shop ${rules()}`,
    ]);
    expect(made).toMatchObject({
      id: '101', state: 'active', createdBy: 'webmin:root',
      web: { cluster: 'shop', status: 'ready' }, database: { cluster: 'db', name: 'shop_db', user: 'shop', status: 'ready' },
      files: { cluster: 'fs', volume: 'files-eu', mountPath: '/srv/www', directory: 'shop.example.com', webCluster: 'shop', status: 'ready' },
    });
    expect(audit()).toEqual(['virtual-server.create', 'virtual-server.database', 'virtual-server.files', 'virtual-server.web']);
    expect(store.state.audit.find((a) => a.action === 'virtual-server.files')?.detail).toBe('made shop.example.com on files-eu (also as www.shop.example.com), mounted at /srv/www on w1, w2');
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
    expect(calls.slice(-2)).toEqual(['rmdir files-eu/shop.example.com and www.shop.example.com on fs', 'drop shop_db shop on db']);
    expect(virtualServersOf(store.state)).toEqual([]);
    expect(audit()).toEqual(['virtual-server.create', 'virtual-server.database', 'virtual-server.files', 'virtual-server.create-failed']);
    expect(store.state.audit.at(-1)!.detail).toMatch(/^web \(host rules on cluster shop\) failed: /);
  });

  it('undoes only what it made: a database, user or directory that was there already stays', async () => {
    existed = { database: true, user: false };
    fail.add('existing-dir').add('mount');
    await expect(vs.create(root, full)).rejects.toThrow(/^mount of volume files-eu at \/srv\/www on the web servers of shop failed: w2: mount failed; the files step was undone; the database step was undone; the virtual server was not set up$/);
    expect(calls).toEqual([
      'create shop_db shop on db', 'mkdir files-eu/shop.example.com as www.shop.example.com on fs', 'mounted fs on w1,w2',
      'names of files-eu/shop.example.com + -www.shop.example.com on fs', 'drop (database kept) shop on db',
    ]);
    calls = [];
    existed = { database: false, user: true };
    await expect(vs.create(root, full)).rejects.toThrow(/mount failed/);
    expect(calls.at(-1)).toBe('drop shop_db (no user) on db');
    calls = [];
    await expect(vs.create(root, { ...full, database: { ...full.database, sharedUser: true } })).rejects.toThrow(/mount failed/);
    expect(calls[0]).toBe('create shop_db shop (shared) on db');
    expect(calls.at(-1)).toBe('drop shop_db shop (its grant) on db');
  });

  it('stops at a failed database step: no directory, no host rule, no record', async () => {
    fail.add('database');
    await expect(vs.create(root, full)).rejects.toThrow(/^database shop_db on cluster db failed: the writer node refused; the virtual server was not set up$/);
    expect(calls).toEqual(['create shop_db shop on db']);
    expect(virtualServersOf(store.state)).toEqual([]);
  });

  it('says which web servers mount the volume only when their agent connects', async () => {
    fail.add('offline');
    await vs.create(root, full);
    expect(store.state.audit.find((a) => a.action === 'virtual-server.files')?.detail).toMatch(/mounted at \/srv\/www on w1 \(w2 mounts it when its agent connects\)$/);
  });

  it('refuses a cluster with unapplied load-balancing changes, changing nothing there', async () => {
    fail.add('unapplied');
    await expect(vs.create(root, { ...full, database: undefined, files: undefined })).rejects.toThrow(/cluster 'shop' has load-balancing changes that are not applied yet \(lb1: haproxy runtime\): apply or undo them/);
    expect(calls).toEqual([]);
    expect(virtualServersOf(store.state)).toEqual([]);
  });

  it('refuses names, databases and directories another virtual server has, and placements the caller cannot use', async () => {
    await vs.create(root, { id: '1', domain: 'a.example.com', web: 'shop', database: { ...full.database, name: 'a', user: 'a' }, files: full.files });
    await expect(vs.create(root, { id: '2', domain: 'b.example.com', aliases: ['a.example.com'], web: 'shop' })).rejects.toMatchObject({ status: 409, message: 'a.example.com is already a name of virtual server a.example.com (id 1)' });
    await expect(vs.create(root, { id: '2', domain: 'api.example.com', web: 'shop' })).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/host rule on frontend www of cluster shop/) });
    await expect(vs.create(root, { id: '1', domain: 'c.example.com', web: 'shop' })).rejects.toMatchObject({ status: 409 });
    await expect(vs.create(root, { id: '2', domain: 'c.example.com', database: { ...full.database, name: 'a' } })).rejects.toMatchObject({ status: 409, message: 'database a on cluster db belongs to virtual server a.example.com (id 1)' });
    await expect(vs.create(root, { id: '2', domain: 'c.example.com', database: { ...full.database, user: 'a' } })).rejects.toMatchObject({ status: 409, message: 'database user a on cluster db belongs to virtual server a.example.com (id 1)' });
    // A sub-server shares its parent's user.
    expect((await vs.create(root, { id: '3', domain: 'sub.example.com', database: { ...full.database, name: 'sub', user: 'a', sharedUser: true } })).database?.sharedUser).toBe(true);
    // Renamed, a.example.com keeps its directory: that name is not free on the volume.
    await vs.update(root, '1', { domain: 'z.example.com' });
    await expect(vs.create(root, { id: '2', domain: 'a.example.com', web: 'shop', files: full.files })).rejects.toMatchObject({ status: 409, message: 'a.example.com is the directory of virtual server z.example.com (id 1) on volume files-eu' });
    await expect(vs.create(root, { domain: 'c.example.com', database: { ...full.database, cluster: 'shop' } })).rejects.toMatchObject({ status: 400, code: 'no_galera_role', message: "cluster 'shop' has no Galera role" });
    await expect(vs.create(root, { domain: 'c.example.com', files: full.files })).rejects.toMatchObject({ code: 'files_need_web' });
    await expect(vs.create(root, { domain: 'c.example.com', web: 'shop', files: { volume: 'nope', mountPath: '/srv' } })).rejects.toMatchObject({ code: 'no_gluster_volume' });
    await expect(vs.create(root, { domain: 'c.example.com', web: 'shop', files: { volume: 'files-eu', mountPath: '/taken' } })).rejects.toMatchObject({ code: 'mount_path_taken', message: expect.stringMatching(/^w1 already mounts/) });
    const scoped: Principal = { ...root, acl: { ...FULL_ACL, scope: ['shop'] } };
    await expect(vs.create(scoped, { domain: 'c.example.com', web: 'shop', database: full.database })).rejects.toMatchObject({ status: 404, message: "no cluster named 'db'" });
    await expect(vs.create(scoped, { domain: 'c.example.com', web: 'shop', files: full.files })).rejects.toMatchObject({ status: 404, message: "no cluster named 'fs'" });
    expect(virtualServersOf(store.state).map((v) => v.id)).toEqual(['1', '3']);
  });
});

describe('changing a virtual server', () => {
  beforeEach(async () => {
    await vs.create(root, full);
    calls = [];
  });

  it('renames it: a link for each new name on the volume, then the host rules; the database keeps its name', async () => {
    await vs.update(root, '101', { domain: 'new.example.com', aliases: ['www.new.example.com'] });
    expect(calls).toEqual(['names of files-eu/shop.example.com +new.example.com,www.new.example.com -www.shop.example.com on fs', `apply shop ${rules('new.example.com')}`]);
    expect(findVirtualServer(store.state, '101')).toMatchObject({ domain: 'new.example.com', web: { status: 'ready' }, files: { directory: 'shop.example.com' }, database: { name: 'shop_db', user: 'shop' } });
  });

  it('disables it: its database user is locked and its names answer the disabled page; enabling undoes both', async () => {
    await vs.update(root, '101', { state: 'disabled' });
    expect(calls).toEqual(['user shop {"lock":true} on db', `apply shop ${JSON.stringify([{ host: 'shop.example.com', backend: 'uc-disabled' }, { host: 'www.shop.example.com', backend: 'uc-disabled' }])}`]);
    expect(store.state.audit.at(-1)).toMatchObject({ action: 'virtual-server.update', target: 'shop.example.com (id 101)', detail: expect.stringMatching(/^disabled/) });
    calls = [];
    await vs.update(root, '101', { state: 'active' });
    expect(calls).toEqual(['user shop {"lock":false} on db', `apply shop ${rules()}`]);
  });

  it('renames its database user and sets its password as Virtualmin\'s MySQL feature does, never keeping the password', async () => {
    await vs.update(root, '101', { database: { user: 'store', password: 'new-secret-2' } });
    expect(calls).toEqual(['user shop {"rename":"store"} on db', 'user store password new-secret-2 on db']);
    expect(findVirtualServer(store.state, '101').database).toMatchObject({ user: 'store', status: 'ready' });
    expect(store.state.audit.at(-1)!.detail).toBe('database user shop renamed to store; a new password for database user store');
    expect(readFileSync(join(dir, 'state.json'), 'utf8')).not.toContain('new-secret-2');
  });

  it('keeps everything as it was when a step fails, undoing the steps before it', async () => {
    fail.add('apply');
    await expect(vs.update(root, '101', { domain: 'new.example.com', state: 'disabled' })).rejects.toThrow(/^web \(host rules on cluster shop\) failed: the apply failed.*; the files step was undone; the database step was undone; nothing was changed$/);
    expect(calls.filter((c) => !c.startsWith('apply'))).toEqual([
      'user shop {"lock":true} on db', 'names of files-eu/shop.example.com +new.example.com - on fs',
      'names of files-eu/shop.example.com + -new.example.com on fs', 'user shop {"lock":false} on db',
    ]);
    expect(findVirtualServer(store.state, '101')).toMatchObject({ domain: 'shop.example.com', state: 'active' });
    expect(audit().at(-1)).toBe('virtual-server.update-failed');
  });

  it('refuses a database change for a server without a database, or whose user is its parent\'s', async () => {
    await vs.create(root, { id: '102', domain: 'sub.example.com', database: { ...full.database, name: 'sub', sharedUser: true } });
    await expect(vs.update(root, '102', { database: { password: 'x' } })).rejects.toMatchObject({ status: 400, message: "database user shop is its parent server's: change it there" });
    await vs.create(root, { id: '103', domain: 'web.example.com', web: 'shop' });
    await expect(vs.update(root, '103', { database: { user: 'x' } })).rejects.toMatchObject({ status: 400, code: 'no_database' });
  });

  it('removes it: host rules, database and user, directory and its names, or keeps what it is told to keep', async () => {
    await vs.remove(root, '101', { database: true, files: false });
    expect(calls).toEqual(['apply shop []', 'rmdir files-eu/shop.example.com and www.shop.example.com on fs']);
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
