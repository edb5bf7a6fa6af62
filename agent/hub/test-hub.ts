/**
 * For tests: a real hub in this process on free ports with a temporary DATA_DIR, and a JSON
 * client over real HTTP. Settings are the documented defaults (configFromEnv with an empty
 * environment), so new settings need no change here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configFromEnv } from './config.js';
import { startHub, type RunningHub } from './hub.js';

export const ADMIN_PASSWORD = 'admin-password-1';

/** A Basic Authorization header value. */
export const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

export interface TestHub {
  hub: RunningHub;
  base: string;
  wsUrl: string;
  /** A JSON request, as admin unless `auth` (an Authorization value) is given; `T` is the expected answer. */
  call<T = unknown>(method: string, path: string, body?: unknown, auth?: string): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
}

/** `log` gets the hub's log lines (default: dropped). */
export async function startTestHub(log: (msg: string) => void = () => {}): Promise<TestHub> {
  const dir = mkdtempSync(join(tmpdir(), 'uc-test-hub-'));
  const config = { ...configFromEnv({}, { uiRoot: dir, dataDir: dir }), httpPort: 0, agentPort: 0, adminPassword: ADMIN_PASSWORD };
  const hub = await startHub(config, log);
  const base = `http://127.0.0.1:${hub.httpPort}`;
  return {
    hub, base, wsUrl: `ws://127.0.0.1:${hub.httpPort}/ws`,
    async call<T>(method: string, path: string, body?: unknown, auth = basic('admin', ADMIN_PASSWORD)) {
      const res = await fetch(base + path, {
        method,
        headers: { authorization: auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
    },
    async stop() {
      await hub.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
