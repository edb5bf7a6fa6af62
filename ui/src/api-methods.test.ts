/**
 * Inside Webmin every API call passes miniserv, which refuses PUT and SEARCH outside WebDAV
 * paths before any CGI runs (miniserv-lib.pl: 400 "Bad Request method PUT"; the module's Perl
 * stand-in, module/t/lib/UCTest.pm, does the same). So no call the UI makes may use them.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const MINISERV_REFUSES = ['PUT', 'SEARCH'];
const src = new URL('.', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

it('the UI calls the API only with methods miniserv passes', () => {
  const calls: { file: string; method: string }[] = [];
  let unknown = 0;
  for (const file of sources(src)) {
    const text = readFileSync(file, 'utf8');
    // Every API request goes through api.ts's call(base, METHOD, path, body).
    for (const m of text.matchAll(/(?<!function )\bcall<[^>]*>\(\s*[^,]+,\s*([^,]+),/g)) {
      const lit = /^'([A-Z]+)'$/.exec(m[1]!.trim());
      if (lit) calls.push({ file: file.slice(src.length), method: lit[1]! }); else unknown++;
    }
  }
  expect(unknown, 'a call() whose method is not a literal cannot be checked').toBe(0);
  expect(calls.length).toBeGreaterThan(10);
  expect(calls.filter((c) => MINISERV_REFUSES.includes(c.method))).toEqual([]);
});
