import { describe, expect, it } from 'vitest';
import { diskFilter, interfaceFilter, type SysLink } from './devices.js';

const NET: SysLink[] = [
  ['eth0', '../../devices/pci0000:00/0000:00:03.0/virtio2/net/eth0'],
  ['docker0', '../../devices/virtual/net/docker0'],
  ['veth1a2b', '../../devices/virtual/net/veth1a2b'],
  ['lo', '../../devices/virtual/net/lo'],
];

const BLOCK: SysLink[] = [
  ['loop0', '../devices/virtual/block/loop0'],
  ['nvme0n1', '../devices/pci0000:00/0000:00:04.0/nvme/nvme0/nvme0n1'],
  ['sda', '../devices/pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0/block/sda'],
  ['dm-0', '../devices/virtual/block/dm-0'],
  ['md0', '../devices/virtual/block/md0'],
  ['zram0', '../devices/virtual/block/zram0'],
];

const names = (f: (n: string) => boolean, all: string[]) => all.filter(f);

describe('interfaceFilter', () => {
  it('counts only physical interfaces when there are some', () => {
    expect(names(interfaceFilter(NET), ['lo', 'eth0', 'docker0', 'veth1a2b', 'eth1'])).toEqual(['eth0']);
  });

  it('counts every interface but lo in a container that has no physical one', () => {
    const links: SysLink[] = [['eth0', '../../devices/virtual/net/eth0'], ['lo', '../../devices/virtual/net/lo']];
    expect(names(interfaceFilter(links), ['lo', 'eth0', 'venet0'])).toEqual(['eth0', 'venet0']);
  });
});

describe('diskFilter', () => {
  const diskstatNames = ['loop0', 'sda', 'sda1', 'sda2', 'nvme0n1', 'nvme0n1p1', 'dm-0', 'md0', 'zram0'];

  it('counts physical whole disks, not partitions, loop, zram, device-mapper or md', () => {
    expect(names(diskFilter(BLOCK), diskstatNames)).toEqual(['sda', 'nvme0n1']);
  });

  it('falls back to the non-virtual names sysfs lists when none looks physical', () => {
    const links: SysLink[] = [['vda', '../devices/virtual/block/vda'], ['loop0', '../devices/virtual/block/loop0']];
    expect(names(diskFilter(links), ['loop0', 'vda', 'vda1'])).toEqual(['vda']);
  });

  it('falls back to whole-disk names when sysfs is unreadable', () => {
    expect(names(diskFilter([]), diskstatNames)).toEqual(['sda', 'nvme0n1']);
  });
});
