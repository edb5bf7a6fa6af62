import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addServer } from './model/servers.js';
import { StateFileError, Store, loadState } from './store.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'uc-store-'));
  file = join(dir, 'state.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const web = (id: string) => ({ id, name: id, type: 'web' as const, address: '10.0.0.1' });

describe('Store', () => {
  it('starts empty when there is no file and persists each change before resolving', async () => {
    const store = await Store.open(file);
    expect(store.state.servers).toEqual([]);
    await store.update((s) => addServer(s, web('a')).state);
    const onDisk = JSON.parse(readFileSync(file, 'utf8'));
    expect(onDisk.servers.map((s: { id: string }) => s.id)).toEqual(['a']);
    expect(onDisk.revision).toBe(1);
    expect((await Store.open(file)).state.servers[0]?.id).toBe('a');
  });

  it('runs concurrent updates one at a time, none lost', async () => {
    const store = await Store.open(file);
    await Promise.all(['a', 'b', 'c', 'd'].map((id) => store.update((s) => addServer(s, web(id)).state)));
    const reloaded = await loadState(file);
    expect(reloaded.servers.map((s) => s.id).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(reloaded.revision).toBe(4);
  });

  it('does not write when the change returns the same state', async () => {
    const store = await Store.open(file);
    await store.update((s) => s);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps memory and disk unchanged when a change throws', async () => {
    const store = await Store.open(file);
    await store.update((s) => addServer(s, web('a')).state);
    const before = readFileSync(file, 'utf8');
    await expect(store.update((s) => addServer(s, web('a')).state)).rejects.toThrow(/already exists/);
    expect(store.state.servers).toHaveLength(1);
    expect(readFileSync(file, 'utf8')).toBe(before);
    // The queue keeps working after a failure.
    await store.update((s) => addServer(s, web('b')).state);
    expect(store.state.servers).toHaveLength(2);
  });

  it('keeps the in-memory state when the write fails', async () => {
    const store = await Store.open(file);
    rmSync(dir, { recursive: true });
    await expect(store.update((s) => addServer(s, web('a')).state)).rejects.toThrow();
    expect(store.state.servers).toEqual([]);
  });

  it('refuses a change that would make an invalid document', async () => {
    const store = await Store.open(file);
    await expect(store.update((s) => ({ ...s, servers: [{ id: 'bad id!' } as never] }))).rejects.toThrow(/invalid state/);
    expect(store.state.servers).toEqual([]);
  });

  it('after a crash between write and rename, loads the old state and removes the temp file', async () => {
    const store = await Store.open(file);
    await store.update((s) => addServer(s, web('a')).state);
    // What a crash leaves: a complete or half-written temp file beside the real one.
    writeFileSync(`${file}.tmp-999-deadbeef`, '{"format":"unlimited-cluster-state","servers":[{"id":"half');
    const reopened = await Store.open(file);
    expect(reopened.state.servers.map((s) => s.id)).toEqual(['a']);
    expect(readdirSync(dir)).toEqual(['state.json']);
  });

  it('refuses a corrupt file with a clear message and never overwrites it', async () => {
    writeFileSync(file, '{"format":"unlimited-cluster-state", oops');
    await expect(Store.open(file)).rejects.toThrow(StateFileError);
    await expect(Store.open(file)).rejects.toThrow(/not valid JSON.*left untouched/);
    expect(readFileSync(file, 'utf8')).toBe('{"format":"unlimited-cluster-state", oops');
  });

  it('refuses a file written by a newer version', async () => {
    const store = await Store.open(file);
    await store.update((s) => addServer(s, web('a')).state);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...doc, version: 99 }));
    await expect(Store.open(file)).rejects.toThrow(/newer version.*format 99/);
  });

  it('refuses a document that is valid JSON but not a valid state', async () => {
    writeFileSync(file, JSON.stringify({ format: 'unlimited-cluster-state', version: 1, servers: 'nope' }));
    await expect(Store.open(file)).rejects.toThrow(StateFileError);
    writeFileSync(file, JSON.stringify({ hello: 'world' }));
    await expect(Store.open(file)).rejects.toThrow(/not an Unlimited Cluster state document/);
  });
});

