#!/usr/bin/env node
// Builds everything into dist/: the UI with Vite, and the hub, agent, clusterctl and standalone
// launcher as single-file Node 18+ bundles (a node needs nothing but Node to run the agent), and
// the installer the hub hands to joining nodes.
import { build as esbuild } from 'esbuild';
import { build as vite } from 'vite';
import { copyFileSync, readFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const { version } = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));

const entries = {
  hub: 'agent/hub/main.ts',
  agent: 'agent/node/main.ts',
  clusterctl: 'agent/cli/clusterctl.ts',
  standalone: 'agent/standalone.ts',
};

await Promise.all(Object.entries(entries).map(([name, entry]) => esbuild({
  entryPoints: [`${root}${entry}`],
  outfile: `${root}dist/${name}.mjs`,
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'esm',
  // ws loads these optional native helpers inside try/catch; without them it uses plain JS.
  external: ['bufferutil', 'utf-8-validate'],
  // CommonJS dependencies (ws, systeminformation) call require() for Node's built-ins.
  banner: { js: "import { createRequire as __ucRequire } from 'node:module'; const require = __ucRequire(import.meta.url);" },
  define: { __UC_VERSION__: JSON.stringify(version) },
  legalComments: 'none',
  logLevel: 'warning',
})));

// The hub serves the installer with the agent to nodes that join (agent/hub/http/join-endpoint.ts).
copyFileSync(`${root}install.sh`, `${root}dist/install.sh`);

await vite({ configFile: `${root}ui/vite.config.ts`, logLevel: 'warn' });
console.log(`built dist/ (version ${version})`);
