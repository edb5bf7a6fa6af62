import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../version.js';
import { check, validators } from '../protocol/validate.js';
import { collectInventory, toInventory } from './inventory.js';

const hello = (inventory: unknown) => ({ v: 1, type: 'hello', credential: 'c', serverId: 'node1', agentVersion: VERSION, inventory });

describe('toInventory', () => {
  it("maps systeminformation's answers onto the protocol", () => {
    const inv = toInventory({
      os: { distro: 'Debian GNU/Linux', release: '12', kernel: '6.1.0-18-amd64', arch: 'x64' },
      cpu: { manufacturer: 'AMD', brand: 'EPYC 7B13', cores: 8 },
      memTotal: 16e9,
      disks: [{ device: '/dev/sda', name: 'Samsung SSD 870', size: 5e11 }],
      interfaces: [
        { iface: 'lo', ip4: '127.0.0.1', ip6: '::1', mac: '00:00:00:00:00:00', internal: true, virtual: false },
        { iface: 'eth0', ip4: '10.0.0.5', ip6: '', mac: '02:fc:00:00:00:01', internal: false, virtual: false },
        { iface: 'docker0', ip4: '172.17.0.1', ip6: '', mac: '02:42:00:00:00:01', internal: false, virtual: true },
      ],
    });
    expect(inv).toEqual({
      hostname: os.hostname(), os: 'Debian GNU/Linux 12', kernel: '6.1.0-18-amd64', arch: 'x64',
      cpuModel: 'AMD EPYC 7B13', cores: 8, memTotal: 16e9,
      disks: [{ name: '/dev/sda', size: 5e11, model: 'Samsung SSD 870' }],
      interfaces: [{ name: 'eth0', ip4: '10.0.0.5', mac: '02:fc:00:00:00:01' }],
    });
  });

  it("lists a container's virtual interfaces when it has no other", () => {
    const inv = toInventory({ interfaces: [{ iface: 'eth0', ip4: '172.17.0.2', ip6: '', mac: '', internal: false, virtual: true }] });
    expect(inv.interfaces).toEqual([{ name: 'eth0', ip4: '172.17.0.2' }]);
  });

  it('falls back to node:os for what systeminformation could not tell', () => {
    const inv = toInventory({});
    expect(inv.kernel).toBe(os.release());
    expect(inv.cores).toBe(os.cpus().length);
    expect(inv.memTotal).toBe(os.totalmem());
    expect(inv.disks).toBeUndefined();
  });

  it('cuts what exceeds the schema so the hub does not refuse the hello', () => {
    const inv = toInventory({
      cpu: { manufacturer: 'X', brand: 'y'.repeat(500), cores: 4 },
      interfaces: Array.from({ length: 300 }, (_, i) => ({ iface: `veth${i}`, ip4: '', ip6: '', mac: '', internal: false, virtual: true })),
    });
    expect(inv.cpuModel).toHaveLength(128);
    expect(inv.interfaces).toHaveLength(64);
    expect(check(validators.agentFirstFrame, hello(inv))).toMatchObject({ ok: true });
  });
});

describe('collectInventory', () => {
  it("describes this machine in a hello the hub accepts", async () => {
    const inv = await collectInventory();
    expect(check(validators.agentFirstFrame, hello(inv))).toMatchObject({ ok: true });
    expect(inv.memTotal).toBe(os.totalmem());
    expect(inv.kernel).toBe(os.release());
    expect(inv.cores).toBeGreaterThan(0);
  });
});
