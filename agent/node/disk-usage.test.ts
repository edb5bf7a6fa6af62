import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDiskUsage, type StatFs } from './disk-usage.js';

const dir = mkdtempSync(join(tmpdir(), 'uc-du-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('createDiskUsage', () => {
  it('reports total and used bytes from statfs (used = blocks - bfree)', async () => {
    const statfs: StatFs = async () => ({ blocks: 1000, bfree: 250, bsize: 4096 });
    expect(await createDiskUsage(statfs).read(['/data'])).toEqual([{ mount: '/data', total: 4096000, used: 3072000 }]);
  });

  it('reads a real filesystem', async () => {
    const [u] = await createDiskUsage().read([dir]);
    expect(u?.mount).toBe(dir);
    expect(u!.total).toBeGreaterThan(0);
    expect(u!.used).toBeGreaterThanOrEqual(0);
    expect(u!.used).toBeLessThanOrEqual(u!.total);
  });

  it('leaves out a mount that fails or hangs, and never has two calls in flight for one mount', async () => {
    const calls: string[] = [];
    const statfs: StatFs = (path) => {
      calls.push(path);
      if (path === '/nfs') return new Promise(() => {}); // a server that never answers
      if (path === '/gone') return Promise.reject(new Error('ENOENT'));
      return Promise.resolve({ blocks: 10, bfree: 5, bsize: 1 });
    };
    const reader = createDiskUsage(statfs, 20);
    const mounts = ['/', '/nfs', '/gone'];
    expect(await reader.read(mounts)).toEqual([{ mount: '/', total: 10, used: 5 }]);
    expect(await reader.read(mounts)).toEqual([{ mount: '/', total: 10, used: 5 }]);
    expect(calls.filter((c) => c === '/nfs')).toHaveLength(1);
    expect(calls.filter((c) => c === '/')).toHaveLength(2);
  });
});
