/**
 * A node in its own network namespace, reached through a veth pair made here: it enrolls with a
 * join token and reports metrics over TLS to a hub that listens for agents on the host's end.
 * Traffic stays between the two ends of that veth (checked with `ip route get` first).
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Hub, freePort, joinToken, requireBuild, startHub, waitFor } from './harness.js';

const IP = '/usr/sbin/ip';
const tag = randomBytes(3).toString('hex');
const ns = `uc-test-${tag}`;
const hostIf = `uch${tag}`;
const nodeIf = `ucn${tag}`;
const octet = 16 + (parseInt(tag, 16) % 200);
const hostAddr = `10.213.${octet}.1`;
const nodeAddr = `10.213.${octet}.2`;

const ip = (...args: string[]) => execFileSync(IP, args, { encoding: 'utf8' });
let hub: Hub | undefined;
let agentPid: number | undefined;

beforeAll(async () => {
  if (!existsSync(IP)) throw new Error(`${IP} is missing: install iproute2 (bash build/test-deps.sh does)`);
  if (process.getuid?.() !== 0) throw new Error('this test makes network namespaces and needs root');
  ip('netns', 'add', ns);
  ip('link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nodeIf);
  ip('link', 'set', nodeIf, 'netns', ns);
  ip('addr', 'add', `${hostAddr}/30`, 'dev', hostIf);
  ip('link', 'set', hostIf, 'up');
  ip('netns', 'exec', ns, IP, 'addr', 'add', `${nodeAddr}/30`, 'dev', nodeIf);
  ip('netns', 'exec', ns, IP, 'link', 'set', nodeIf, 'up');
  ip('netns', 'exec', ns, IP, 'link', 'set', 'lo', 'up');
  // Both directions must use this veth, or packets would leave the machine.
  expect(ip('route', 'get', nodeAddr)).toContain(`dev ${hostIf}`);
  expect(ip('netns', 'exec', ns, IP, 'route', 'get', hostAddr)).toContain(`dev ${nodeIf}`);
  hub = await startHub({ env: { AGENT_HOST: hostAddr, AGENT_PORT: String(await freePort()) } });
});

afterAll(async () => {
  if (agentPid) {
    try { process.kill(agentPid, 'SIGKILL'); } catch { /* already gone */ }
  }
  await hub?.stop();
  try { ip('netns', 'del', ns); } catch { /* never made */ }
  try { ip('link', 'del', hostIf); } catch { /* went with the namespace */ }
});

describe('a node in another network namespace', () => {
  it('enrolls with a join token and reports metrics over TLS', async () => {
    const agentUrl = `wss://${hostAddr}:${new URL(hub!.agentUrl).port}/agent`;
    const token = await joinToken(hub!, { type: 'database' });
    const stateFile = join(hub!.dataDir, 'ns-node.json');
    // `ip netns exec` execs the agent, so this PID is the agent's own.
    const agent = spawn(IP, ['netns', 'exec', ns, process.execPath, requireBuild('agent.mjs'), '--hub', agentUrl, '--token', token, '--state-file', stateFile, '--id', 'ns-node'], { stdio: ['ignore', 'pipe', 'pipe'] });
    agentPid = agent.pid;
    let out = '';
    agent.stderr.on('data', (d) => (out += d));
    const server = await waitFor('ns-node to report', async () => {
      const r = await hub!.api('GET', '/api/servers/ns-node');
      return r.status === 200 && r.body.metrics ? r.body : null;
    }, 20_000).catch((e) => { throw new Error(`${e}\n--- agent ---\n${out}\n--- hub ---\n${hub!.output()}`); });
    expect(server).toMatchObject({ type: 'database', address: nodeAddr, status: expect.stringMatching(/^(active|warning)$/) });
    expect(out).toMatch(/enrolled as ns-node/);
    expect(hub!.output()).toContain(`agent 'ns-node' enrolled from ${nodeAddr}`);
  });
});
