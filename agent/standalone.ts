/**
 * `npm start`: the standalone dashboard — a hub on http://127.0.0.1:8080 plus an agent for this
 * machine, enrolled with a one-use join token on first start, restarted if it dies, stopped with
 * the hub.
 */
import './hub/v8-flags.js';
import { keepLocalAgent } from './hub/local-agent.js';
import { fail, runHub } from './hub/run.js';

async function main(): Promise<void> {
  const { hub, config } = await runHub();
  keepLocalAgent(hub, config);
  console.log(`Dashboard: http://${config.httpHost}:${hub.httpPort}/  (user "admin"${config.adminPassword ? ', password from ADMIN_PASSWORD' : ''})`);
}

main().catch(fail);
