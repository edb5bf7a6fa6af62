/**
 * For tests: a real hub in this process on free ports with a temporary DATA_DIR, and a JSON
 * client over real HTTP. Settings are the documented defaults (configFromEnv with an empty
 * environment), so new settings need no change here.
 */
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { ACL_FLAGS } from '../protocol/common.js';
import { configFromEnv } from './config.js';
import { startHub, type RunningHub } from './hub.js';

export const ADMIN_PASSWORD = 'admin-password-1';

/** A Basic Authorization header value. */
export const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

export interface TestHubOptions {
  /** Gets the hub's log lines (default: dropped). */
  log?: (msg: string) => void;
  /** Use this DATA_DIR (kept on stop) instead of a fresh temporary one: a restart. */
  dataDir?: string;
  /** Listen on the Webmin gateway socket too (`gateway()` calls it). */
  gateway?: boolean;
}

export interface Answer<T> { status: number; body: T; headers: Record<string, string | string[] | undefined> }

export interface TestHub {
  hub: RunningHub;
  base: string;
  wsUrl: string;
  dataDir: string;
  /** A JSON request, as admin unless `auth` (an Authorization value) is given; `T` is the expected answer. */
  call<T = unknown>(method: string, path: string, body?: unknown, auth?: string): Promise<{ status: number; body: T }>;
  /**
   * A request on the gateway socket as Webmin user `user` with module ACL `acl` (or without
   * those headers when `user` is null); `path` is sent as it is, `body` as JSON unless a string.
   */
  gateway<T = unknown>(
    method: string, path: string, user: string | null, acl: Record<string, string>, body?: unknown, headers?: Record<string, string>,
  ): Promise<Answer<T>>;
  /** A raw agent-protocol client on the agent port that sends `first` and collects the hub's frames. */
  rawAgent(first: Record<string, unknown>): Promise<RawAgent>;
  stop(): Promise<void>;
}

export interface RawAgent {
  ws: WebSocket;
  frames: Record<string, unknown>[];
  closed(): number | undefined;
}

/** `options` may be just the log function. */
export async function startTestHub(options: TestHubOptions | ((msg: string) => void) = {}): Promise<TestHub> {
  const opts = typeof options === 'function' ? { log: options } : options;
  const dir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'uc-test-hub-'));
  const socket = join(dir, 'hub.sock');
  const config = {
    ...configFromEnv({}, { uiRoot: dir, dataDir: dir }), httpPort: 0, agentPort: 0, adminPassword: ADMIN_PASSWORD,
    ...(opts.gateway ? { gatewaySocket: socket } : {}),
  };
  const hub = await startHub(config, opts.log ?? (() => {}));
  const base = `http://127.0.0.1:${hub.httpPort}`;
  return {
    hub, base, wsUrl: `ws://127.0.0.1:${hub.httpPort}/ws`, dataDir: dir,
    async call<T>(method: string, path: string, body?: unknown, auth = basic('admin', ADMIN_PASSWORD)) {
      const res = await fetch(base + path, {
        method,
        headers: { authorization: auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
    },
    gateway<T>(method: string, path: string, user: string | null, acl: Record<string, string>, body?: unknown, extra: Record<string, string> = {}) {
      return new Promise<Answer<T>>((resolve, reject) => {
        const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
        const headers: Record<string, string> = { ...(data === undefined ? {} : { 'content-type': 'application/json' }), ...extra };
        if (user !== null) Object.assign(headers, { 'x-webmin-user': user, 'x-webmin-acl': JSON.stringify(acl) });
        const req = request({ socketPath: socket, method, path, headers }, (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (c: string) => { text += c; }).on('end', () => {
            resolve({ status: res.statusCode ?? 0, body: (text ? JSON.parse(text) : null) as T, headers: res.headers });
          });
        });
        req.on('error', reject);
        req.end(data);
      });
    },
    async rawAgent(first) {
      // The test trusts its own in-process hub; real agents pin the CA from the token.
      const ws = new WebSocket(`wss://127.0.0.1:${hub.agentPort}/agent`, { rejectUnauthorized: false });
      const frames: Record<string, unknown>[] = [];
      let closed: number | undefined;
      ws.on('message', (d) => frames.push(JSON.parse(String(d)) as Record<string, unknown>));
      ws.on('close', (code) => { closed = code; });
      ws.on('error', () => {});
      await new Promise((r) => ws.once('open', r));
      ws.send(JSON.stringify(first));
      return { ws, frames, closed: () => closed };
    },
    async stop() {
      await hub.stop();
      if (!opts.dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A Webmin module ACL as the gateway CGI forwards it: the given flags "1", the rest "0". */
export function webminAcl(flags: readonly string[], clusters = '*'): Record<string, string> {
  return { ...Object.fromEntries(ACL_FLAGS.map((f) => [f, flags.includes(f) ? '1' : '0'])), clusters };
}
