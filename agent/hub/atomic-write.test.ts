import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { writeAll, writeFileAtomic } from './atomic-write.js';

const dir = mkdtempSync(join(tmpdir(), 'uc-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('writes a file from pieces, in order, however many there are, root-only and with no temp file left', async () => {
  const pieces = Array.from({ length: 3000 }, (_, i) => Buffer.from(`${i},`.repeat(i % 7)));
  const file = join(dir, 'state.json');
  await writeFileAtomic(file, 'old');
  await writeFileAtomic(file, pieces);
  expect(readFileSync(file).equals(Buffer.concat(pieces))).toBe(true);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(readdirSync(dir)).toEqual(['state.json']);
});

it('carries on where a short write stopped', async () => {
  const pieces = Array.from({ length: 2500 }, (_, i) => Buffer.from(`<${i}>`));
  const written: Buffer[] = [];
  // A disk that takes at most 7 bytes a call (and sometimes 0 of an empty piece).
  const fh = {
    async writev(buffers: Uint8Array[]) {
      const all = Buffer.concat(buffers);
      const n = Math.min(7, all.length);
      written.push(all.subarray(0, n));
      return { bytesWritten: n, buffers };
    },
  };
  await writeAll(fh as never, [Buffer.alloc(0), ...pieces, Buffer.alloc(0)]);
  expect(Buffer.concat(written).equals(Buffer.concat(pieces))).toBe(true);
});
