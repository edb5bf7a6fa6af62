/**
 * The node agent: `node dist/agent.mjs --hub ws://HOST:PORT/agent --key-file PATH [--id ID] [--type TYPE]`.
 * Streams this node's metrics to the hub until SIGTERM or SIGINT. Exit codes: 0 stopped by a
 * signal, 2 bad arguments or unreadable key file.
 */
import './v8-flags.js';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { VERSION } from '../version.js';
import { USAGE, keyFromFile, parseAgentArgs } from './args.js';
import { collectInventory } from './inventory.js';
import { startLink, type Link } from './link.js';
import { createSampler } from './sampler.js';

function log(line: string): void {
  process.stderr.write(`${new Date().toISOString()} agent: ${line}\n`);
}

function fail(message: string): never {
  process.stderr.write(`agent: ${message}\n\n${USAGE}`);
  process.exit(2);
}

const parsed = parseAgentArgs(process.argv.slice(2), process.env, os.hostname());
if ('help' in parsed) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if ('error' in parsed) fail(parsed.error);
const { config } = parsed;

let text: string;
try {
  text = readFileSync(config.keyFile, 'utf8');
} catch (e) {
  fail(`cannot read key file ${config.keyFile}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
}
const key = keyFromFile(text, config.keyFile);
if ('error' in key) fail(key.error);

let link: Link | undefined;
let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void (link?.stop() ?? Promise.resolve()).then(() => process.exit(0));
  });
}

log(`version ${VERSION} starting as ${config.serverId}, hub ${config.hub}`);
const sampler = createSampler();
const inventory = await collectInventory();
if (!stopping) {
  link = startLink({
    url: config.hub,
    hello: {
      v: 1, type: 'hello', key: key.key, serverId: config.serverId, agentVersion: VERSION,
      ...(config.serverType ? { serverType: config.serverType } : {}), inventory,
    },
    sample: () => sampler.sample(),
    log,
  });
}
