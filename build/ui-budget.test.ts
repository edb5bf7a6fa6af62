/** The product brief's budget: at most 100 KB of gzipped JavaScript for the whole built UI. */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const BUDGET = 100 * 1024;
const dir = new URL('../dist/ui/assets/', import.meta.url).pathname;

describe('the UI bundle', () => {
  it('is at most 100 KB of gzipped JavaScript', () => {
    if (!existsSync(dir)) throw new Error(`${dir} is missing: run "npm run build" first (npm test does)`);
    const files = readdirSync(dir).filter((f) => f.endsWith('.js'));
    expect(files.length).toBeGreaterThan(0);
    const total = files.reduce((n, f) => n + gzipSync(readFileSync(join(dir, f)), { level: 9 }).length, 0);
    console.log(`UI JavaScript: ${files.length} file(s), ${(total / 1024).toFixed(1)} KB gzipped of ${BUDGET / 1024} KB`);
    expect(total).toBeLessThanOrEqual(BUDGET);
  });
});
