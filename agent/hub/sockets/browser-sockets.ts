/**
 * The browser WebSocket (/ws). The first frame must be a valid ticket; then the client gets a
 * snapshot of what its ACL lets it see, and at most 4 deltas a second of only what changed.
 * Clients with the same scope and the same last view share one serialized frame. Later frames
 * from the browser are requests (browser-requests.ts). A hub user's socket follows the user: it
 * is closed at once when the user is deleted or its ACL changes (the browser reconnects with a
 * fresh ticket, and so with the ACL as it is now).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { PROTOCOL_VERSION } from '../../protocol/common.js';
import type { Acl, AclFlag, ConnectionLive, Delta, HubToBrowser, MetricsSample, ServerStatus, Snapshot, State, VirtualServer } from '../../protocol/types.js';
import { check, validators } from '../../protocol/validate.js';
import type { Services } from '../api/context.js';
import { type View, clusterInScope, visibleModel } from '../auth/acl.js';
import type { TicketVerifier } from '../auth/tickets.js';
import type { LiveChanges } from '../live/live.js';
import { BrowserRequests } from './browser-requests.js';
import { changedAlerts, snapshotAlerts } from './alert-frames.js';
import { snapshotOperations } from '../operations/records.js';
import { changedConnectionStatus, snapshotConnectionStatus } from './connection-frames.js';
import { visibleVirtualServers } from '../model/virtual-servers.js';
import { diffBy, diffViews } from './model-diff.js';

export const FLUSH_MS = 250;
const AUTH_TIMEOUT_MS = 10_000;
/** A client this far behind is dropped; it reconnects and starts again from a snapshot. */
const MAX_BUFFERED = 8 * 1024 * 1024;

interface Client {
  ws: WebSocket;
  user: string;
  /** One of the hub's own users (followed as it changes), or a Webmin user (ACL from its ticket). */
  hubUser: boolean;
  acl: Acl;
  scopeKey: string;
  /** The state and view the client last received. */
  state: State;
  view: View;
  virtualServers: VirtualServer[];
}

