#!/usr/bin/env node
// Packs the Webmin module: dist/unlimited-cluster.wbm.gz, a gzipped tar whose one top directory
// unlimited-cluster/ holds module.info, config-debian-linux, the module's Perl (module/, without
// its tests), the built UI (ui/) and the hub, agent and clusterctl bundles. Run after the build
// (npm run build:wbm does both). An optional argument names another output file.
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = resolve(process.argv[2] ?? `${root}dist/unlimited-cluster.wbm.gz`);
const { version } = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
// install.sh: the hub hands it with agent.mjs to nodes that join.
const BUNDLES = ['hub.mjs', 'agent.mjs', 'clusterctl.mjs', 'install.sh'];
for (const f of [...BUNDLES, 'ui/index.html']) {
  if (!existsSync(`${root}dist/${f}`)) throw new Error(`dist/${f} is missing: run npm run build first`);
}

const stage = mkdtempSync(join(tmpdir(), 'uc-wbm-'));
const mod = join(stage, 'unlimited-cluster');
try {
  // Not the tests (module/t, *.test.*) nor the developers' README: only what Webmin runs.
  cpSync(`${root}module`, mod, { recursive: true, filter: (src) => !/\/module\/(t|README\.md)$|\.test\.[^/]+$/.test(src) });
  // module.info carries the package's version, so Webmin shows what is installed.
  const info = readFileSync(`${root}module.info`, 'utf8').replace(/^version=.*$/m, `version=${version}`);
  writeFileSync(join(mod, 'module.info'), info);
  cpSync(`${root}config-debian-linux`, join(mod, 'config-debian-linux'));
  for (const f of BUNDLES) cpSync(`${root}dist/${f}`, join(mod, f));
  // Only the assets: the standalone page (index.html) has no place inside Webmin.
  cpSync(`${root}dist/ui/assets`, join(mod, 'ui/assets'), { recursive: true });
  // Webmin runs CGIs and scripts directly: they must be executable; the rest is plain data.
  for (const f of readdirSync(mod)) {
    const p = join(mod, f);
    if (statSync(p).isFile()) chmodSync(p, /\.(cgi)$|^hubctl\.pl$/.test(f) ? 0o755 : 0o644);
  }
  execFileSync('tar', ['-czf', out, '-C', stage, '--owner=0', '--group=0', '--numeric-owner', '--sort=name', 'unlimited-cluster']);
  console.log(`built ${out.replace(root, '')} (version ${version})`);
} finally {
  rmSync(stage, { recursive: true, force: true });
}
