import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write.js';

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
