/**
 * Wires the hub together: store, live metrics, auth, the HTTP API and UI, the browser socket and
 * the agent socket. `startHub` is used by main.ts, the standalone launcher and the tests.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Services } from './api/context.js';
import { FULL_ACL } from './auth/acl.js';
import { Authenticator } from './auth/authenticate.js';
import { LoginLimiter } from './auth/login-limiter.js';
import { generatePassword, hashPassword } from './auth/passwords.js';
import { Sessions } from './auth/sessions.js';
import { TicketVerifier } from './auth/tickets.js';
import { addUser } from './auth/users.js';
import type { HubConfig } from './config.js';
import { httpHandler } from './http/server.js';
import { sendJson } from './http/respond.js';
import { Live } from './live/live.js';
import { loadOrCreateSecret } from './secrets.js';
import { AgentGateway } from './sockets/agent-gateway.js';
import { BrowserSockets } from './sockets/browser-sockets.js';
import { Store } from './store.js';

export interface RunningHub {
  svc: Services;
  httpPort: number;
  agentPort: number;
  /** Set when this start created the first admin with a generated password (shown once). */
  generatedAdminPassword?: string;
  stop(): Promise<void>;
}

/** Creates the `admin` user on first start; returns the generated password, if one was made. */
async function ensureAdmin(store: Store, password: string | undefined): Promise<string | undefined> {
  if (store.state.users.length) return undefined;
  const pw = password ?? generatePassword();
  const hash = await hashPassword(pw);
  await store.update((s) => addUser(s, { name: 'admin', passwordHash: hash, acl: FULL_ACL }));
  return password ? undefined : pw;
}

function listen(server: HttpServer, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startHub(config: HubConfig, log: (msg: string) => void = (m) => console.error(`[hub] ${m}`)): Promise<RunningHub> {
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const store = await Store.open(join(config.dataDir, 'state.json'));
  const generatedAdminPassword = await ensureAdmin(store, config.adminPassword);
  const ticketSecret = Buffer.from(await loadOrCreateSecret(join(config.dataDir, 'ticket.secret')));
  const agentKey = await loadOrCreateSecret(join(config.dataDir, 'agent.key'));

  const live = new Live(config.thresholds);
  live.syncModel(store.state);
  store.on('change', (next) => live.syncModel(next));
  const sessions = new Sessions();
  const svc: Services = {
    store, live, sessions, log,
    authenticator: new Authenticator(sessions, () => store.state),
    limiter: new LoginLimiter(),
    ticketSecret,
    secureCookies: false,
  };

  const browsers = new BrowserSockets(svc, new TicketVerifier(ticketSecret));
  const http = createServer(httpHandler(svc, config.uiRoot));
  http.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://hub').pathname === '/ws') browsers.handleUpgrade(req, socket, head);
    else socket.destroy();
  });

  const agents = new AgentGateway(svc, agentKey);
  const agentHttp = createServer((_req, res) => sendJson(res, 404, { error: { code: 'not_found', message: 'agents connect by WebSocket to /agent' } }));
  agentHttp.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://hub').pathname === '/agent') agents.handleUpgrade(req, socket, head);
    else socket.destroy();
  });

  const ticker = setInterval(() => live.tick(), 1000);
  const httpPort = await listen(http, config.httpHost, config.httpPort);
  const agentPort = await listen(agentHttp, config.agentHost, config.agentPort);

  return {
    svc, httpPort, agentPort, generatedAdminPassword,
    async stop() {
      clearInterval(ticker);
      browsers.close();
      agents.close();
      await Promise.all([http, agentHttp].map((s) => new Promise((r) => {
        s.close(r);
        s.closeAllConnections();
      })));
    },
  };
}