export class BrowserSockets {
  private wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 });
  private clients = new Set<Client>();
  private timer: NodeJS.Timeout;
  private usersSeen: State['users'];

  constructor(private readonly svc: Services, private readonly tickets: TicketVerifier) {
    this.timer = setInterval(() => this.flush(), FLUSH_MS);
    this.usersSeen = svc.store.state.users;
    svc.store.on('change', (next) => this.syncUsers(next.users));
  }

  /** Closes the sockets of hub users who were deleted or whose ACL changed. */
  private syncUsers(users: State['users']): void {
    if (users === this.usersSeen) return;
    this.usersSeen = users;
    const byName = new Map(users.map((u) => [u.name, u]));
    for (const c of this.clients) {
      if (!c.hubUser) continue;
      const user = byName.get(c.user);
      if (!user) this.end(c, 'unauthorized', 'your user was deleted');
      else if (JSON.stringify(user.acl) !== JSON.stringify(c.acl)) this.end(c, 'acl_changed', 'your permissions changed; reconnect for a view that matches them');
    }
  }

  private end(c: Client, code: string, message: string): void {
    this.clients.delete(c);
    if (c.ws.readyState === WebSocket.OPEN) c.ws.send(JSON.stringify({ v: PROTOCOL_VERSION, type: 'error', code, message }));
    c.ws.close(4401, code);
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  close(): void {
    clearInterval(this.timer);
    for (const c of this.clients) c.ws.close(1001, 'hub shutting down');
    this.wss.close();
  }

  private accept(ws: WebSocket): void {
    const refuse = (code: string, message: string) => {
      ws.send(JSON.stringify({ v: PROTOCOL_VERSION, type: 'error', code, message }));
      ws.close(4401, code);
    };
    const timer = setTimeout(() => refuse('auth_timeout', 'send a ticket first'), AUTH_TIMEOUT_MS);
    ws.on('error', () => ws.terminate());
    ws.once('message', (data, isBinary) => {
      clearTimeout(timer);
      let msg: unknown;
      try {
        msg = isBinary ? null : JSON.parse(data.toString());
      } catch {
        return refuse('invalid_json', 'the first frame must be JSON');
      }
      const checked = check(validators.browserMessage, msg);
      if (!checked.ok) return refuse('invalid_message', checked.error);
      if (checked.value.type !== 'auth') return refuse('unauthorized', 'the first frame must be the auth frame with a ticket');
      const claims = this.tickets.verify(checked.value.ticket);
      if (typeof claims === 'string') return refuse('unauthorized', claims);
      const state = this.svc.store.state;
      const hubUser = claims.realm === 'hub';
      // A hub user's ticket stands for the user as it is now: deleted, or with another ACL, since it was minted.
      const acl = hubUser ? state.users.find((u) => u.name === claims.user)?.acl : claims.acl;
      if (!acl) return refuse('unauthorized', 'your user was deleted');
      if (!acl.view) return refuse('forbidden', 'you do not have the "view" permission');
      const client: Client = {
        ws, user: claims.user, hubUser, acl, scopeKey: JSON.stringify(acl.scope), state,
        view: visibleModel(state, acl), virtualServers: visibleVirtualServers(state, acl),
      };
      this.clients.add(client);
      ws.on('close', () => this.clients.delete(client));
      const requests = new BrowserRequests(this.svc, acl, ws);
      ws.on('message', (d, bin) => requests.receive(d, bin));
      ws.send(JSON.stringify(this.snapshot(client)));
    });
  }

  /** Sends a frame at once to every client whose scope includes `cluster` (and who has `flag`, when given). */
  publish(cluster: string, frame: HubToBrowser, flag?: AclFlag): void {
    const text = JSON.stringify(frame);
    for (const c of this.clients) {
      if (c.ws.readyState === WebSocket.OPEN && clusterInScope(c.acl, cluster) && (!flag || c.acl[flag])) c.ws.send(text);
    }
  }

  private snapshot(c: Client): Snapshot {
    const status: Record<string, ServerStatus> = {};
    const metrics: Record<string, MetricsSample> = {};
    for (const s of c.view.servers) {
      status[s.id] = this.svc.live.status(s.id);
      const m = this.svc.live.sample(s.id);
      if (m) metrics[s.id] = m;
    }
    return {
      v: PROTOCOL_VERSION, type: 'snapshot', user: { name: c.user, acl: c.acl },
      servers: c.view.servers, connections: c.view.connections, clusters: c.view.clusters, status, metrics,
      alerts: snapshotAlerts(c.state.alerts, c.acl.scope === '*' ? null : new Set(c.view.servers.map((s) => s.id))),
      connectionStatus: snapshotConnectionStatus(this.svc.latency, c.acl.scope === '*' ? null : new Set(c.view.connections.map((x) => x.id))),
      operations: snapshotOperations(c.state.operations, (cluster) => clusterInScope(c.acl, cluster)).map((o) => this.svc.operations.get(o.id)),
      virtualServers: c.virtualServers,
      galera: c.view.clusters.filter((cl) => cl.galera).map((cl) => this.svc.galera.view(cl)),
      gluster: this.svc.gluster.views((cluster) => clusterInScope(c.acl, cluster)),
    };
  }

  /** Sends each client what changed since its last frame. Runs every FLUSH_MS. */
  flush(): void {
    const live = this.svc.live.drain();
    const connections = this.svc.latency.drain();
    if (!this.clients.size) return;
    const state = this.svc.store.state;
    const views = new Map<string, { view: View; virtualServers: VirtualServer[] }>();
    const frames = new Map<string, string | null>();
    for (const c of this.clients) {
      if (c.ws.readyState !== WebSocket.OPEN) continue;
      if (c.ws.bufferedAmount > MAX_BUFFERED) {
        c.ws.close(1013, 'too far behind; reconnect for a fresh snapshot');
        continue;
      }
      let next = views.get(c.scopeKey);
      if (!next) {
        next = c.state === state ? { view: c.view, virtualServers: c.virtualServers } : { view: visibleModel(state, c.acl), virtualServers: visibleVirtualServers(state, c.acl) };
        views.set(c.scopeKey, next);
      }
      // Clients that saw the same state with the same scope get the same frame.
      const frameKey = `${c.scopeKey}|${c.state === state ? 'same' : c.state.revision}`;
      let frame = frames.get(frameKey);
      if (frame === undefined) {
        frame = this.delta(c, next, live, connections);
        frames.set(frameKey, frame);
      }
      if (frame) c.ws.send(frame);
      c.state = state;
      c.view = next.view;
      c.virtualServers = next.virtualServers;
    }
  }

  private delta(c: Client, to: { view: View; virtualServers: VirtualServer[] }, live: LiveChanges, connections: ReadonlyMap<string, ConnectionLive>): string | null {
    const next = to.view;
    const delta: Delta = { v: PROTOCOL_VERSION, type: 'delta', ...(c.view === next ? {} : diffViews(c.view, next)) };
    const vs = diffBy(c.virtualServers, to.virtualServers, (v) => v.id);
    if (vs.upserts.length) delta.virtualServers = vs.upserts;
    if (vs.removed.length) delta.removed = { ...delta.removed, virtualServers: vs.removed };
    const visible = c.acl.scope === '*' ? null : new Set(next.servers.map((s) => s.id));
    const status: Record<string, ServerStatus> = {};
    const metrics: Record<string, MetricsSample> = {};
    for (const [id, st] of live.status) if (!visible || visible.has(id)) status[id] = st;
    for (const [id, m] of live.metrics) if (!visible || visible.has(id)) metrics[id] = m;
    // A server that just came into view needs its live state too, changed or not.
    for (const s of delta.servers ?? []) {
      status[s.id] ??= this.svc.live.status(s.id);
      const m = this.svc.live.sample(s.id);
      if (m) metrics[s.id] ??= m;
    }
    if (Object.keys(status).length) delta.status = status;
    if (Object.keys(metrics).length) delta.metrics = metrics;
    const alerts = changedAlerts(c.state.alerts, this.svc.store.state.alerts, visible);
    if (alerts.length) delta.alerts = alerts;
    // The visible connection ids are needed only to filter changes (none: nothing to filter).
    const visibleConnections = visible && connections.size ? new Set(next.connections.map((x) => x.id)) : null;
    const connectionStatus = changedConnectionStatus(connections, visibleConnections, delta.connections, this.svc.latency);
    if (connectionStatus) delta.connectionStatus = connectionStatus;
    return Object.keys(delta).length > 2 ? JSON.stringify(delta) : null;
  }
}
