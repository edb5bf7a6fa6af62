/**
 * Wires the hub together: store, live metrics, auth, the HTTP API and UI, the browser socket and
 * the agent socket. `startHub` is used by main.ts, the standalone launcher and the tests.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Services } from './api/context.js';
import { VERSION } from '../version.js';
import { FULL_ACL } from './auth/acl.js';
import { Authenticator } from './auth/authenticate.js';
import { LoginLimiter } from './auth/login-limiter.js';
import { limitLog } from './log-limiter.js';
import { MAX_PENDING_HANDSHAKES, limitHandshakes } from './sockets/handshake-limit.js';
import { generatePassword, hashPassword } from './auth/passwords.js';
import { Sessions } from './auth/sessions.js';
import { TicketVerifier } from './auth/tickets.js';
import { addUser } from './auth/users.js';
import type { HubConfig } from './config.js';
import { AlertService } from './alerts/service.js';
import { mailSettingsFromEnv } from './alerts/sendmail.js';
import { listenGateway } from './http/gateway-socket.js';
import { httpHandler } from './http/server.js';
import { sendJson } from './http/respond.js';
import { ConnectionLatency } from './latency/connection-latency.js';
import { Live } from './live/live.js';
import { MetricsEndpoint } from './prometheus/endpoint.js';
import { loadOrCreatePki } from './pki/pki.js';
import { loadOrCreateSecret } from './secrets.js';
import { AgentGateway } from './sockets/agent-gateway.js';
import { BrowserSockets } from './sockets/browser-sockets.js';
import { LbLive } from './jobs/lb-live.js';
import { Plans } from './jobs/plans.js';
import { Store } from './store.js';
import { HubLogRing } from './log-ring.js';
import { RecentDeletions } from './recent-deletions.js';
import { Refusals } from './audit/entries.js';

export interface RunningHub {
  svc: Services;
  httpPort: number;
  caFingerprint: string;
  agentPort: number;
  /** Set when this start created the first admin with a generated password (shown once). */
  generatedAdminPassword?: string;
  /** Alert rules at work; `alerts.hooks.on('scale_up' | 'failover', fn)` subscribes to named hooks. */
  alerts: AlertService;
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

