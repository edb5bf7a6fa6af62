/**
 * Takes one metrics sample from /proc, /sys and statfs, keeping the previous counters to turn
 * them into rates. Everything is read synchronously: procfs files are generated in memory, so
 * a sync read is cheaper than a round trip through the libuv thread pool; only statfs, which
 * can block on a network filesystem, is asynchronous.
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import type { MetricsSample } from '../protocol/types.js';
import { summedRate } from './proc/counters.js';
import { cpuPercent, parseCpuTimes, type CpuTimes } from './proc/cpu.js';
import { diskFilter, interfaceFilter, type SysLink } from './proc/devices.js';
import { parseDiskstats } from './proc/diskstats.js';
import { parseLoadavg } from './proc/loadavg.js';
import { parseMeminfo } from './proc/memory.js';
import { parseMounts } from './proc/mounts.js';
import { parseNetDev, type ByteCounters } from './proc/netdev.js';
import { parseTcpInUse } from './proc/sockstat.js';
import { parseUptime } from './proc/uptime.js';
import { createDiskUsage, type StatFs } from './disk-usage.js';

export interface SamplerOptions {
  /** Roots of procfs and sysfs (tests point them at fixtures). */
  proc?: string;
  sys?: string;
  statfs?: StatFs;
  /** Monotonic milliseconds. */
  now?: () => number;
  /** How often the mount table and the device lists are re-read. */
  refreshMs?: number;
}

export interface Sampler {
  sample(): Promise<MetricsSample>;
}

/** The schema allows at most this many filesystems per sample. */
const MAX_DISKS = 64;

interface Counters {
  at: number;
  cpu: CpuTimes;
  net: ByteCounters;
  disk: ByteCounters;
}

export function createSampler(opts: SamplerOptions = {}): Sampler {
  const { proc = '/proc', sys = '/sys', now = () => performance.now(), refreshMs = 60_000 } = opts;
  const usage = createDiskUsage(opts.statfs);
  const read = (path: string) => readText(`${proc}/${path}`);

  let refreshedAt = -Infinity;
  let mounts: string[] = [];
  let isInterface = (_: string) => false;
  let isDisk = (_: string) => false;

  /** Filesystems and devices change rarely: re-read their lists once a minute, not every second. */
  function refresh(t: number): void {
    if (t - refreshedAt < refreshMs) return;
    refreshedAt = t;
    mounts = parseMounts(read('mounts')).map((m) => m.mount).slice(0, MAX_DISKS);
    isInterface = interfaceFilter(sysLinks(`${sys}/class/net`));
    isDisk = diskFilter(sysLinks(`${sys}/block`));
  }

  function counters(): Counters {
    const at = now();
    refresh(at);
    return {
      at,
      cpu: parseCpuTimes(read('stat')),
      net: parseNetDev(read('net/dev'), isInterface),
      disk: parseDiskstats(read('diskstats'), isDisk),
    };
  }

  // Read once now, so the first sample already has rates.
  let prev = counters();

  return {
    async sample() {
      const ts = Date.now();
      const before = prev;
      const cur = (prev = counters());
      const secs = (cur.at - before.at) / 1000;
      const rate = (a: Map<string, number>, b: Map<string, number>) => Math.round(summedRate(a, b, secs));
      return {
        ts,
        cpu: round2(cpuPercent(before.cpu, cur.cpu)),
        mem: parseMeminfo(read('meminfo')),
        diskIO: { readBps: rate(before.disk.rx, cur.disk.rx), writeBps: rate(before.disk.tx, cur.disk.tx) },
        net: { rxBps: rate(before.net.rx, cur.net.rx), txBps: rate(before.net.tx, cur.net.tx) },
        load: parseLoadavg(read('loadavg')),
        uptime: parseUptime(read('uptime')),
        tcp: parseTcpInUse(read('net/sockstat'), read('net/sockstat6')),
        // Last: the only part that waits, after every counter above was read at the same moment.
        disks: await usage.read(mounts),
      };
    },
  };
}

/** A file's text, or '' when it does not exist (no IPv6, a hidden sysfs in a container). */
function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** Entries of a sysfs class directory with their link targets; [] when unreadable. */
function sysLinks(dir: string): SysLink[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.map((name): SysLink => {
    try {
      return [name, readlinkSync(`${dir}/${name}`)];
    } catch {
      return [name, ''];
    }
  });
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

