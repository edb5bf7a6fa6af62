import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check, validators } from '../protocol/validate.js';
import { createSampler } from './sampler.js';

const root = mkdtempSync(join(tmpdir(), 'uc-sampler-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fake /proc and /sys with two states of the counters. */
function fixture(): { proc: string; sys: string; step(): void } {
  const proc = join(root, 'proc');
  const sys = join(root, 'sys');
  mkdirSync(join(proc, 'net'), { recursive: true });
  mkdirSync(join(sys, 'class/net'), { recursive: true });
  mkdirSync(join(sys, 'block'), { recursive: true });
  symlinkSync('../../devices/pci0000:00/virtio2/net/eth0', join(sys, 'class/net/eth0'));
  symlinkSync('../../devices/virtual/net/docker0', join(sys, 'class/net/docker0'));
  symlinkSync('../../devices/virtual/net/lo', join(sys, 'class/net/lo'));
  symlinkSync('../devices/pci0000:00/virtio1/block/vda', join(sys, 'block/vda'));
  symlinkSync('../devices/virtual/block/loop0', join(sys, 'block/loop0'));
  const files: Record<string, [string, string]> = {
    stat: ['cpu  100 0 100 800 0 0 0 0 0 0\ncpu0 1 1 1 1\n', 'cpu  150 0 150 1700 0 0 0 0 0 0\n'],
    'net/dev': [
      'h1\nh2\n    lo: 5 0 0 0 0 0 0 0 5 0 0 0 0 0 0 0\n  eth0: 1000 0 0 0 0 0 0 0 500 0 0 0 0 0 0 0\ndocker0: 7 0 0 0 0 0 0 0 7 0 0 0 0 0 0 0\n',
      'h1\nh2\n    lo: 99 0 0 0 0 0 0 0 99 0 0 0 0 0 0 0\n  eth0: 5000 0 0 0 0 0 0 0 2500 0 0 0 0 0 0 0\ndocker0: 9999 0 0 0 0 0 0 0 9999 0 0 0 0 0 0 0\n',
    ],
    diskstats: [
      ' 254 0 vda 0 0 100 0 0 0 200 0 0 0 0\n 254 1 vda1 0 0 100 0 0 0 200 0 0 0 0\n 7 0 loop0 0 0 1 0 0 0 1 0 0 0 0\n',
      ' 254 0 vda 0 0 300 0 0 0 1000 0 0 0 0\n 254 1 vda1 0 0 300 0 0 0 1000 0 0 0 0\n 7 0 loop0 0 0 999 0 0 0 999 0 0 0 0\n',
    ],
    meminfo: ['MemTotal: 1000 kB\nMemAvailable: 400 kB\nSwapTotal: 100 kB\nSwapFree: 100 kB\n', ''],
    loadavg: ['0.10 0.20 0.30 1/100 42\n', ''],
    uptime: ['1234.5 99.0\n', ''],
    'net/sockstat': ['TCP: inuse 7 orphan 0 tw 0 alloc 8 mem 1\n', ''],
    mounts: [`proc /proc proc rw 0 0\n/dev/vda ${root} ext4 rw 0 0\n/dev/vda /elsewhere ext4 rw 0 0\n`, ''],
  };
  const write = (i: 0 | 1) => {
    for (const [name, texts] of Object.entries(files)) if (texts[i]) writeFileSync(join(proc, name), texts[i]);
  };
  write(0);
  return { proc, sys, step: () => write(1) };
}

describe('createSampler', () => {
  it('turns two readings of a fake /proc into a sample with rates over the elapsed time', async () => {
    const f = fixture();
    let t = 0;
    const sampler = createSampler({ proc: f.proc, sys: f.sys, now: () => t });
    f.step();
    t = 2000;
    const s = await sampler.sample();
    expect(s.cpu).toBe(10); // 100 busy of 1000 jiffies
    // eth0 only: lo and the docker0 bridge would count container traffic twice.
    expect(s.net).toEqual({ rxBps: 2000, txBps: 1000 });
    // vda only: not its partition, not loop0.
    expect(s.diskIO).toEqual({ readBps: (200 * 512) / 2, writeBps: (800 * 512) / 2 });
    expect(s.mem).toEqual({ total: 1024000, used: 614400, swapTotal: 102400, swapUsed: 0 });
    expect(s.load).toEqual([0.1, 0.2, 0.3]);
    expect(s.uptime).toBe(1234.5);
    expect(s.tcp).toBe(7); // sockstat6 missing: IPv4 only
    expect(s.disks.map((d) => d.mount)).toEqual([root]);
    expect(s.disks[0]!.total).toBeGreaterThan(0);
    expect(Math.abs(s.ts - Date.now())).toBeLessThan(5000);
    expect(check(validators.agentMessage, { v: 1, type: 'metrics', sample: s })).toEqual({ ok: true, value: expect.anything() });

    // Nothing changed since: every rate is 0.
    t = 3000;
    const again = await sampler.sample();
    expect([again.cpu, again.net.rxBps, again.diskIO.writeBps]).toEqual([0, 0, 0]);
  });

  it('samples the real /proc into a sample the hub accepts', async () => {
    const sampler = createSampler();
    await new Promise((r) => setTimeout(r, 50));
    const s = await sampler.sample();
    expect(check(validators.agentMessage, { v: 1, type: 'metrics', sample: s })).toMatchObject({ ok: true });
    expect(s.mem.total).toBeGreaterThan(0);
    expect(s.uptime).toBeGreaterThan(0);
    expect(s.disks.some((d) => d.mount === '/')).toBe(true);
  });
});
