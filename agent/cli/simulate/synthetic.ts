/**
 * Made-up but plausible nodes for the fleet simulator: each has a fixed inventory and a metrics
 * profile derived from its index (so a rerun presents the same machine, and its hello changes
 * nothing on the hub), and samples that drift smoothly around that profile. Cheap: a sample is a
 * few multiplications and one small object.
 *
 * Most nodes stay well below the hub's warning and alert thresholds (CPU under ~75 %, memory and
 * disks under ~80 %) so a demo fleet is mostly green; one node in 500 runs hot (CPU ~93 %: warning).
 */
import type { Inventory, MetricsSample, ServerType } from '../../protocol/types.js';

const GIB = 1024 ** 3;
const CPU_MODELS = ['Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz', 'AMD EPYC 7543 32-Core Processor', 'Intel(R) Xeon(R) E-2388G CPU @ 3.20GHz', 'AMD EPYC 9254 24-Core Processor'];
const CORES = [2, 4, 8, 16, 32];
const MEM_GIB = [2, 4, 8, 16, 32, 64];
/** A web-heavy mix, as hosting fleets are. */
const TYPES: readonly ServerType[] = ['web', 'web', 'web', 'web', 'web', 'database', 'database', 'cache', 'loadbalancer', 'dns', 'filesystem', 'monitoring', 'backup', 'security'];

/** Deterministic [0, 1) numbers from a seed (mulberry32). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
const round1 = (n: number) => Math.round(n * 10) / 10;

export interface SyntheticNode {
  /** What it asks to be when it enrolls (a join token's type wins). */
  readonly type: ServerType;
  readonly inventory: Inventory;
  /** A sample taken at `now` (ms since the epoch). */
  sample(now: number): MetricsSample;
}

export function syntheticNode(index: number, hostname: string): SyntheticNode {
  const r = seeded(index * 2654435761 + 1);
  const cores = pick(r, CORES);
  const memTotal = pick(r, MEM_GIB) * GIB;
  const rootSize = Math.round((20 + r() * 80) * GIB);
  const dataSize = r() < 0.5 ? Math.round((100 + r() * 900) * GIB) : 0;
  const hot = index % 500 === 7;
  const cpuBase = hot ? 93 : 5 + r() * 45;
  const cpuAmp = hot ? 2 : 3 + r() * 12;
  const periodMs = (60 + r() * 540) * 1000;
  const phase = r() * 2 * Math.PI;
  const memFrac = 0.2 + r() * 0.5;
  const swapTotal = r() < 0.5 ? 2 * GIB : 0;
  const rootFrac = 0.1 + r() * 0.6;
  const dataFrac = 0.1 + r() * 0.6;
  const netBase = 1e4 + r() * 5e6;
  const ioBase = 1e3 + r() * 2e6;
  const tcpBase = 20 + Math.floor(r() * 400);
  const bootAt = Date.now() - Math.floor((1 + r() * 200) * 86_400_000);
  const octet = (n: number) => (index >> n) & 255;
  const inventory: Inventory = {
    hostname,
    os: 'Debian GNU/Linux 12 (bookworm)',
    kernel: '6.1.0-28-amd64',
    arch: 'x64',
    cpuModel: pick(r, CPU_MODELS),
    cores,
    memTotal,
    disks: [{ name: 'vda', size: rootSize + dataSize }],
    interfaces: [{ name: 'eth0', ip4: `10.${octet(16) & 63}.${octet(8)}.${octet(0)}` }],
  };
  return {
    type: TYPES[index % TYPES.length]!,
    inventory,
    sample(now) {
      const wave = Math.sin((now / periodMs) * 2 * Math.PI + phase);
      const cpu = Math.min(100, Math.max(0, cpuBase + cpuAmp * wave + (Math.random() - 0.5) * 4));
      const disks = [{ mount: '/', total: rootSize, used: Math.round(rootSize * rootFrac) }];
      if (dataSize) disks.push({ mount: '/srv', total: dataSize, used: Math.round(dataSize * dataFrac) });
      const load1 = (cpu / 100) * cores;
      return {
        ts: now,
        cpu: round1(cpu),
        mem: { total: memTotal, used: Math.round(memTotal * (memFrac + 0.05 * wave)), swapTotal, swapUsed: swapTotal ? Math.round(swapTotal * 0.05) : 0 },
        disks,
        diskIO: { readBps: Math.round(ioBase * (0.5 + Math.random())), writeBps: Math.round(ioBase * (0.3 + Math.random())) },
        net: { rxBps: Math.round(netBase * (0.6 + Math.random() * 0.8)), txBps: Math.round(netBase * (0.4 + Math.random() * 0.8)) },
        load: [round1(load1), round1(load1 * 0.9), round1(load1 * 0.8)],
        uptime: Math.floor((now - bootAt) / 1000),
        tcp: tcpBase + Math.floor(Math.random() * 20),
      };
    },
  };
}
