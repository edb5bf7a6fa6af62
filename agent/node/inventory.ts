/**
 * What the agent tells the hub about its node in hello. systeminformation runs shell commands
 * and weighs a few MB, so it is imported only here, on demand, and only once per process: the
 * inventory is collected at start and reused for every reconnect.
 */
import os from 'node:os';
import type { Systeminformation } from 'systeminformation';
import type { Inventory } from '../protocol/types.js';

/** What systeminformation answered; any part may be missing when its command failed. */
export interface RawInventory {
  os?: Pick<Systeminformation.OsData, 'distro' | 'release' | 'kernel' | 'arch'>;
  cpu?: Pick<Systeminformation.CpuData, 'manufacturer' | 'brand' | 'cores'>;
  memTotal?: number;
  disks?: Array<Pick<Systeminformation.DiskLayoutData, 'device' | 'name' | 'size'>>;
  interfaces?: Array<Pick<Systeminformation.NetworkInterfacesData, 'iface' | 'ip4' | 'ip6' | 'mac' | 'internal' | 'virtual'>>;
}

/** Maps systeminformation's answers onto the protocol, falling back to node:os, within the schema's limits. */
export function toInventory(raw: RawInventory): Inventory {
  const cpus = os.cpus();
  const inv: Inventory = {
    hostname: cut(os.hostname(), 253),
    os: cut(raw.os ? `${raw.os.distro} ${raw.os.release}`.trim() : `${os.type()} ${os.release()}`, 128),
    kernel: cut(raw.os?.kernel || os.release(), 128),
    arch: cut(raw.os?.arch || os.arch(), 32),
    cpuModel: cut(raw.cpu ? `${raw.cpu.manufacturer} ${raw.cpu.brand}`.trim() : (cpus[0]?.model ?? ''), 128),
    cores: Math.min(65536, Math.max(0, Math.trunc(raw.cpu?.cores || cpus.length))),
    memTotal: raw.memTotal || os.totalmem(),
  };
  if (raw.disks) {
    inv.disks = raw.disks.slice(0, 64).map((d) => ({
      name: cut(d.device || d.name, 128),
      size: Math.max(0, d.size || 0),
      ...(d.name ? { model: cut(d.name, 128) } : {}),
    }));
  }
  if (raw.interfaces) {
    inv.interfaces = ownInterfaces(raw.interfaces).slice(0, 64).map((i) => ({
      name: cut(i.iface, 64),
      ...(i.ip4 ? { ip4: cut(i.ip4, 64) } : {}),
      ...(i.ip6 ? { ip6: cut(i.ip6, 64) } : {}),
      ...(i.mac ? { mac: cut(i.mac, 64) } : {}),
    }));
  }
  return inv;
}

/** Asks systeminformation, giving up on whatever has not answered after `timeoutMs`. */
export async function collectInventory(timeoutMs = 15_000): Promise<Inventory> {
  const raw: RawInventory = {};
  const work = (async () => {
    const si = await import('systeminformation');
    await Promise.allSettled([
      si.osInfo().then((v) => { raw.os = v; }),
      si.cpu().then((v) => { raw.cpu = v; }),
      si.mem().then((v) => { raw.memTotal = v.total; }),
      si.diskLayout().then((v) => { raw.disks = v; }),
      si.networkInterfaces().then((v) => { raw.interfaces = Array.isArray(v) ? v : [v]; }),
    ]);
  })().catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise((r) => { timer = setTimeout(r, timeoutMs); })]);
  clearTimeout(timer);
  return toInventory({ ...raw });
}

/**
 * The node's own interfaces: not loopback, and not virtual ones (a Docker host has a veth per
 * container, which would swell the hello past the hub's frame limit) unless a container's
 * veth is all there is.
 */
function ownInterfaces<I extends { internal: boolean; virtual: boolean }>(all: I[]): I[] {
  const external = all.filter((i) => !i.internal);
  const physical = external.filter((i) => !i.virtual);
  return physical.length ? physical : external;
}

function cut(s: string, max: number): string {
  return s.length > max ? s.slice(0, max) : s;
}
