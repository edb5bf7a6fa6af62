/** The .wbm package: one top directory with every file Webmin needs, executable CGIs, the built UI and bundles. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
let dir: string;
let mod: string;
let listing: string[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'uc-wbm-test-'));
  const wbm = join(dir, 'unlimited-cluster.wbm.gz');
  execFileSync('node', [`${root}build/wbm.mjs`, wbm]);
  listing = execFileSync('tar', ['-tzf', wbm], { encoding: 'utf8' }).trim().split('\n');
  execFileSync('tar', ['-xzf', wbm, '-C', dir]);
  mod = join(dir, 'unlimited-cluster');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('has the single top directory unlimited-cluster/', () => {
  expect(new Set(listing.map((p) => p.split('/')[0]))).toEqual(new Set(['unlimited-cluster']));
});

it('holds every file Webmin needs and the module is made of', () => {
  for (const f of [
    'module.info', 'config-debian-linux', 'config.info', 'defaultacl', 'acl_security.pl', 'lang/en', 'help/intro.html',
    'images/icon.gif', 'install_check.pl', 'postinstall.pl', 'uninstall.pl', 'log_parser.pl', 'index.cgi', 'nph-api.cgi',
    'nph-ticket.cgi', 'unlimited-cluster-lib.pl', 'service-lib.pl', 'hubctl.pl', 'hub.mjs', 'agent.mjs', 'clusterctl.mjs', 'install.sh',
    'virtual_feature.pl', 'help/virtualmin.html',
  ]) expect(statSync(join(mod, f)).size, f).toBeGreaterThan(0);
  const assets = readdirSync(join(mod, 'ui/assets'));
  expect(assets.filter((a) => /^main-[\w-]+\.js$/.test(a))).toHaveLength(1);
  expect(assets.filter((a) => /^main-[\w-]+\.css$/.test(a))).toHaveLength(1);
  expect(readFileSync(join(mod, 'images/icon.gif')).subarray(0, 6).toString()).toBe('GIF89a');
});

it('leaves out the tests and the standalone page', () => {
  expect(listing.filter((p) => /\/t\/|\.test\.|README|ui\/index\.html/.test(p))).toEqual([]);
});

it('has executable CGIs and a module.info Webmin accepts', () => {
  for (const f of readdirSync(mod).filter((f) => f.endsWith('.cgi') || f === 'hubctl.pl')) {
    expect(statSync(join(mod, f)).mode & 0o755, f).toBe(0o755);
    expect(readFileSync(join(mod, f), 'utf8'), f).toMatch(/^#!\/\S*perl\n/);
  }
  const info = Object.fromEntries(readFileSync(join(mod, 'module.info'), 'utf8').trim().split('\n').map((l) => l.split(/=(.*)/s).slice(0, 2)));
  const { version } = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string };
  expect(info).toMatchObject({ desc: 'Unlimited Cluster', category: 'cluster', version });
  expect(info['os_support']?.split(' ')).toEqual(expect.arrayContaining(['debian-linux', 'ubuntu-linux']));
  expect(Number(info['depends'])).toBeGreaterThanOrEqual(2);
});

it('every Perl file compiles', () => {
  // The libraries need WebminCore: the prove stand-in provides it, as in module/t.
  for (const f of readdirSync(mod).filter((f) => /\.(pl|cgi)$/.test(f))) {
    execFileSync('perl', ['-c', `-I${root}module/t/lib`, '-MWebminStandIn', f], { cwd: mod, stdio: 'pipe' });
  }
});
