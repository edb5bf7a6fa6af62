/** The module's Perl under `prove` (module/t), with its output when something fails. */
import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';

it('prove -r module/t passes', () => {
  const root = new URL('..', import.meta.url).pathname;
  const r = spawnSync('prove', ['-r', 't'], { cwd: `${root}module`, encoding: 'utf8', timeout: 300_000 });
  if (r.error) throw new Error(`prove could not run (${r.error.message}); build/test-deps.sh installs it`);
  expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  expect(r.stdout).toMatch(/All tests successful/);
}, 300_000);
