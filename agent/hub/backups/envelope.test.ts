import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyState } from '../empty-state.js';
import { loadKey, open, seal } from './envelope.js';
import { backupState, rotation } from './state-backup.js';

const dirs: string[] = [];
const tmp = () => { const d = mkdtempSync(join(tmpdir(), 'uc-bk-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

describe('backup envelope', () => {
  it('seals with AES-256-GCM and opens only with the same key, unaltered', async () => {
    const key = await loadKey(join(tmp(), 'k'), true);
    const e = JSON.parse(seal(Buffer.from('{"secret":"passwordHash"}'), key, 'state'));
    expect(e).toMatchObject({ format: 'unlimited-cluster-backup', cipher: 'aes-256-gcm', content: 'state' });
    expect(JSON.stringify(e)).not.toContain('passwordHash');
    expect(open(e, key).toString()).toBe('{"secret":"passwordHash"}');
    const other = await loadKey(join(tmp(), 'k2'), true);
    expect(() => open(e, other)).toThrow(/sealed with another key/);
    const flipped = Buffer.from(e.data, 'base64');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => open({ ...e, data: flipped.toString('base64') }, key)).toThrow(/damaged or was altered/);
    expect(() => open({ ...e, content: 'other' }, key)).toThrow(/damaged or was altered/);
  });

  it('keeps the key root-only and rotates the backups keeping N', async () => {
    const dir = tmp();
    const keyFile = join(dir, 'backup.key');
    const made: string[] = [];
    for (let i = 0; i < 4; i++) made.push((await backupState(emptyState(), { dir: join(dir, 'backups'), keyFile, keep: 2, now: new Date(Date.UTC(2026, 0, 1, 0, 0, i)) })).file);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'backups')).sort()).toEqual(made.slice(2).map((f) => f.split('/').pop()).sort());
    expect(statSync(made[3]!).mode & 0o777).toBe(0o600);
    const state = JSON.parse(open(JSON.parse(readFileSync(made[3]!, 'utf8')), await loadKey(keyFile)).toString());
    expect(state.format).toBe('unlimited-cluster-state');
    expect(rotation(['a', 'b', 'c'], 2)).toEqual(['a']);
    expect(rotation(['a'], 2)).toEqual([]);
  });
});
