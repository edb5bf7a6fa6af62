/**
 * A node joins with one pasted command: `clusterctl tokens create` prints it, and a fresh node
 * (its own network namespace, host name and mount namespace, with /etc, /opt, /var/lib and
 * /var/log overlaid on scratch directories so the host's are never written) runs exactly that
 * command as root. It fetches the installer and the agent from the hub's agent port, pinned to
 * the hub's key, installs and enrolls, and the node reports. A spent token and a wrong pin are
 * refused with a clear message and install nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Hub, deadline, requireBuild, startHub, waitFor } from './harness.js';
import { TestNetwork } from './test-network.js';

const NODE_NAME = 'uc-join-node';
const OVERLAID = ['etc', 'opt', 'var/lib', 'var/log'];
let net: TestNetwork;
let hub: Hub;
let scratch: string;
let address: string;

beforeAll(async () => {
  TestNetwork.requireRoot();
  scratch = mkdtempSync(join(tmpdir(), 'uc-join-'));
  net = new TestNetwork();
  net.up();
  address = net.add('node', 10).address;
  // The agent port listens on the test network alone; the API on loopback.
  hub = await startHub({ env: { AGENT_HOST: net.hostAddress } });
}, deadline(120_000));

afterAll(async () => {
  for (const run of ['first', 'again', 'pin']) {
    const pidFile = join(scratch, run, 'up/var/lib/unlimited-cluster/agent.pid');
    if (existsSync(pidFile)) net.track(Number(readFileSync(pidFile, 'utf8')));
  }
  await net?.down();
  await hub?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** `clusterctl tokens create ARGS` against the hub, as an admin would run it. */
function tokensCreate(...args: string[]): string {
  const r = spawnSync(process.execPath, [requireBuild('clusterctl.mjs'), 'tokens', 'create', ...args], {
    encoding: 'utf8',
    env: { ...process.env, CLUSTERCTL_HUB: hub.url, CLUSTERCTL_USER: 'admin', CLUSTERCTL_PASSWORD: hub.adminPassword },
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

/** The command the report tells the admin to run on the node. */
const commandIn = (report: string) => /^ {2}(curl .*)$/m.exec(report)?.[1];

/**
 * Runs `command` as root on a fresh node: the node's network namespace, its own host name, and
 * a private mount namespace where /etc, /opt, /var/lib and /var/log are overlays on scratch
 * directories of this `run`, /tmp is empty and /run/systemd hidden (systemd is not this node's).
 */
function onNode(run: string, command: string): Promise<{ status: number | null; out: string }> {
  const mounts = OVERLAID.map((d) => {
    const up = join(scratch, run, 'up', d);
    const work = join(scratch, run, 'work', d);
    return `mkdir -p ${up} ${work} && mount -t overlay overlay -o lowerdir=/${d},upperdir=${up},workdir=${work} /${d}`;
  });
  const setup = [
    'set -e', 'mount --make-rprivate /', ...mounts, 'mount -t tmpfs tmpfs /tmp',
    'if [ -d /run/systemd ]; then mount -t tmpfs tmpfs /run/systemd; fi', `hostname ${NODE_NAME}`,
    'exec sh -c "$UC_COMMAND"',
  ].join('\n');
  return new Promise((resolve, reject) => {
    const child = net.spawn('node', 'unshare', ['--mount', '--uts', 'sh', '-c', setup], { UC_COMMAND: command });
    child.on('error', reject);
    child.on('exit', (status) => resolve({ status, out: child.output() }));
  });
}

it('prints one command that installs, enrolls and starts the agent on a fresh node', async () => {
  const report = tokensCreate('--type', 'database', '--label', 'zone=a');
  expect(report).not.toMatch(/Warning/);
  const command = commandIn(report);
  expect(command, report).toMatch(/^curl -sS --pinnedpubkey 'sha256\/\/[A-Za-z0-9+/=]{44}' -k -H 'Authorization: Bearer uc1\.\S+' 'https:\/\/[\d.]+:\d+\/join' \| sh$/);
  expect(command).toContain(`https://${net.hostAddress}:`);

  const run = await onNode('first', command!);
  expect(run.out).toMatch(/enrolled with wss:\/\//);
  expect(run.status, run.out).toBe(0);

  const server = await waitFor('the node to report', async () => {
    const r = await hub.api('GET', `/api/servers/${NODE_NAME}`);
    return r.status === 200 && r.body.metrics ? r.body : undefined;
  }, 120_000);
  expect(server).toMatchObject({ type: 'database', labels: { zone: 'a' }, address, agent: { inventory: { hostname: NODE_NAME } } });
  expect(server.status).toMatch(/^(active|warning)$/);
  // Installed on the node (in its overlays), root-only identity, the token gone from its settings.
  expect(existsSync(join(scratch, 'first/up/opt/unlimited-cluster/agent.mjs'))).toBe(true);
  expect(readFileSync(join(scratch, 'first/up/etc/unlimited-cluster/agent.env'), 'utf8')).not.toContain('UC_JOIN_TOKEN');
  // Nothing reached the host's own directories.
  expect(existsSync('/opt/unlimited-cluster')).toBe(false);
  expect(existsSync('/etc/unlimited-cluster')).toBe(false);
  expect(existsSync('/var/lib/unlimited-cluster/agent.json')).toBe(false);

  // The token was for one node: pasting the command again is refused, saying why.
  const again = await onNode('again', command!);
  expect(again.status).toBe(1);
  expect(again.out).toMatch(/the hub refused the join token/);
  expect(existsSync(join(scratch, 'again/up/opt/unlimited-cluster'))).toBe(false);
}, deadline(240_000));

it('fetches nothing from a hub whose key is not the pinned one', async () => {
  const command = commandIn(tokensCreate())!;
  const wrongPin = command.replace(/sha256\/\/[A-Za-z0-9+/=]{44}/, `sha256//${Buffer.alloc(32, 7).toString('base64')}`);
  const before = (await hub.api('GET', '/api/servers')).body.length;
  const run = await onNode('pin', wrongPin);
  expect(run.out).toMatch(/public key does not match pinned public key/);
  expect(run.out).not.toMatch(/install\.sh|enrolled/);
  expect(existsSync(join(scratch, 'pin/up/opt/unlimited-cluster'))).toBe(false);
  expect((await hub.api('GET', '/api/servers')).body.length).toBe(before);
  // Its token is still unused: the hub never saw it.
  expect((await hub.api('GET', '/api/join-tokens')).body).toHaveLength(1);
}, deadline(120_000));
