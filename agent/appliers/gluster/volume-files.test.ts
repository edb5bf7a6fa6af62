/** Web roots and their links on a plain directory (the applier runs the same code on a temporary mount of the volume). */
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeVolumeDirectory, removeVolumeDirectory } from './volume-files.js';

let root: string;
beforeEach(() => { root = mkdtempSync(join(tmpdir(), 'uc-volfiles-')); });
afterEach(() => rmSync(root, { recursive: true, force: true }));
const list = async () => (await readdir(root)).sort();

describe('a web root on the volume', () => {
  it('is made with its other names as relative links beside it, and kept when it exists', async () => {
    expect(await makeVolumeDirectory(root, { path: 'shop.example.com', links: ['www.shop.example.com', 'shop.example.net'] }))
      .toEqual({ created: true, linked: ['www.shop.example.com', 'shop.example.net'], unlinked: [] });
    expect(readlinkSync(join(root, 'www.shop.example.com'))).toBe('shop.example.com');
    writeFileSync(join(root, 'shop.example.com', 'index.html'), 'hello');
    expect(readFileSync(join(root, 'shop.example.net', 'index.html'), 'utf8')).toBe('hello');
    // Again, as a rename does: a new name, an old one gone, the files untouched.
    expect(await makeVolumeDirectory(root, { path: 'shop.example.com', links: ['www.shop.example.com', 'store.example.com'], unlinks: ['shop.example.net'] }))
      .toEqual({ created: false, linked: ['store.example.com'], unlinked: ['shop.example.net'] });
    expect(await list()).toEqual(['shop.example.com', 'store.example.com', 'www.shop.example.com']);
    expect(readFileSync(join(root, 'store.example.com', 'index.html'), 'utf8')).toBe('hello');
  });

  it('refuses a name that is something else, before anything is made', async () => {
    mkdirSync(join(root, 'other.example.com'));
    symlinkSync('other.example.com', join(root, 'www.other.example.com'));
    await expect(makeVolumeDirectory(root, { path: 'shop.example.com', links: ['www.shop.example.com', 'other.example.com'] }))
      .rejects.toThrow('other.example.com exists on the volume and is a directory: nothing was changed');
    await expect(makeVolumeDirectory(root, { path: 'shop.example.com', links: ['www.other.example.com'] }))
      .rejects.toThrow('www.other.example.com exists on the volume and is a link to other.example.com: nothing was changed');
    await expect(makeVolumeDirectory(root, { path: 'www.other.example.com' })).rejects.toThrow(/is not a directory \(a link\)/);
    expect(await list()).toEqual(['other.example.com', 'www.other.example.com']);
    // Unlinks only take links to this directory.
    await makeVolumeDirectory(root, { path: 'shop.example.com', unlinks: ['www.other.example.com', 'other.example.com'] });
    expect(await list()).toEqual(['other.example.com', 'shop.example.com', 'www.other.example.com']);
  });

  it('is removed with its links and everything in it; links of others stay', async () => {
    await makeVolumeDirectory(root, { path: 'shop.example.com', links: ['www.shop.example.com'] });
    mkdirSync(join(root, 'shop.example.com', 'a', 'b'), { recursive: true });
    writeFileSync(join(root, 'shop.example.com', 'a', 'b', 'f'), 'x');
    mkdirSync(join(root, 'other.example.com'));
    symlinkSync('other.example.com', join(root, 'alias.example.com'));
    // A link inside pointing out of the tree: removed as a link, its target untouched.
    symlinkSync(join(root, 'other.example.com'), join(root, 'shop.example.com', 'out'));
    expect(await removeVolumeDirectory(root, { path: 'shop.example.com', unlinks: ['www.shop.example.com', 'alias.example.com'] })).toEqual({ removed: true, unlinked: ['www.shop.example.com'] });
    expect(await list()).toEqual(['alias.example.com', 'other.example.com']);
    expect(lstatSync(join(root, 'other.example.com')).isDirectory()).toBe(true);
    expect(await removeVolumeDirectory(root, { path: 'shop.example.com' })).toEqual({ removed: false, unlinked: [] });
    await expect(removeVolumeDirectory(root, { path: 'alias.example.com' })).rejects.toThrow(/not a directory \(a link\): nothing was removed/);
    expect(await list()).toEqual(['alias.example.com', 'other.example.com']);
  });
});
