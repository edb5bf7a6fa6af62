/**
 * Replaces a file so that a reader (or a crash) sees either the old or the new content, never a
 * mix: write a temp file beside it, fsync, rename over, fsync the directory.
 */
import { randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export const TEMP_MARK = '.tmp-';

export function tempPathFor(file: string): string {
  return join(dirname(file), `${basename(file)}${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** `data` as a string, bytes, or bytes in pieces (written in order, as one file). */
export async function writeFileAtomic(file: string, data: string | Uint8Array | readonly Uint8Array[], mode = 0o600): Promise<void> {
  const temp = tempPathFor(file);
  const fh = await open(temp, 'wx', mode);
  try {
    if (Array.isArray(data)) await writeAll(fh, data);
    else await fh.writeFile(data as string | Uint8Array);
    await fh.sync();
  } catch (e) {
    await fh.close();
    await unlink(temp).catch(() => {});
    throw e;
  }
  await fh.close();
  try {
    await rename(temp, file);
  } catch (e) {
    await unlink(temp).catch(() => {});
    throw e;
  }
  // The rename itself is durable only once the directory entry is on disk.
  const dir = await open(dirname(file), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

/** Writes the pieces one after the other, however many each write takes. */
export async function writeAll(fh: Pick<FileHandle, 'writev'>, pieces: readonly Uint8Array[]): Promise<void> {
  let i = 0;
  let first = pieces[0];
  while (i < pieces.length) {
    const batch = [first!, ...pieces.slice(i + 1, i + 1024)];
    let { bytesWritten } = await fh.writev(batch);
    if (bytesWritten === 0 && batch.some((b) => b.length)) throw new Error('the disk took nothing (writev wrote 0 bytes)');
    for (const b of batch) {
      if (bytesWritten < b.length) {
        first = b.subarray(bytesWritten);
        break;
      }
      bytesWritten -= b.length;
      first = pieces[++i];
    }
  }
}
