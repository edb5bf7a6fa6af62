/** Runs the hub with settings from the environment until SIGINT/SIGTERM (dist/hub.mjs, standalone). */
import { fileURLToPath } from 'node:url';
import { ConfigError, configFromEnv } from './config.js';
import { startHub } from './hub.js';
import { StateFileError } from './store.js';

export async function runHub(env: NodeJS.ProcessEnv = process.env) {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const config = configFromEnv(env, { uiRoot: `${here}ui`, dataDir: `${process.cwd()}/data`, bundleDir: here });
  const hub = await startHub(config);
  console.log(`Unlimited Cluster hub: http://${config.httpHost}:${hub.httpPort}/ (agents: ${hub.svc.agentUrl}, data: ${config.dataDir})`);
  if (hub.generatedAdminPassword) {
    console.log(`First start: log in as "admin" with password ${hub.generatedAdminPassword}`);
    console.log('(shown once; set ADMIN_PASSWORD before the first start to choose it)');
  }
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await hub.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return { hub, config };
}

export function fail(e: unknown): never {
  if (e instanceof StateFileError || e instanceof ConfigError) console.error(`hub: ${e.message}`);
  else if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') console.error(`hub: ${(e as Error).message} (another hub running? choose other ports with HUB_PORT and AGENT_PORT)`);
  else console.error(e);
  process.exit(1);
}
