/** Secrets kept in the data directory, root-only: created once, then reused across restarts. */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from './atomic-write.js';

/** Reads `file`, or creates it with `bytes` random bytes (base64url text, mode 0600). */
export async function loadOrCreateSecret(file: string, bytes = 32): Promise<string> {
  try {
    const text = (await readFile(file, 'utf8')).trim();
    if (text.length >= 32) return text;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const secret = randomBytes(bytes).toString('base64url');
  await writeFileAtomic(file, secret + '\n', 0o600);
  return secret;
}
