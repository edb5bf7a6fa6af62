/**
 * The agent socket (ws://AGENT_HOST:AGENT_PORT/agent). An agent proves itself with the hub's
 * agent key in its hello; from then on the connection is bound to that one server id, so a
 * metrics frame can only update its own server. Every frame is validated; a newer connection
 * for the same server replaces the older one.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { PROTOCOL_VERSION } from '../../protocol/common.js';
import type { AgentHello, HubWelcome } from '../../protocol/types.js';
import { check, validators } from '../../protocol/validate.js';
import type { Services } from '../api/context.js';
import { recordAgentHello } from '../model/servers.js';

export const METRICS_INTERVAL_MS = 1000;
const HELLO_TIMEOUT_MS = 10_000;
const PING_MS = 15_000;
const MAX_FRAME = 64 * 1024;
/** Invalid frames tolerated from one connection before it is closed. */
const MAX_INVALID = 10;

const digest = (s: string) => createHash('sha256').update(s).digest();

function parse(data: RawData, isBinary: boolean): unknown {
  if (isBinary) return undefined;
  try {
    return JSON.parse(data.toString());
  } catch {
    return undefined;
  }
}

/** The address to show for a new agent's server: its own first address when it dials over loopback. */
function agentAddress(req: IncomingMessage, hello: AgentHello): string {
  const remote = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  const loopback = remote === '::1' || remote.startsWith('127.');
  const own = hello.inventory.interfaces?.find((i) => i.ip4 && !i.ip4.startsWith('127.'))?.ip4;
  return loopback && own ? own : remote || '127.0.0.1';
}

export class AgentGateway {
  private wss: WebSocketServer;
  private byServer = new Map<string, WebSocket>();
  private readonly keyDigest: Buffer;

  constructor(private readonly svc: Services, agentKey: string) {
    this.keyDigest = digest(agentKey);
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME });
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, req));
  }

  close(): void {
    for (const ws of this.byServer.values()) ws.close(1012, 'hub restarting');
    this.wss.close();
  }

  private accept(ws: WebSocket, req: IncomingMessage): void {
    const who = `${req.socket.remoteAddress}:${req.socket.remotePort}`;
    const refuse = (code: string, message: string, closeCode = 4400) => {
      this.svc.log(`agent ${who}: ${message}`);
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ v: PROTOCOL_VERSION, type: 'error', code, message }));
      ws.close(closeCode, code);
    };
    const timer = setTimeout(() => refuse('hello_timeout', 'no hello within 10 s'), HELLO_TIMEOUT_MS);
    ws.on('error', (e) => {
      this.svc.log(`agent ${who}: ${e.message}`);
      ws.terminate();
    });
    ws.once('message', (data, isBinary) => {
      clearTimeout(timer);
      const checked = check(validators.agentHello, parse(data, isBinary));
      if (!checked.ok) return refuse('invalid_hello', `invalid hello: ${checked.error}`);
      const hello = checked.value;
      if (!timingSafeEqual(digest(hello.key), this.keyDigest)) return refuse('unauthorized', 'wrong agent key', 4401);
      void this.register(ws, req, hello).catch((e: Error) => refuse('internal', `could not register: ${e.message}`, 1011));
    });
  }

  private async register(ws: WebSocket, req: IncomingMessage, hello: AgentHello): Promise<void> {
    const id = hello.serverId;
    await this.svc.store.update((s) => recordAgentHello(s, hello, agentAddress(req, hello)));
    if (ws.readyState !== WebSocket.OPEN) return;
    this.byServer.get(id)?.close(4409, 'replaced by a newer connection for the same server');
    this.byServer.set(id, ws);
    this.svc.live.connected(id);
    this.svc.log(`agent '${id}' connected from ${req.socket.remoteAddress} (agent ${hello.agentVersion})`);

    let invalid = 0;
    let alive = true;
    const ping = setInterval(() => {
      if (!alive) return ws.terminate();
      alive = false;
      ws.ping();
    }, PING_MS);
    ws.on('pong', () => (alive = true));
    ws.on('message', (data, isBinary) => {
      const checked = check(validators.agentMessage, parse(data, isBinary));
      if (!checked.ok) {
        ws.send(JSON.stringify({ v: PROTOCOL_VERSION, type: 'error', code: 'invalid_message', message: checked.error }));
        if (++invalid >= MAX_INVALID) ws.close(4400, 'too many invalid frames');
        return;
      }
      alive = true;
      this.svc.live.record(id, checked.value.sample);
    });
    ws.on('close', () => {
      clearInterval(ping);
      if (this.byServer.get(id) !== ws) return;
      this.byServer.delete(id);
      this.svc.live.disconnected(id);
      this.svc.log(`agent '${id}' disconnected`);
    });
    const welcome: HubWelcome = { v: PROTOCOL_VERSION, type: 'welcome', serverId: id, intervalMs: METRICS_INTERVAL_MS };
    ws.send(JSON.stringify(welcome));
  }
}
