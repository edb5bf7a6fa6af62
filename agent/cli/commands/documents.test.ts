import { describe, expect, it } from 'vitest';
import { checkExportDoc, checkStateDoc, modelSummary } from './documents.js';

const exportDoc = { format: 'unlimited-cluster', version: 1, servers: [], connections: [], clusters: [], layout: {} };
const stateDoc = {
  format: 'unlimited-cluster-state', version: 1, revision: 3, servers: [], connections: [], clusters: [], layout: {},
  users: [], apiTokens: [], audit: [],
};

describe('documents', () => {
  it('accepts an export for import and a backup for restore', async () => {
    expect(await checkExportDoc('m.json', exportDoc)).toEqual(exportDoc);
    expect(await checkStateDoc('b.json', { ...stateDoc, version: 2, alertRules: [], alerts: [] })).toMatchObject({ version: 3 });
    expect(await checkStateDoc('b.json', { ...stateDoc, version: 3, alertRules: [], alerts: [] })).toMatchObject({ version: 3 });
  });

  it('checks a version-1 backup as the hub will read it: with the default alert rules', async () => {
    const doc = await checkStateDoc('b.json', stateDoc);
    expect(doc).toMatchObject({ version: 3, revision: 3, alerts: [] });
    expect(doc.alertRules.map((r) => r.metric)).toEqual([
      'cpu', 'mem', 'disk', 'down', 'galera_non_primary', 'galera_not_synced', 'galera_flow_control',
      'gluster_brick_offline', 'gluster_heal_stalled', 'gluster_split_brain', 'gluster_brick_full',
    ]);
  });

  it('points at the other command when the file is the other kind', async () => {
    await expect(checkExportDoc('b.json', stateDoc)).rejects.toThrow('b.json is a backup of the whole state, not an export: use clusterctl restore');
    await expect(checkStateDoc('m.json', exportDoc)).rejects.toThrow('m.json is an export of the model, not a backup: use clusterctl import');
  });

  it('says what is wrong with an invalid file', async () => {
    await expect(checkExportDoc('-', { ...exportDoc, servers: [{ id: 'a' }] })).rejects.toThrow('stdin is not a valid export (nothing was sent to the hub): /servers/0 is missing "name"');
    await expect(checkStateDoc('b.json', [])).rejects.toThrow('b.json is not a valid backup (nothing was sent to the hub): the document must be object');
    await expect(checkExportDoc('m.json', {})).rejects.toThrow('m.json is not a valid export (nothing was sent to the hub): the document is missing "format"');
  });

  it('summarises with singular and plural', () => {
    expect(modelSummary({ servers: [], connections: [{ id: 'a:b', from: 'a', to: 'b', type: 'http' }], clusters: [] })).toBe('0 servers, 1 connection, 0 clusters');
  });
});
