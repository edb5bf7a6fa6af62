/**
 * Reading and writing the files clusterctl is given (`-` is stdin/stdout), with errors that
 * name the file and say what went wrong instead of a raw errno.
 */
import { promises as fs } from 'node:fs';
// The hub's atomic write (temp file, fsync, rename, fsync of the directory): one implementation for both.
import { writeFileAtomic } from '../hub/atomic-write.js';
import { CliError } from './errors.js';
import type { Io } from './io.js';

/** `no such file`, `permission denied`… for a Node file system error. */
export function describeFsError(e: unknown): string {
  const code = e instanceof Error ? (e as { code?: unknown }).code : undefined;
  switch (code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'it is a directory';
    case 'ENOTDIR': return 'a part of the path is not a directory';
    case 'ENOSPC': return 'no space left on the device';
    case 'EROFS': return 'read-only file system';
    case 'EEXIST': return 'it already exists';
    default: return e instanceof Error ? e.message : String(e);
  }
}

/** The text of `file`, or of stdin for `-`. */
export async function readInput(io: Io, file: string): Promise<string> {
  if (file === '-') return io.readStdin();
  try {
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${describeFsError(e)}`);
  }
}

/** Parses JSON read from `file`, naming the file when it is not JSON. */
export function parseJsonFile(file: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const where = file === '-' ? 'stdin' : file;
    // The parser quotes the text around the error, which may span lines: keep the message on one.
    throw new CliError(`${where} is not JSON: ${(e instanceof Error ? e.message : String(e)).replace(/\r?\n/g, '\\n')}`);
  }
}

/** Mode of written files unless a command asks for a narrower one. */
export const DEFAULT_FILE_MODE = 0o644;

/** Writes `text` atomically to `file` with `mode`, or to stdout for `-`. */
export async function writeOutput(io: Io, file: string, text: string, mode = DEFAULT_FILE_MODE): Promise<void> {
  if (file === '-') {
    io.out(text);
    return;
  }
  try {
    await writeFileAtomic(file, text, mode);
  } catch (e) {
    throw new CliError(`cannot write ${file}: ${describeFsError(e)}`);
  }
}