describe('Store batching', () => {
  it('writes changes made together once, and resolves each only once a write holding it is on disk', async () => {
    const store = await Store.open(file);
    let writes = 0;
    store.on('change', () => writes++);
    const ids = Array.from({ length: 200 }, (_, i) => `s${i}`);
    const onDiskWhenResolved = await Promise.all(ids.map((id) => store.update((s) => addServer(s, web(id)).state).then(() => {
      const doc = JSON.parse(readFileSync(file, 'utf8')) as { servers: { id: string }[] };
      return doc.servers.some((s) => s.id === id);
    })));
    expect(onDiskWhenResolved.every(Boolean)).toBe(true);
    expect(writes).toBe(1);
    const reloaded = await loadState(file);
    expect(reloaded.servers.map((s) => s.id)).toEqual(ids);
    expect(reloaded.revision).toBe(200);
  });

  it('puts changes made during a write into the next one, each seeing the ones before', async () => {
    const store = await Store.open(file);
    let writes = 0;
    store.on('change', () => writes++);
    const first = store.update((s) => addServer(s, web('a')).state);
    await new Promise((r) => setImmediate(r)); // the first write is under way now
    const rest = ['b', 'c', 'd'].map((id) => store.update((s) => addServer(s, web(id)).state));
    const seen = store.update((s) => { expect(s.servers.map((x) => x.id)).toEqual(['a', 'b', 'c', 'd']); return s; });
    const states = await Promise.all([first, ...rest, seen]);
    expect(states.map((s) => s.servers.length)).toEqual([1, 2, 3, 4, 4]);
    expect(writes).toBe(2);
    expect(store.state.revision).toBe(4);
  });

  it('refuses only the changes at fault in a batch', async () => {
    const store = await Store.open(file);
    const results = await Promise.allSettled([
      store.update((s) => addServer(s, web('a')).state),
      store.update((s) => addServer(s, web('a')).state), // throws: a duplicate
      store.update((s) => ({ ...s, servers: [...s.servers, { id: 'bad id!' } as never] })), // an invalid document
      store.update((s) => addServer(s, web('b')).state),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(String((results[2] as PromiseRejectedResult).reason)).toMatch(/invalid state/);
    expect((await loadState(file)).servers.map((s) => s.id)).toEqual(['a', 'b']);
    expect(store.state.servers.map((s) => s.id)).toEqual(['a', 'b']);
  });

  it('refuses every change of a batch whose write fails, and keeps the state', async () => {
    const store = await Store.open(file);
    rmSync(dir, { recursive: true });
    const results = await Promise.allSettled(['a', 'b'].map((id) => store.update((s) => addServer(s, web(id)).state)));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(store.state.servers).toEqual([]);
  });
});

describe('Store migration from version 1', () => {
  /** A state.json exactly as the version-1 hub writes it (before alert rules existed). */
  const v1 = {
    format: 'unlimited-cluster-state', version: 1, revision: 7,
    servers: [{ id: 'web1', name: 'web1', type: 'web', address: '10.0.0.1', region: '', labels: {}, ports: [] }],
    connections: [], clusters: [{ name: 'prod', servers: ['web1'] }], layout: {},
    users: [{ name: 'admin', passwordHash: 'scrypt$16384$8$1$c2FsdA==$aGFzaA==', acl: { view: true, editServers: true, editConnections: true, editClusters: true, apply: true, scale: true, enroll: true, exportImport: true, scope: '*' } }],
    apiTokens: [], audit: [{ ts: '2024-01-01T00:00:00.000Z', user: 'admin', action: 'server.create', target: 'web1' }],
  };

  it('loads with the default alert rules and an empty alert log, and leaves the file as it is', async () => {
    const text = JSON.stringify(v1);
    writeFileSync(file, text);
    const store = await Store.open(file);
    expect(store.state).toMatchObject({ version: 3, revision: 7, alerts: [], servers: v1.servers, users: v1.users, audit: v1.audit });
    expect(store.state.alertRules.map((r) => [r.id, r.metric, 'threshold' in r ? r.threshold : null, r.forSeconds])).toEqual([
      ['cpu-high', 'cpu', 80, 300], ['memory-high', 'mem', 85, 180], ['disk-full', 'disk', 90, 0], ['server-down', 'down', null, 30],
      ['galera-non-primary', 'galera_non_primary', null, 5], ['galera-not-synced', 'galera_not_synced', null, 60], ['galera-flow-control', 'galera_flow_control', 10, 30],
      ['gluster-brick-offline', 'gluster_brick_offline', null, 30], ['gluster-heal-stalled', 'gluster_heal_stalled', null, 600],
      ['gluster-split-brain', 'gluster_split_brain', null, 0], ['gluster-brick-full', 'gluster_brick_full', 90, 0],
    ]);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('is rewritten as the current version (3) by the next change', async () => {
    writeFileSync(file, JSON.stringify(v1));
    const store = await Store.open(file);
    await store.update((s) => addServer(s, web('b')).state);
    const onDisk = JSON.parse(readFileSync(file, 'utf8'));
    expect(onDisk).toMatchObject({ version: 3, revision: 8, alerts: [] });
    expect(onDisk.alertRules).toHaveLength(11);
    expect((await loadState(file)).servers.map((s) => s.id)).toEqual(['web1', 'b']);
  });

  it('still refuses a version-4 file, untouched', async () => {
    const text = JSON.stringify({ ...v1, version: 4, alertRules: [], alerts: [] });
    writeFileSync(file, text);
    await expect(Store.open(file)).rejects.toThrow(/newer version.*format 4; this hub reads up to 3/);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('starts a new hub with the default rules', async () => {
    expect((await Store.open(file)).state.alertRules.map((r) => r.id)).toEqual(['cpu-high', 'memory-high', 'disk-full', 'server-down', 'galera-non-primary', 'galera-not-synced', 'galera-flow-control',
      'gluster-brick-offline', 'gluster-heal-stalled', 'gluster-split-brain', 'gluster-brick-full']);
  });
});
