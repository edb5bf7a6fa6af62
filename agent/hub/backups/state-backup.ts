/**
 * The state backup job: the hub's state sealed with the backup key (envelope.ts) into
 * `DATA_DIR/backups/state-<time>.ucbackup`, mode 0600, keeping the newest `keep`.
 */
import { mkdir, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { State } from '../../protocol/types.js';
import { writeFileAtomic } from '../atomic-write.js';
import { loadKey, seal } from './envelope.js';

export const BACKUP_SUFFIX = '.ucbackup';

/** Backup files, oldest first (their names sort by time). */
export async function listBackups(dir: string, prefix: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => n.startsWith(prefix) && n.endsWith(BACKUP_SUFFIX)).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/** A backup's file name: `PREFIX20260101T030000000Z.ucbackup` (names sort by time). */
export const backupName = (prefix: string, now: Date) => `${prefix}${now.toISOString().replace(/[-:]/g, '').replace(/\.(\d+)Z$/, '$1Z')}${BACKUP_SUFFIX}`;

/** Which files go so that `keep` remain after one more is written (pure). */
export const rotation = (existing: readonly string[], keep: number): string[] => existing.slice(0, Math.max(0, existing.length - keep));

export async function backupState(state: State, o: { dir: string; keyFile: string; keep: number; now?: Date }): Promise<{ file: string; bytes: number; removed: string[] }> {
  const now = o.now ?? new Date();
  await mkdir(o.dir, { recursive: true, mode: 0o700 });
  const key = await loadKey(o.keyFile, true);
  const text = seal(Buffer.from(JSON.stringify(state)), key, 'state', now);
  const file = join(o.dir, backupName('state-', now));
  await writeFileAtomic(file, text, 0o600);
  const removed = rotation((await listBackups(o.dir, 'state-')), o.keep);
  for (const old of removed) await unlink(join(o.dir, old)).catch(() => {});
  return { file, bytes: text.length, removed };
}
