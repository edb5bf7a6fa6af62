/** File edges shared by appliers: read, hash, validate in a temp file, replace with a backup. */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../hub/atomic-write.js';

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The file's text, or '' when it does not exist yet. */
export async function readOrEmpty(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw e;
  }
}

export interface RunResult { code: number; output: string }

/** Runs a command without a shell; resolves with its exit code and output (never rejects on exit codes). */
export function run(cmd: string, args: string[], timeoutMs = 20_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      const output = `${stdout}${stderr}`.trim() || (err && typeof err.code !== 'number' ? err.message : '');
      resolve({ code, output });
    });
  });
}

/**
 * Checks `text` with the real tool before it goes anywhere near the live file: written to a temp
 * file beside it, `check(tempPath)` runs, the temp file goes. Resolves with the tool's complaint,
 * or null when it is valid.
 */
export async function validateText(file: string, text: string, check: (path: string) => Promise<RunResult>): Promise<string | null> {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.uc-check-${randomBytes(4).toString('hex')}`;
  await writeFile(temp, text, { mode: 0o600 });
  try {
    const r = await check(temp);
    return r.code === 0 ? null : r.output.split(temp).join(file) || `exit code ${r.code}`;
  } finally {
    await unlink(temp).catch(() => {});
  }
}

export const backupPath = (file: string) => `${file}.uc-previous`;

/** Keeps the current text as the backup, then replaces the file atomically. */
export async function replaceWithBackup(file: string, current: string, next: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFileAtomic(backupPath(file), current);
  await writeFileAtomic(file, next);
}

/** Puts the previous text back (or removes a file that did not exist before). */
export async function restore(file: string, previous: string): Promise<void> {
  if (previous === '') await unlink(file).catch(() => {});
  else await writeFileAtomic(file, previous);
}
