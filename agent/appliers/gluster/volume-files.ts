/**
 * Directories inside a mounted volume (a virtual server's web root) and their other names: links
 * beside the directory (`www.example.com` → `example.com`), so that a web server serving
 * `MOUNT/HOST` finds the same files under every name of the site. Works on any mounted tree: the
 * applier calls it on a temporary mount of the volume. Nothing here follows a link out of the
 * tree, and nothing that is not ours is replaced: a name held by a file, a directory or a link to
 * something else refuses before anything changes.
 */
import { chmod, chown, lstat, mkdir, readlink, rm, symlink, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { GlusterJob } from '../../protocol/types.js';
import { ApplyError } from '../contract.js';

type MkdirJob = Extract<GlusterJob, { op: 'mkdir' }>;
type RmdirJob = Extract<GlusterJob, { op: 'rmdir' }>;

async function kindOf(path: string): Promise<'absent' | 'dir' | 'link' | 'other'> {
  try {
    const s = await lstat(path);
    return s.isSymbolicLink() ? 'link' : s.isDirectory() ? 'dir' : 'other';
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw e;
  }
}

/** Whether `path` is a link to `target` (a name beside it). */
async function linksTo(path: string, target: string): Promise<boolean> {
  return (await kindOf(path)) === 'link' && (await readlink(path)) === target;
}

/** The links among `names` beside `dir` that point at it, removed; the others are left alone. */
async function removeLinks(dir: string, names: readonly string[]): Promise<string[]> {
  const gone: string[] = [];
  for (const n of names) {
    const at = join(dirname(dir), n);
    if (await linksTo(at, basename(dir))) {
      await unlink(at);
      gone.push(n);
    }
  }
  return gone;
}

/**
 * Makes `job.path` under `root` (a directory there is kept; whether it was made now is returned),
 * its links, and removes its unlinks. Every link name is checked before anything is made.
 */
export async function makeVolumeDirectory(root: string, job: Pick<MkdirJob, 'path' | 'mode' | 'uid' | 'gid' | 'links' | 'unlinks'>): Promise<{ created: boolean; linked: string[]; unlinked: string[] }> {
  const dir = join(root, job.path);
  const name = basename(dir);
  const was = await kindOf(dir);
  if (was === 'link' || was === 'other') throw new ApplyError(`${job.path} exists on the volume and is not a directory (${was === 'link' ? 'a link' : 'a file'}): nothing was changed`);
  const links = (job.links ?? []).filter((n) => n !== name);
  for (const n of links) {
    const at = join(dirname(dir), n);
    const kind = await kindOf(at);
    if (kind === 'absent' || (kind === 'link' && (await readlink(at)) === name)) continue;
    throw new ApplyError(`${join(dirname(job.path), n).replace(/^\.\//, '')} exists on the volume and is ${kind === 'link' ? `a link to ${await readlink(at)}` : kind === 'dir' ? 'a directory' : 'a file'}: nothing was changed`);
  }
  await mkdir(dir, { recursive: true });
  if (job.mode !== undefined) await chmod(dir, job.mode);
  if (job.uid !== undefined || job.gid !== undefined) await chown(dir, job.uid ?? -1, job.gid ?? -1);
  const linked: string[] = [];
  for (const n of links) {
    const at = join(dirname(dir), n);
    if (await linksTo(at, name)) continue;
    // Relative: the link works wherever the volume is mounted.
    await symlink(name, at);
    linked.push(n);
  }
  const unlinked = await removeLinks(dir, (job.unlinks ?? []).filter((n) => !links.includes(n)));
  return { created: was === 'absent', linked, unlinked };
}

/** Removes `job.unlinks` that are links to `job.path`, then the directory and everything in it. */
export async function removeVolumeDirectory(root: string, job: Pick<RmdirJob, 'path' | 'unlinks'>): Promise<{ removed: boolean; unlinked: string[] }> {
  const dir = join(root, job.path);
  const kind = await kindOf(dir);
  if (kind === 'link' || kind === 'other') throw new ApplyError(`${job.path} on the volume is not a directory (${kind === 'link' ? 'a link' : 'a file'}): nothing was removed`);
  const unlinked = await removeLinks(dir, job.unlinks ?? []);
  if (kind === 'absent') return { removed: false, unlinked };
  await rm(dir, { recursive: true });
  return { removed: true, unlinked };
}
