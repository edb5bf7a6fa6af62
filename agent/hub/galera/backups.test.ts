import { describe, expect, it } from 'vitest';
import type { GaleraNodeStatus } from '../../protocol/types.js';
import { chooseBackupNode } from './backups.js';

const synced: GaleraNodeStatus = { running: true, state: 'Synced', primary: true };
const order = ['db1', 'db2', 'db3'];
const all = () => true;

describe('chooseBackupNode', () => {
  it('takes a Synced backup node, the last in writer order, never the writer while another is Synced', () => {
    expect(chooseBackupNode(order, 'db1', () => synced, all)).toEqual({ serverId: 'db3', why: 'a Synced backup node (the writer db1 keeps taking the writes)' });
    // The live writer may not be the first in order (the first was drained or failed).
    expect(chooseBackupNode(order, 'db3', () => synced, all)).toMatchObject({ serverId: 'db2' });
  });

  it('never a Donor/Desynced, joining, non-Primary or silent node, nor one whose agent is away', () => {
    const st: Record<string, GaleraNodeStatus | undefined> = {
      db1: synced, db2: { running: true, state: 'Donor/Desynced', primary: true }, db3: { running: true, state: 'Joining', primary: true },
    };
    expect(chooseBackupNode(order, 'db1', (id) => st[id], all)).toEqual({ serverId: 'db1', why: 'the writer: no other node is Synced' });
    expect(chooseBackupNode(order, 'db1', (id) => (id === 'db2' ? synced : st[id]), all)).toMatchObject({ serverId: 'db2' });
    expect(chooseBackupNode(order, 'db1', (id) => (id === 'db3' ? { ...synced, primary: false } : st[id]), all)).toMatchObject({ serverId: 'db1' });
    expect(chooseBackupNode(order, 'db1', () => synced, (id) => id !== 'db3')).toMatchObject({ serverId: 'db2' });
    expect(chooseBackupNode(order, undefined, (id) => (id === 'db1' ? undefined : st[id]), (id) => id !== 'db1'))
      .toEqual({ refuse: 'no Synced node to back up from (db1 agent away, db2 Donor/Desynced, db3 Joining)' });
  });
});
