/**
 * One-time transfers of big files between an agent and the hub, on the agent port (HTTPS, the
 * agent pins the hub's CA): `POST /transfer/{id}` brings a file to the hub (a database backup),
 * `GET /transfer/{id}` sends one (a backup to restore). The hub opens a transfer for one job; its
 * id and token travel only in that job, over the agent's authenticated socket. The token is
 * compared in constant time, is good for one request of the right method, and the transfer is
 * dropped if no agent comes for it in time. Anything else under /transfer/ is a 404 or a 401.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SECURITY_HEADERS, sendJson } from '../http/respond.js';

/** How long an agent has to come for a transfer once its job is sent. */
export const TRANSFER_WAIT_MS = 120_000;

export interface Ticket { id: string; token: string }

interface Pending {
  method: 'POST' | 'GET';
  tokenHash: Buffer;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  fail(e: Error): void;
  timer: NodeJS.Timeout;
}

const hash = (token: string) => createHash('sha256').update(token).digest();

export class Transfers {
  private pending = new Map<string, Pending>();

  constructor(private readonly log: (msg: string) => void = () => {}) {}

  private open<T>(method: Pending['method'], what: string, handle: (req: IncomingMessage, res: ServerResponse) => Promise<T>, waitMs: number): { ticket: Ticket; result: Promise<T> } {
    const id = randomBytes(16).toString('hex');
    const token = randomBytes(32).toString('base64url');
    let settle!: { resolve(v: T): void; reject(e: Error): void };
    const result = new Promise<T>((resolve, reject) => (settle = { resolve, reject }));
    result.catch(() => {});
    const timer = setTimeout(() => {
      this.pending.delete(id);
      settle.reject(new Error(`no agent came for the ${what} within ${Math.round(waitMs / 1000)} s`));
    }, waitMs).unref();
    this.pending.set(id, {
      method, tokenHash: hash(token), timer, fail: (e) => settle.reject(e),
      handle: async (req, res) => {
        try {
          settle.resolve(await handle(req, res));
        } catch (e) {
          settle.reject(e as Error);
          throw e;
        }
      },
    });
    return { ticket: { id, token }, result };
  }

  /** Waits for an agent to POST a file: `consume` takes the body; resolves with what it returns. */
  receive<T>(what: string, consume: (body: Readable) => Promise<T>, waitMs = TRANSFER_WAIT_MS): { ticket: Ticket; result: Promise<T> } {
    return this.open('POST', what, async (req, res) => {
      const out = await consume(req);
      sendJson(res, 200, { ok: true });
      return out;
    }, waitMs);
  }

  /** Waits for an agent to GET a file: `source` gives it (an error half-way aborts the response). */
  send(what: string, source: () => Readable, waitMs = TRANSFER_WAIT_MS): { ticket: Ticket; result: Promise<void> } {
    return this.open('GET', what, async (_req, res) => {
      res.writeHead(200, { ...SECURITY_HEADERS, 'cache-control': 'no-store', 'content-type': 'application/octet-stream' });
      await pipeline(source(), res);
    }, waitMs);
  }

  /** Drops a transfer no agent needs any more (its job failed). */
  cancel(ticket: Ticket, why: string): void {
    const p = this.pending.get(ticket.id);
    if (!p) return;
    clearTimeout(p.timer);
    this.pending.delete(ticket.id);
    p.fail(new Error(why));
  }

  /** Serves a request under /transfer/; false for any other path. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const path = new URL(req.url ?? '/', 'https://hub').pathname;
    if (!path.startsWith('/transfer/')) return false;
    const id = path.slice('/transfer/'.length);
    const p = this.pending.get(id);
    const token = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
    if (!p || !timingSafeEqual(hash(token), p.tokenHash)) {
      this.log(`transfer: refused ${req.method} ${p ? path : '/transfer/…'} from ${req.socket.remoteAddress ?? 'a client'}: ${p ? 'wrong token' : 'no such transfer'}`);
      req.resume();
      sendJson(res, p ? 401 : 404, { error: { code: p ? 'unauthorized' : 'not_found', message: p ? 'wrong transfer token' : 'no such transfer (each one is good once, for a short time)' } });
      return true;
    }
    if (req.method !== p.method) {
      req.resume();
      sendJson(res, 405, { error: { code: 'method_not_allowed', message: `this transfer takes ${p.method}` } });
      return true;
    }
    clearTimeout(p.timer);
    this.pending.delete(id);
    p.handle(req, res).catch((e: Error) => {
      this.log(`transfer ${id}: ${e.message}`);
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'transfer_failed', message: e.message.slice(0, 1024) } });
      else res.destroy(e);
    });
    return true;
  }

  /** Fails every open transfer (the hub stops). */
  close(): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.fail(new Error('the hub stopped'));
      this.pending.delete(id);
    }
  }
}
