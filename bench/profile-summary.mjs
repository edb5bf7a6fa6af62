#!/usr/bin/env node
// Summarizes a V8 .cpuprofile (node --cpu-prof): the functions with the most self time, and the
// most inclusive time, optionally only between two timestamps (µs on the monotonic clock, as
// bench/fleet.mjs prints them with HUB_CPU_PROF; a negative number is seconds before the
// profile's end). Usage:
//   node bench/profile-summary.mjs FILE.cpuprofile [FROM_US TO_US] [TOP]
import { readFileSync } from 'node:fs';

const [file, fromArg, toArg, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/profile-summary.mjs FILE.cpuprofile [FROM_US TO_US] [TOP]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
const at = (arg, fallback) => (!arg ? fallback : Number(arg) < 0 ? profile.endTime + Number(arg) * 1e6 : Number(arg));
const from = at(fromArg, -Infinity);
const to = at(toArg, Infinity);
const top = Number(topArg ?? 40);

const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = (n) => {
  const f = n.callFrame;
  const where = f.url ? `${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}` : '';
  return `${f.functionName || '(anonymous)'} ${where}`.trim();
};

const self = new Map();
const total = new Map();
let t = profile.startTime;
let counted = 0;
let idle = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const dt = profile.timeDeltas[i] ?? 0;
  t += dt;
  if (t < from || t > to) continue;
  const id = profile.samples[i];
  const node = nodes.get(id);
  const name = label(node);
  if (name.startsWith('(idle)')) { idle += dt; continue; }
  counted += dt;
  self.set(name, (self.get(name) ?? 0) + dt);
  const seen = new Set();
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const l = label(nodes.get(at));
    if (seen.has(l)) continue;
    seen.add(l);
    total.set(l, (total.get(l) ?? 0) + dt);
  }
}
const ms = (us) => (us / 1000).toFixed(0).padStart(7);
const pct = (us) => ((100 * us) / counted).toFixed(1).padStart(5);
console.log(`busy ${ms(counted)} ms, idle ${ms(idle)} ms`);
console.log('\nself time:');
for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${ms(us)} ms ${pct(us)} %  ${name}`);
console.log('\ninclusive time:');
for (const [name, us] of [...total].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${ms(us)} ms ${pct(us)} %  ${name}`);
