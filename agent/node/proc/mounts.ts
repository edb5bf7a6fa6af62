/** The filesystems worth reporting usage for, from /proc/mounts. */

export interface Mount {
  device: string;
  mount: string;
  fstype: string;
}

/** Kernel and memory filesystems: no disk behind them, or one already reported elsewhere. */
const PSEUDO = new Set([
  'proc', 'sysfs', 'tmpfs', 'devtmpfs', 'devpts', 'ramfs', 'cgroup', 'cgroup2', 'squashfs',
  'securityfs', 'pstore', 'bpf', 'debugfs', 'tracefs', 'mqueue', 'hugetlbfs', 'configfs',
  'fusectl', 'autofs', 'binfmt_misc', 'rpc_pipefs', 'nsfs', 'efivarfs', 'selinuxfs', 'nfsd',
  'overlay', 'aufs', 'iso9660', 'udf', 'fuse.lxcfs', 'fuse.gvfsd-fuse', 'fuse.portal', 'fuse.snapfuse',
  'zram', 'devfs', 'none',
]);

/** The schema's limit on a mount path. */
const MAX_PATH = 256;

/** /proc/mounts escapes space, tab, newline and backslash as octal (\040 …). */
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(Number.parseInt(oct, 8)));
}

/**
 * Real filesystems, one per device: the first mount of a device wins, so bind mounts and
 * btrfs subvolumes of the same filesystem are reported once. An overlay is kept only as the
 * root (a container's /).
 */
export function parseMounts(text: string): Mount[] {
  const byDevice = new Map<string, Mount>();
  for (const line of text.split('\n')) {
    const [dev, dir, fstype] = line.split(' ');
    if (!dev || !dir || !fstype) continue;
    const mount = unescape(dir);
    if (PSEUDO.has(fstype) && !(fstype === 'overlay' && mount === '/')) continue;
    if (mount.length > MAX_PATH) continue;
    const device = unescape(dev);
    if (!byDevice.has(device)) byDevice.set(device, { device, mount, fstype });
  }
  return [...byDevice.values()];
}
