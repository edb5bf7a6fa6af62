/**
 * The browser socket: a fresh ticket, the auth frame, a snapshot, then deltas. When the socket
 * drops it says so and reconnects with exponential backoff, each time with a new ticket
 * (tickets are single-use and short-lived).
 */
import { PROTOCOL_VERSION } from '../../agent/protocol/common.js';
import type { GaleraClusterStatus, GlusterClusterView, HubToBrowser, LbClusterStatus, Operation, PlanView, ScalingView } from '../../agent/protocol/types.js';
import { ApiFailure, type Endpoints, getTicket } from './api.js';
import { type Model, applyDelta, applySnapshot } from './store.js';

export type LinkState =
  | { kind: 'connecting' }
  | { kind: 'live' }
  /** Down; `retryAt` (ms epoch) is when the next attempt starts, absent while one is running. */
  | { kind: 'lost'; reason: string; retryAt?: number }
  /** The hub refused this user the live view (no `view` flag); retrying would not help. */
  | { kind: 'denied'; reason: string };

export interface LiveOptions {
  endpoints: Endpoints;
  onModel(m: Model): void;
  onState(s: LinkState): void;
  /** The session is gone (401 on the ticket): the app shows the login page. */
  onLoggedOut(): void;
  /** A load-balancing plan changed (made, applying, a node's step, done). */
  onPlan?(plan: PlanView): void;
  /** A load-balanced cluster's live status (server states, VIP holder). */
  onLbStatus?(status: LbClusterStatus): void;
  /** An operation started, moved on or ended (also each one in a snapshot). */
  onOperation?(op: Operation): void;
  /** A cluster's scaling changed (users with the scale flag only). */
  onScaling?(view: ScalingView): void;
  /** A Galera cluster's live status (once a second while it changes). */
  onGaleraStatus?(status: GaleraClusterStatus): void;
  /** A Gluster cluster's live view (also each one in a snapshot). */
  onGluster?(view: GlusterClusterView): void;
}

const MIN_DELAY = 1000;
const MAX_DELAY = 30_000;

/** The socket URL: `socketPath`, or `ws` under `base` ("/" → ws://host/ws). */
export const socketUrl = (e: Endpoints) => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${e.socketPath ?? `${e.base}ws`}`;

/** Delay before reconnect attempt `n` (0-based): doubling from 1 s to 30 s, with jitter so a
 * restarted hub is not hit by every tab at the same instant. */
export const backoff = (n: number, random = Math.random) => Math.min(MAX_DELAY, MIN_DELAY * 2 ** n) * (0.75 + random() / 2);

/** Parses a frame, keeping only the shapes this client knows (the hub validates what it sends). */
export function parseFrame(text: string): HubToBrowser | undefined {
  let f: unknown;
  try { f = JSON.parse(text); } catch { return undefined; }
  if (typeof f !== 'object' || f === null) return undefined;
  const { v, type } = f as { v?: unknown; type?: unknown };
  return v === PROTOCOL_VERSION && (type === 'snapshot' || type === 'delta' || type === 'error' || type === 'plan' || type === 'lb-status' || type === 'operation' || type === 'scaling' || type === 'galera-status' || type === 'gluster-status') ? (f as HubToBrowser) : undefined;
}

/** Starts the live link; the returned function closes it for good. */
export function connectLive(o: LiveOptions): () => void {
  let closed = false;
  let ws: WebSocket | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let model: Model | undefined;
  let lastReason = '';

  const retry = (reason: string) => {
    if (closed) return;
    lastReason = reason;
    const delay = backoff(failures++);
    o.onState({ kind: 'lost', reason, retryAt: Date.now() + delay });
    timer = setTimeout(open, delay);
  };

  async function open() {
    if (failures) o.onState({ kind: 'lost', reason: lastReason });
    let ticket: string;
    try {
      ticket = (await getTicket(o.endpoints)).ticket;
    } catch (e) {
      if (closed) return;
      if (e instanceof ApiFailure && e.status === 401) return o.onLoggedOut();
      if (e instanceof ApiFailure && e.status === 403) return o.onState({ kind: 'denied', reason: e.message });
      return retry(e instanceof Error ? e.message : String(e));
    }
    if (closed) return;
    let hubError: string | undefined;
    // Deltas build on this socket's own snapshot, never on an earlier socket's.
    model = undefined;
    const sock = new WebSocket(socketUrl(o.endpoints));
    ws = sock;
    sock.onopen = () => sock.send(JSON.stringify({ v: PROTOCOL_VERSION, type: 'auth', ticket }));
    sock.onmessage = (ev: MessageEvent) => {
      const f = typeof ev.data === 'string' ? parseFrame(ev.data) : undefined;
      if (!f) return;
      if (f.type === 'snapshot') {
        model = applySnapshot(f);
        failures = 0;
        o.onState({ kind: 'live' });
        for (const op of f.operations ?? []) o.onOperation?.(op);
        for (const g of f.galera ?? []) o.onGaleraStatus?.(g);
        for (const g of f.gluster ?? []) o.onGluster?.(g);
      } else if (f.type === 'delta') {
        if (!model) return; // the hub always sends the snapshot first; ignore anything else
        model = applyDelta(model, f);
      } else if (f.type === 'plan') {
        o.onPlan?.(f.plan);
        return;
      } else if (f.type === 'lb-status') {
        o.onLbStatus?.(f.status);
        return;
      } else if (f.type === 'operation') {
        o.onOperation?.(f.operation);
        return;
      } else if (f.type === 'scaling') {
        o.onScaling?.(f.scaling);
        return;
      } else if (f.type === 'galera-status') {
        o.onGaleraStatus?.(f.status);
        return;
      } else if (f.type === 'gluster-status') {
        o.onGluster?.(f.status);
        return;
      } else {
        // An error about one history request (it names a server) does not end the socket.
        if (f.type === 'error' && !f.serverId) hubError = f.message;
        return;
      }
      o.onModel(model);
    };
    sock.onclose = () => {
      if (ws === sock) ws = undefined;
      retry(hubError ?? 'The connection to the hub was lost.');
    };
  }

  void open();
  return () => {
    closed = true;
    clearTimeout(timer);
    if (ws) {
      ws.onclose = ws.onmessage = ws.onopen = null;
      ws.close();
    }
  };
}
