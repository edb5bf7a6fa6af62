import { describe, expect, it } from 'vitest';
import { parseMounts } from './mounts.js';

const HOST = `sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0
proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
udev /dev devtmpfs rw,nosuid,relatime,size=8123456k 0 0
tmpfs /run tmpfs rw,nosuid,nodev,noexec,relatime,size=1630000k,mode=755 0 0
/dev/sda1 / ext4 rw,relatime,errors=remount-ro 0 0
cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime 0 0
/dev/loop0 /snap/core/123 squashfs ro,nodev,relatime 0 0
/dev/sda2 /home xfs rw,relatime 0 0
/dev/sda1 /var/lib/docker/containers/abc/hostname ext4 rw,relatime 0 0
overlay /var/lib/docker/overlay2/x/merged overlay rw,relatime,lowerdir=a 0 0
gluster1:/gv0 /mnt/shared\\040data fuse.glusterfs rw,relatime,user_id=0 0 0
`;

describe('parseMounts', () => {
  it('keeps real filesystems once per device and unescapes paths', () => {
    expect(parseMounts(HOST)).toEqual([
      { device: '/dev/sda1', mount: '/', fstype: 'ext4' },
      { device: '/dev/sda2', mount: '/home', fstype: 'xfs' },
      { device: 'gluster1:/gv0', mount: '/mnt/shared data', fstype: 'fuse.glusterfs' },
    ]);
  });

  it("keeps an overlay that is the container's root", () => {
    const text = 'overlay / overlay rw,relatime,lowerdir=/a 0 0\ntmpfs /dev tmpfs rw 0 0\n';
    expect(parseMounts(text)).toEqual([{ device: 'overlay', mount: '/', fstype: 'overlay' }]);
  });

  it('skips mount paths longer than the protocol allows', () => {
    expect(parseMounts(`/dev/sdb1 /${'x'.repeat(300)} ext4 rw 0 0\n`)).toEqual([]);
  });
});
