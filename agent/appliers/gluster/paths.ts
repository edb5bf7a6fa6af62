/** The Gluster applier's programs and files, from the environment (tests point them into namespaces and temp dirs). */
import { tmpdir } from 'node:os';

export interface GlusterPaths {
  /** The gluster CLI (talks to the local glusterd through /run/glusterd.socket). */
  bin: string;
  mountBin: string;
  umountBin: string;
  /** Where managed client mounts are persisted (a backup of the previous file is kept beside it). */
  fstab: string;
  /** What is mounted now, as this process sees it. */
  procMounts: string;
  /** Where temporary mounts go (making a directory inside a volume). */
  tmpDir: string;
}

export function glusterPaths(env: Record<string, string | undefined>): GlusterPaths {
  return {
    bin: env['UC_GLUSTER_BIN'] ?? '/usr/sbin/gluster',
    mountBin: env['UC_MOUNT_BIN'] ?? '/usr/bin/mount',
    umountBin: env['UC_UMOUNT_BIN'] ?? '/usr/bin/umount',
    fstab: env['UC_FSTAB'] ?? '/etc/fstab',
    procMounts: env['UC_PROC_MOUNTS'] ?? '/proc/self/mounts',
    tmpDir: env['UC_GLUSTER_TMP'] ?? tmpdir(),
  };
}
