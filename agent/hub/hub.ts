/**
 * Wires the hub together: store, live metrics, auth, the HTTP API and UI, the browser socket and
 * the agent socket. `startHub` is used by main.ts, the standalone launcher and the tests.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { Services } from './api/context.js';
import { VERSION } from '../version.js';
import { FULL_ACL } from './auth/acl.js';
import { Authenticator } from './auth/authenticate.js';
import { PasswordGate } from './auth/password-gate.js';
import { limitLog } from './log-limiter.js';
import {
  HANDSHAKE_TIMEOUT_MS, MAX_PENDING_HANDSHAKES, MAX_PENDING_PER_SOURCE, RESERVED_FOR_OTHERS, limitHandshakes,
} from './sockets/handshake-limit.js';
import { generatePassword, hashPassword } from './auth/passwords.js';
import { Sessions } from './auth/sessions.js';
import { TicketVerifier } from './auth/tickets.js';
import { addUser, endedLogins } from './auth/users.js';
import { bundleDir, type HubConfig } from './config.js';
import { publicAgentUrl, reachableAddress } from './enroll/join-command.js';
import { AlertService } from './alerts/service.js';
import { mailSettingsFromEnv } from './alerts/sendmail.js';
import { listenGateway } from './http/gateway-socket.js';
import { parseRequestPath } from './http/request-path.js';
import { checkSameOrigin, httpHandler } from './http/server.js';
import { joinEndpoint } from './http/join-endpoint.js';
import { ConnectionLatency } from './latency/connection-latency.js';
import { Live } from './live/live.js';
import { MetricsEndpoint } from './prometheus/endpoint.js';
import { loadOrCreatePki } from './pki/pki.js';
import { loadOrCreateSecret } from './secrets.js';
import { AgentGateway } from './sockets/agent-gateway.js';
import { BrowserSockets } from './sockets/browser-sockets.js';
import { LbLive } from './jobs/lb-live.js';
import { Plans } from './jobs/plans.js';
import { Operations } from './operations/runner.js';
import { CredentialsFile } from './scaling/credentials-file.js';
import { Scaler } from './scaling/scaler.js';
import { jobDefs } from './schedules/jobs.js';
import { ScheduleRegistry } from './schedules/registry.js';
import { GaleraService } from './galera/service.js';
import { galeraMetricSources } from './galera/alert-metrics.js';
import { GlusterService } from './gluster/service.js';
import { glusterMetricSources } from './gluster/alert-metrics.js';
import { Store } from './store.js';
import { Transfers } from './backups/transfers.js';
import { GaleraBackups } from './galera/backups.js';
import { VirtualServers } from './virtual-servers/orchestrator.js';
import { galeraDatabases } from './virtual-servers/galera-databases.js';
import { glusterFiles } from './virtual-servers/gluster-files.js';
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

/** Whether an upgrade request is for exactly `path` (decoded like every request; a bad path is not). */
function isPath(req: { url?: string }, path: string): boolean {
  try {
    return parseRequestPath(req.url).pathname === path;
  } catch {
    return false;
  }
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
  let galera: GaleraService | undefined;
  let gluster: GlusterService | undefined;
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
    onGaleraStatus: (id, cluster, status, at) => galera?.record(id, cluster, status, at),
    onGlusterStatus: (id, status) => gluster?.onStatus(id, status),
    onAgentLink: (id, connected) => gluster?.onAgentLink(id, connected),
  });
  store.on('change', (next) => {
    agents.syncCredentials(next);
    agents.syncProbeTargets(next);
    gluster?.sync(next);
  });
  const sessions = new Sessions(join(config.dataDir, 'sessions.json'), log);
  await sessions.load(new Set(store.state.users.map((u) => u.name)));
  // A deleted user, or one with a new password, is logged out everywhere, however it happened.
  store.on('change', (next, prev) => {
    for (const name of endedLogins(prev.users, next.users)) void sessions.destroyUser(name);
  });
  const passwords = new PasswordGate();
  const plans = new Plans({
    store,
    runJob: (id, kind, opts) => agents.runJob(id, kind, opts),
    onChange: (plan) => browsers?.publish(plan.cluster, { v: 1, type: 'plan', plan }),
    extraBackends: () => galera!.extraBackends(),
  });
  const operations = new Operations({
    store, log,
    publish: (operation) => browsers?.publish(operation.cluster, { v: 1, type: 'operation', operation }),
  });
  await operations.recover();
  gluster = new GlusterService({ store, agents, operations, log, publish: (cluster, frame) => browsers?.publish(cluster, frame) });
  galera = new GaleraService({
    store, operations, lbLive, log,
    runJob: (id, kind, opts) => agents.runJob(id, kind, opts),
    connected: (id) => live.isConnected(id),
    publish: (cluster, frame) => browsers?.publish(cluster, frame),
    secretsFile: join(config.dataDir, 'galera-secrets.json'),
  });
  const virtualServers = new VirtualServers({
    store, plans, log, databases: galeraDatabases(galera), files: glusterFiles(gluster, store, (id) => agents.isConnected(id)),
  });
  await virtualServers.recover();
  let agentUrl = '';
  const scaler = new Scaler({
    store, live, lbLive, plans, operations, log,
    credentials: new CredentialsFile(join(config.dataDir, 'aws-credentials.json')),
    publish: (cluster, scaling) => browsers?.publish(cluster, { v: 1, type: 'scaling', scaling }, 'scale'),
    caFingerprint: pki.caFingerprint,
    agentUrl: () => agentUrl,
    ...(config.awsEndpoint ? { awsEndpoint: config.awsEndpoint } : {}),
    leave: { galera, gluster, connected: (id) => live.isConnected(id) },
  });
  const transfers = new Transfers(log);
  const galeraBackups = new GaleraBackups({
    galera, transfers, dir: join(config.dataDir, 'backups'), keyFile: join(config.dataDir, 'backup.key'), connected: (id) => live.isConnected(id),
  });
  const schedules = new ScheduleRegistry({ store, log });
  const syncJobs = () => schedules.sync(jobDefs(store.state, { store, live, scaler, dataDir: config.dataDir, galeraBackups, operations }));
  syncJobs();
  store.on('change', (next, prev) => {
    if (next.scaling !== prev.scaling || next.schedules !== prev.schedules) syncJobs();
  });
  let gatewayListening = false;
  const svc: Services = {
    store, live, latency, sessions, log, agents, plans, lbLive, operations, galera, galeraBackups, gluster, virtualServers, scaler, schedules, logRing,
    deletions: new RecentDeletions(),
    refusals: new Refusals(),
    diagnostics: {
      dataDir: config.dataDir, stateFile: store.file, startedAt, gatewayListening: () => gatewayListening,
      certPem: pki.chainPem, caPem: pki.caPem, ...(config.gatewaySocket ? { gatewaySocket: config.gatewaySocket } : {}),
    },
    caFingerprint: pki.caFingerprint,
    agentPin: pki.agentPin,
    agentUrl: '', // set once the agent port is known
    authenticator: new Authenticator(sessions, () => store.state, passwords),
    passwords,
    ticketSecret,
    secureCookies: false,
  };

  browsers = new BrowserSockets(svc, new TicketVerifier(ticketSecret));
  let browserSockets = 0; // open /ws connections, for /metrics
  const metrics = new MetricsEndpoint(svc, { browserClients: () => browserSockets });
  const http = createServer(httpHandler(svc, config.uiRoot, { metrics: metrics.handle }));
  http.on('upgrade', (req, socket, head) => {
    if (!isPath(req, '/ws')) return socket.destroy();
    // A browser page of another site may not open the live view (its ticket would be the user's).
    try {
      checkSameOrigin(req);
    } catch (e) {
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${(e as Error).message}\n`);
      return;
    }
    browserSockets++;
    socket.once('close', () => browserSockets--);
    browsers.handleUpgrade(req, socket, head);
  });

  // TLS only; a client that has not finished its handshake in time is dropped.
  const joinRequests = joinEndpoint(svc, bundleDir(config));
  const agentHttp = createHttpsServer(
    { key: pki.keyPem, cert: pki.chainPem, minVersion: 'TLSv1.2', handshakeTimeout: HANDSHAKE_TIMEOUT_MS },
    (req, res) => { if (!transfers.handle(req, res)) joinRequests(req, res); },
  );
  // The socket may already be gone (a handshake timeout): its address is then unknown.
  limitHandshakes(
    agentHttp, { max: MAX_PENDING_HANDSHAKES, perSource: MAX_PENDING_PER_SOURCE, reserve: RESERVED_FOR_OTHERS },
    (why) => log(`agent port: ${why}, closed a new connection (an agent will retry)`),
  );
  agentHttp.on('tlsClientError', (e, socket) => log(`agent TLS${socket.remoteAddress ? ` from ${socket.remoteAddress}` : ''}: ${e.message}`));
  agentHttp.on('upgrade', (req, socket, head) => {
    if (isPath(req, '/agent')) agents.handleUpgrade(req, socket, head);
    else socket.destroy();
  });

  const alerts = new AlertService({
    store, live, log, mail: config.mail ?? mailSettingsFromEnv(process.env),
    sources: { ...galeraMetricSources((id) => galera!.live.status(id), () => galera!.live.servers()), ...glusterMetricSources(gluster.live) },
  });
  alerts.hooks.on('scale_up', (event) => scaler.onScaleUp(event));
  const ticker = setInterval(() => {
    live.tick();
    latency.tick();
    galera!.tick();
    gluster!.tick();
    void alerts.tick();
    scaler.tick();
  }, 1000);
  const httpPort = await listen(http, config.httpHost, config.httpPort);
  const agentPort = await listen(agentHttp, config.agentHost, config.agentPort);
  svc.agentUrl = agentUrl = publicAgentUrl(config.agentHost, agentPort, config.agentPublicUrl, reachableAddress(networkInterfaces()));
  await schedules.recoverMissed();
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
      schedules.stop();
      transfers.close();
      alerts.stop();
      gluster.stop();
      browsers.close();
      agents.close();
      metrics.close();
      await sessions.flush();
      await Promise.all(servers.map((s) => new Promise((r) => {
        s.close(r);
        s.closeAllConnections();
      })));
    },
  };
}
