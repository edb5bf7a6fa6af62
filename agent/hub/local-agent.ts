/**
 * The hub's own host on its diagram: an agent process for this machine, enrolled with a one-use
 * join token on its first start, restarted if it dies, stopped with the hub. `npm start` always
 * runs it; the hub alone (dist/hub.mjs, the Webmin service) when LOCAL_AGENT=1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { idFromHostname } from '../node/args.js';
import { bundleDir, type HubConfig } from './config.js';
import { createJoinToken } from './enroll/join-tokens.js';
import type { RunningHub } from './hub.js';

/** Exit code of an agent the hub refused for good (agent/node/refusal.ts): restarting cannot help. */
const REFUSED = 3;

/**
 * The URL the local agent dials: the agent port's own address (AGENT_HOST), or loopback when
 * the port listens on every address. Never the public URL: that may be a NAT or proxy address.
 */
export function localAgentUrl(agentHost: string, agentPort: number): string {
  const host = agentHost.replace(/^\[|\]$/g, '');
  const dial = host === '' || host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `wss://${dial.includes(':') ? `[${dial}]` : dial}:${agentPort}/agent`;
}

export function keepLocalAgent(hub: RunningHub, config: HubConfig, log: (msg: string) => void = (m) => console.error(`[local agent] ${m}`)): void {
  const stateFile = join(config.dataDir, 'local-agent.json');
  const url = localAgentUrl(config.agentHost, hub.agentPort);
  let child: ChildProcess | undefined;
  let stopping = false;
  let restarts = 0;

  /**
   * A fresh one-use token while the local agent has no identity yet, in its environment rather
   * than on its command line (which every local user can read with ps). When this machine's
   * server exists already (its identity file was lost), the token re-enrolls that server.
   */
  const enrollEnv = async (): Promise<NodeJS.ProcessEnv> => {
    if (existsSync(stateFile)) return {};
    let token = '';
    const localId = idFromHostname(hostname());
    await hub.svc.store.update((s) => {
      const known = s.servers.some((x) => x.id === localId);
      const r = createJoinToken(s, { ...(known ? { serverId: localId } : {}), uses: 1, expiresInMinutes: 10 }, 'local agent', hub.caFingerprint);
      token = r.token;
      return r.state;
    });
    return { UC_JOIN_TOKEN: token };
  };

  const start = async () => {
    const args = [join(bundleDir(config), 'agent.mjs'), '--hub', url, '--state-file', stateFile];
    child = spawn(process.execPath, args, { env: { ...process.env, ...(await enrollEnv()) }, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', (code, signal) => {
      if (stopping) return;
      if (code === REFUSED) return log(`the hub refused this host's agent for good (its reason is above); it is not restarted`);
      const delay = Math.min(30_000, 1000 * 2 ** restarts++);
      log(`exited (${signal ?? code}); restarting in ${delay / 1000} s`);
      setTimeout(() => void start().catch((e: Error) => log(`cannot start: ${e.message}`)), delay).unref();
    });
  };
  void start().catch((e: Error) => log(`cannot start: ${e.message}`));

  const stop = () => {
    stopping = true;
    child?.kill('SIGTERM');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
