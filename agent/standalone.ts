/**
 * `npm start`: the standalone dashboard — a hub on http://127.0.0.1:8080 plus an agent for this
 * machine, enrolled with a one-use join token on first start, restarted if it dies, stopped with
 * the hub.
 */
import './hub/v8-flags.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createJoinToken } from './hub/enroll/join-tokens.js';
import { fail, runHub } from './hub/run.js';
import { idFromHostname } from './node/args.js';

const here = fileURLToPath(new URL('.', import.meta.url));

async function main(): Promise<void> {
  const { hub, config } = await runHub();
  const stateFile = join(config.dataDir, 'local-agent.json');
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
      const r = createJoinToken(s, { ...(known ? { serverId: localId } : {}), uses: 1, expiresInMinutes: 10 }, 'standalone', hub.caFingerprint);
      token = r.token;
      return r.state;
    });
    return { UC_JOIN_TOKEN: token };
  };

  const startAgent = async () => {
    const args = [join(here, 'agent.mjs'), '--hub', `wss://127.0.0.1:${hub.agentPort}/agent`, '--state-file', stateFile];
    child = spawn(process.execPath, args, { env: { ...process.env, ...(await enrollEnv()) }, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', (code, signal) => {
      if (stopping) return;
      const delay = Math.min(30_000, 1000 * 2 ** restarts++);
      console.error(`[standalone] local agent exited (${signal ?? code}); restarting in ${delay / 1000} s`);
      setTimeout(() => void startAgent().catch(fail), delay).unref();
    });
  };
  await startAgent();
  console.log(`Dashboard: http://${config.httpHost}:${hub.httpPort}/  (user "admin"${config.adminPassword ? ', password from ADMIN_PASSWORD' : ''})`);

  const stop = () => {
    stopping = true;
    child?.kill('SIGTERM');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch(fail);
