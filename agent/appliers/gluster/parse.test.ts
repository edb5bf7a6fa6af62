import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  GlusterCliError, cliOutput, mergeVolume, parseHealSummary, parsePeers, parseRebalance, parseSplitBrainFiles, parseVolumeInfo, parseVolumeStatus,
  peersInCluster, splitBrick,
} from './parse.js';
import { parseXml } from './xml.js';

/** Real output of glusterfs 10.3 (Debian 12), captured from three nodes in namespaces (agent/test/gluster-testbed.ts). */
const fixture = (name: string) => cliOutput(readFileSync(new URL(`./fixtures/${name}.xml`, import.meta.url), 'utf8'));
const B = (n: number, vol = 'vol0') => `10.211.5.1${n}:/tmp/glx/glx24973/n${n}/bricks/${vol}`;

describe('xml', () => {
  it('reads elements, attributes, mixed text and entities, and refuses broken input', () => {
    const x = parseXml('<?xml version="1.0"?><a k="1 &amp; 2"><b>x &lt;y&gt;<c/></b><d>&#65;&#x42;</d></a>');
    expect(x.attrs).toEqual({ k: '1 & 2' });
    expect(x.children.map((c) => [c.name, c.text])).toEqual([['b', 'x <y>'], ['d', 'AB']]);
    expect(() => parseXml('<a><b></a>')).toThrow(/does not close/);
    expect(() => parseXml('<a>')).toThrow(/never closed/);
    expect(() => parseXml('<a/><b/>')).toThrow(/one root/);
  });
});

describe('gluster --xml output', () => {
  it('throws glusterd\'s own message when opRet is not 0', () => {
    expect(() => fixture('volume-create-reused')).toThrow(GlusterCliError);
    expect(() => fixture('volume-create-reused')).toThrow(/Brick may be containing or be contained by an existing brick/);
    expect(() => fixture('volume-info-missing')).toThrow('Volume does not exist');
    expect(() => fixture('peer-detach-down')).toThrow(/hosts one or more bricks/);
  });

  it('reads the pool: the node itself is localhost, a dead peer is not connected', () => {
    expect(parsePeers(fixture('pool-list-node-down')).map((p) => `${p.hostname}:${p.connected}:${p.self ?? false}`))
      .toEqual(['10.211.5.12:true:false', '10.211.5.13:false:false', 'localhost:true:true']);
  });

  it('reads volume info, with bricks, arbiter flags and options', () => {
    const [v] = parseVolumeInfo(fixture('volume-info'));
    expect(v).toMatchObject({ name: 'vol0', started: true, type: 'Replicate', replica: 3, arbiter: 0 });
    expect(v!.bricks.map((b) => `${b.host}:${b.path}`)).toEqual([B(1), B(2), B(3)]);
    expect(v!.bricks[0]!.uuid).toBe('c2190947-7cc1-428f-9cbc-3ff2d79a7b7f');
    expect(v!.options['nfs.disable']).toBe('on');
    expect(parseVolumeInfo(fixture('volume-info-2x3'))[0]).toMatchObject({ type: 'Distributed-Replicate', replica: 3 });
  });

  it('reads volume status: bricks only (not the self-heal daemons), with free space', () => {
    const s = parseVolumeStatus(fixture('volume-status-all')).get('vol0')!;
    expect([...s.keys()]).toEqual([B(1), B(2), B(3)]);
    const d = parseVolumeStatus(fixture('volume-status-detail')).get('vol0')!.get(B(2));
    expect(d).toEqual({ online: true, pid: 26874, sizeTotal: 270553174016, sizeFree: 244242358272 });
  });

  it('shows a brick offline when volume status leaves it out (its node\'s glusterd is down)', () => {
    const [info] = parseVolumeInfo(fixture('volume-info'));
    const live = parseVolumeStatus(fixture('volume-status-node-down')).get('vol0');
    const heal = parseHealSummary(fixture('heal-summary-node-down'));
    const v = mergeVolume(info!, live, heal);
    expect(v.bricks.map((b) => [b.host, b.online, b.healPending])).toEqual([['10.211.5.11', true, 21], ['10.211.5.12', true, 21], ['10.211.5.13', false, null]]);
  });

  it('reads the heal summary: backlog and split-brain per brick', () => {
    expect([...parseHealSummary(fixture('heal-summary-healthy')).values()]).toEqual([{ pending: 0, splitBrain: 0 }, { pending: 0, splitBrain: 0 }, { pending: 0, splitBrain: 0 }]);
    expect([...parseHealSummary(fixture('heal-summary-split-brain')).values()]).toEqual([{ pending: 1, splitBrain: 1 }, { pending: 1, splitBrain: 1 }, { pending: 1, splitBrain: 1 }]);
  });

  it('lists each split-brain file once, by its path when a brick knows it', () => {
    expect(parseSplitBrainFiles(fixture('heal-split-brain'))).toEqual(['/file.txt']);
  });

  it('reads the rebalance aggregate and who is in the cluster', () => {
    expect(parseRebalance(fixture('rebalance-status'))).toEqual({ state: 'completed', files: 9, size: 23, failures: 0 });
    // gl3 is in the cluster but not connected: not ready for a command that needs it.
    expect(peersInCluster(fixture('pool-list-node-down'))).toEqual(['10.211.5.12']);
    expect(splitBrick('10.0.0.1:/data/b1')).toEqual({ host: '10.0.0.1', path: '/data/b1' });
  });
});