export async function startHub(config: HubConfig, print: (msg: string) => void = (m) => console.error(`[hub] ${m}`)): Promise<RunningHub> {
  // Past the log budget lines are only counted (log-limiter.ts); each line kept is redacted once,
  // kept in the ring (GET /api/logs) and printed.
  const logRing = new HubLogRing();
  const log = limitLog((msg: string) => print(logRing.push(msg)));
  const startedAt = Date.now();
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const store = await Store.open(join(config.dataDir, 'state.json'));
  const generatedAdminPassword = await ensureAdmin(store, config.adminPassword);
  const ticketSecret = Buffer.from(await loadOrCreateSecret(join(config.dataDir, 'ticket.secret')));
  const pki = await loadOrCreatePki(join(config.dataDir, 'pki'), config.agentTlsNames);

  const live = new Live(config.thresholds);
  live.syncModel(store.state);
  store.on('change', (next) => live.syncModel(next));
  const latency = new ConnectionLatency();
  latency.syncModel(store.state);
  store.on('change', (next) => latency.syncModel(next));
  const lbLive = new LbLive();
  let browsers: BrowserSockets | undefined;
  const agents = new AgentGateway({
    store, live, latency, log,
    // Each report (at most one a second per node, on a change or a heartbeat) goes to the
    // browsers of every load-balanced cluster the node is in: a silent node turns stale there.
    onLbStatus: (id, status) => {
      lbLive.record(id, status);
      for (const c of store.state.clusters) {
        if (c.loadBalancer && c.servers.includes(id)) browsers?.publish(c.name, { v: 1, type: 'lb-status', status: lbLive.view(store.state, c) });
      }
    },
  });
  store.on('change', (next) => {
    agents.syncCredentials(next);
    agents.syncProbeTargets(next);
  });
  const sessions = new Sessions();
  const plans = new Plans({
    store,
    runJob: (id, kind, opts) => agents.runJob(id, kind, opts),
    onChange: (plan) => browsers?.publish(plan.cluster, { v: 1, type: 'plan', plan }),
  });
  let gatewayListening = false;
  const svc: Services = {
    store, live, latency, sessions, log, agents, plans, lbLive, logRing,
    deletions: new RecentDeletions(),
    refusals: new Refusals(),
    diagnostics: {
      dataDir: config.dataDir, stateFile: store.file, startedAt, gatewayListening: () => gatewayListening,
      certPem: pki.chainPem, caPem: pki.caPem, ...(config.gatewaySocket ? { gatewaySocket: config.gatewaySocket } : {}),
    },
    caFingerprint: pki.caFingerprint,
    agentUrl: '', // set once the agent port is known
    authenticator: new Authenticator(sessions, () => store.state),
    limiter: new LoginLimiter(),
    ticketSecret,
    secureCookies: false,
  };

  browsers = new BrowserSockets(svc, new TicketVerifier(ticketSecret));
  let browserSockets = 0; // open /ws connections, for /metrics
  const metrics = new MetricsEndpoint(svc, { browserClients: () => browserSockets });
  const http = createServer(httpHandler(svc, config.uiRoot, metrics.handle));
  http.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://hub').pathname !== '/ws') return socket.destroy();
    browserSockets++;
    socket.once('close', () => browserSockets--);
    browsers.handleUpgrade(req, socket, head);
  });

  // TLS only; a client that has not finished its handshake in 10 s is dropped.
  const agentHttp = createHttpsServer(
    { key: pki.keyPem, cert: pki.chainPem, minVersion: 'TLSv1.2', handshakeTimeout: 10_000 },
    (_req, res) => sendJson(res, 404, { error: { code: 'not_found', message: 'agents connect by WebSocket to /agent' } }),
  );
  // The socket may already be gone (a handshake timeout): its address is then unknown.
  limitHandshakes(agentHttp, MAX_PENDING_HANDSHAKES, (n) => log(`agent port: ${n} TLS handshakes under way, closed a new connection (the agent will retry)`));
  agentHttp.on('tlsClientError', (e, socket) => log(`agent TLS${socket.remoteAddress ? ` from ${socket.remoteAddress}` : ''}: ${e.message}`));
  agentHttp.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://hub').pathname === '/agent') agents.handleUpgrade(req, socket, head);
    else socket.destroy();
  });

  const alerts = new AlertService({ store, live, log, mail: config.mail ?? mailSettingsFromEnv(process.env) });
  const ticker = setInterval(() => {
    live.tick();
    latency.tick();
    void alerts.tick();
  }, 1000);
  const httpPort = await listen(http, config.httpHost, config.httpPort);
  const agentPort = await listen(agentHttp, config.agentHost, config.agentPort);
  svc.agentUrl = config.agentPublicUrl ?? `wss://${config.agentHost}:${agentPort}/agent`;
  const servers = [http, agentHttp];
  if (config.gatewaySocket) {
    const gateway = await listenGateway(svc, config.uiRoot, config.gatewaySocket);
    gatewayListening = true;
    gateway.once('close', () => { gatewayListening = false; });
    servers.push(gateway);
  }
  log(`hub ${VERSION} started: HTTP on ${config.httpHost}:${httpPort}, agents on ${svc.agentUrl}${config.gatewaySocket ? `, gateway ${config.gatewaySocket}` : ''}`);

  return {
    svc, httpPort, agentPort, generatedAdminPassword, caFingerprint: pki.caFingerprint, alerts,
    async stop() {
      clearInterval(ticker);
      alerts.stop();
      browsers.close();
      agents.close();
      metrics.close();
      await Promise.all(servers.map((s) => new Promise((r) => {
        s.close(r);
        s.closeAllConnections();
      })));
    },
  };
}
