import { describe, expect, it } from 'vitest';
import { glusterCommands, describeJob } from './commands.js';
import { glusterMountPoints, managedEntries, mountArgs, renderFstab } from './fstab.js';

const m = { cluster: 'gl', volume: 'vol0', servers: ['10.0.0.1', '10.0.0.2', '10.0.0.3'], path: '/srv/www' };

describe('fstab', () => {
  it('adds managed entries after the others, replaces them, removes them, and never touches the rest', () => {
    const base = 'UUID=1 / ext4 defaults 0 1\n# my comment\n';
    const one = renderFstab(base, [m]);
    expect(one).toBe(`${base}# unlimited-cluster: gluster mount of cluster gl (managed by the hub; removed with its filesystem connection)\n10.0.0.1:/vol0 /srv/www glusterfs defaults,_netdev,backup-volfile-servers=10.0.0.2:10.0.0.3 0 0\n`);
    expect(managedEntries(one)).toEqual([{ cluster: 'gl', source: '10.0.0.1:/vol0', path: '/srv/www' }]);
    expect(renderFstab(one, [m])).toBe(one);
    expect(renderFstab(one, [])).toBe(base);
    expect(renderFstab('', [])).toBe('');
  });

  it('mounts with the other servers as backup volfile servers', () => {
    expect(mountArgs(m)).toEqual(['-t', 'glusterfs', '-o', 'backup-volfile-servers=10.0.0.2:10.0.0.3', '10.0.0.1:/vol0', '/srv/www']);
    expect(mountArgs({ ...m, servers: ['10.0.0.1'] })).toEqual(['-t', 'glusterfs', '10.0.0.1:/vol0', '/srv/www']);
  });

  it('finds Gluster FUSE mounts in /proc/self/mounts, escapes decoded', () => {
    const text = '/dev/vda / ext4 rw 0 0\n10.0.0.1:/vol0 /srv/my\\040www fuse.glusterfs rw 0 0\n';
    expect([...glusterMountPoints(text)]).toEqual(['/srv/my www']);
  });
});

describe('commands', () => {
  it('builds argv from the job, never a shell string', () => {
    expect(glusterCommands({ op: 'create', volume: 'v', replica: 3, arbiter: true, bricks: ['a:/b1', 'b:/b1', 'c:/b1'], force: true })[0])
      .toEqual({ args: ['volume', 'create', 'v', 'replica', '3', 'arbiter', '1', 'a:/b1', 'b:/b1', 'c:/b1', 'force'], xml: true });
    expect(glusterCommands({ op: 'split-brain', volume: 'v', choice: 'source-brick', brick: 'a:/b1', file: '/x y.txt' })[0])
      .toEqual({ args: ['volume', 'heal', 'v', 'split-brain', 'source-brick', 'a:/b1', '/x y.txt'], xml: false });
    expect(glusterCommands({ op: 'set', volume: 'v', options: { 'a.b': '1', 'c.d': 'on' } }).map((c) => c.args.join(' '))).toEqual(['volume set v a.b 1', 'volume set v c.d on']);
    expect(describeJob({ op: 'prepare', paths: ['/data/v/brick1', '/data/w/brick1'] })).toBe('mkdir -p /data/v /data/w');
    expect(describeJob({ op: 'replace-brick', volume: 'v', from: 'a:/b', to: 'd:/b' })).toBe('gluster volume replace-brick v a:/b d:/b commit force');
  });
});
