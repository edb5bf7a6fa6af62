/**
 * Filesystem usage by statfs. statfs on a dead NFS or Gluster mount blocks a libuv thread until
 * the server answers, possibly forever; so each mount has at most one call in flight, a sample
 * waits for answers only briefly, and a mount that has not answered is left out.
 */
import fs from 'node:fs';

export interface DiskUsage {
  mount: string;
  total: number;
  used: number;
}

export type StatFs = (path: string) => Promise<{ blocks: number; bfree: number; bsize: number }>;

export interface DiskUsageReader {
  /** Usage of those of `mounts` that answered, in their order. */
  read(mounts: readonly string[]): Promise<DiskUsage[]>;
}

/**
 * fs.statfs came in Node 18.15: looked up at run time (a named import would stop an older Node
 * from loading the agent at all), and without it there is simply no usage to report.
 */
const nodeStatfs: StatFs | undefined = typeof fs.promises.statfs === 'function' ? (p) => fs.promises.statfs(p) : undefined;

export function createDiskUsage(statfs: StatFs | undefined = nodeStatfs, waitMs = 500): DiskUsageReader {
  if (!statfs) return { read: async () => [] };
  const stat = statfs;
  const pending = new Set<string>();
  const last = new Map<string, DiskUsage>();

  function query(mount: string): Promise<void> {
    pending.add(mount);
    return stat(mount).then(
      (s) => { last.set(mount, { mount, total: s.blocks * s.bsize, used: (s.blocks - s.bfree) * s.bsize }); },
      () => { last.delete(mount); },
    ).finally(() => pending.delete(mount));
  }

  return {
    async read(mounts) {
      for (const m of last.keys()) if (!mounts.includes(m)) last.delete(m);
      const answers = mounts.filter((m) => !pending.has(m)).map(query);
      await within(Promise.all(answers), waitMs);
      const out: DiskUsage[] = [];
      for (const m of mounts) {
        const u = last.get(m);
        if (u && !pending.has(m)) out.push(u);
      }
      return out;
    },
  };
}

/** Waits for `p` at most `ms`, without leaving a timer behind. */
function within(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => { timer = setTimeout(resolve, ms); });
  return Promise.race([p.then(() => undefined), timeout]).finally(() => clearTimeout(timer));
}
