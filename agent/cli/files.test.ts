import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseJsonFile, readInput, writeOutput } from './files.js';
import { fakeIo } from './test-io.js';

const dir = mkdtempSync(join(tmpdir(), 'clusterctl-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('files', () => {
  it('writes atomically with the asked mode, replacing an older, wider file', async () => {
    const file = join(dir, 'backup.json');
    writeFileSync(file, 'old', { mode: 0o644 });
    await writeOutput(fakeIo(), file, '{"new":true}\n', 0o600);
    expect(readFileSync(file, 'utf8')).toBe('{"new":true}\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['backup.json']);
  });

  it('writes - to stdout and reads - from stdin', async () => {
    const io = fakeIo({ stdin: '{"a":1}' });
    await writeOutput(io, '-', 'text');
    expect(io.stdout).toEqual(['text']);
    expect(await readInput(io, '-')).toBe('{"a":1}');
  });

  it('names the file in errors', async () => {
    await expect(readInput(fakeIo(), join(dir, 'nope.json'))).rejects.toThrow(`cannot read ${join(dir, 'nope.json')}: no such file or directory`);
    await expect(writeOutput(fakeIo(), join(dir, 'no-dir', 'x.json'), 'x')).rejects.toThrow(/^cannot write .*no-dir\/x\.json: no such file or directory$/);
    expect(() => parseJsonFile('m.json', '{"a":\n')).toThrow(/^m\.json is not JSON: [^\n]*$/);
  });
});
