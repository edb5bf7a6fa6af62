/**
 * Which network interfaces and block devices count towards the throughput totals. Virtual
 * devices (bridges, veth, bonds, ifb, VLANs; loop, zram, device-mapper, md RAID) carry traffic
 * that a physical device also counts, so summing them would double it. sysfs says which is
 * which: a virtual device's link points under devices/virtual/.
 */

/** A /sys/class/net or /sys/block entry: its name and where its symlink points. */
export type SysLink = readonly [name: string, target: string];

export function physicalNames(links: readonly SysLink[]): Set<string> {
  return new Set(links.filter(([, target]) => !target.includes('/devices/virtual/')).map(([name]) => name));
}

/**
 * Interfaces to count: the physical ones, or, where there are none (containers see only a
 * veth or venet), every interface except loopback.
 */
export function interfaceFilter(links: readonly SysLink[]): (name: string) => boolean {
  const physical = physicalNames(links);
  return physical.size ? (name) => physical.has(name) : (name) => name !== 'lo';
}

const VIRTUAL_DISK = /^(loop|ram|zram|dm-|md|nbd|sr|fd)/;
const WHOLE_DISK_NAME = /^(sd[a-z]+|vd[a-z]+|xvd[a-z]+|hd[a-z]+|nvme\d+n\d+|mmcblk\d+)$/;

/**
 * Block devices to count: physical whole disks from /sys/block (it lists no partitions). Where
 * sysfs shows none physical, the non-virtual names it lists; where it is unreadable, names
 * that look like whole disks.
 */
export function diskFilter(links: readonly SysLink[]): (name: string) => boolean {
  const physical = physicalNames(links);
  if (physical.size) return (name) => physical.has(name);
  const listed = new Set(links.map(([name]) => name).filter((name) => !VIRTUAL_DISK.test(name)));
  if (listed.size) return (name) => listed.has(name);
  return (name) => WHOLE_DISK_NAME.test(name);
}
