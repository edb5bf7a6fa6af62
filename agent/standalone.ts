/**
 * `npm start`: the standalone dashboard — a hub on http://127.0.0.1:8080 plus an agent for this
 * machine, restarted if it dies, stopped with the hub.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fail, runHub } from './hub/run.js';

const here = fileURLToPath(new URL('.', import.meta.url));

async function main(): Promise<void> {
  const { hub, config } = await runHub();
  let child: ChildProcess | undefined;
  let stopping = false;
  let restarts = 0;

  const startAgent = () => {
    const args = [join(here, 'agent.mjs'), '--hub', `ws://127.0.0.1:${hub.agentPort}/agent`, '--key-file', join(config.dataDir, 'agent.key')];
    child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', (code, signal) => {
      if (stopping) return;
      const delay = Math.min(30_000, 1000 * 2 ** restarts++);
      console.error(`[standalone] local agent exited (${signal ?? code}); restarting in ${delay / 1000} s`);
      setTimeout(startAgent, delay).unref();
    });
  };
  startAgent();
  console.log(`Dashboard: http://${config.httpHost}:${hub.httpPort}/  (user "admin"${config.adminPassword ? ', password from ADMIN_PASSWORD' : ''})`);

  const stop = () => {
    stopping = true;
    child?.kill('SIGTERM');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch(fail);
