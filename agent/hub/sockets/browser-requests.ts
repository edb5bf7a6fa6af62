/**
 * What a browser may ask on its socket once its ticket is accepted: `history` requests. Every
 * frame is validated; an invalid one gets an error frame and the socket stays open, up to
 * MAX_INVALID of them. History answers cost the hub real work (thousands of points), so each
 * socket gets HISTORY_PER_S a second; beyond that a request gets a `rate_limited` error, and a
 * socket that keeps flooding is closed.
 */
import type { RawData } from 'ws';
import { PROTOCOL_VERSION } from '../../protocol/common.js';
import type { Acl, BrowserError, HistoryMessage } from '../../protocol/types.js';
import { check, validators } from '../../protocol/validate.js';
import { type HistorySource, readHistory } from '../api/history.js';
import { HttpError } from '../errors.js';
import { FrameRate } from './frame-rate.js';
import { parseFrame } from './parse-frame.js';

/** Invalid frames tolerated from one socket before it is closed. */
export const MAX_INVALID = 10;
/** History requests answered per second and socket. */
export const HISTORY_PER_S = 10;
/** Requests in one second that close the socket: no tab needs that many. */
const HISTORY_FLOOD = 100;

/** The part of a WebSocket this needs. */
export interface Outbox {
  send(data: string): void;
  close(code: number, reason: string): void;
}


export class BrowserRequests {
  private invalid = 0;
  /** Set once this closed the socket: frames still in flight are ignored. */
  private closing = false;
  private readonly rate = new FrameRate(HISTORY_PER_S, HISTORY_FLOOD);

  constructor(private readonly svc: HistorySource, private readonly acl: Acl, private readonly out: Outbox) {}

  /** Handles one frame received at `now`. */
  receive(data: RawData, isBinary: boolean, now = Date.now()): void {
    if (this.closing) return;
    const msg = parseFrame(data, isBinary);
    const checked = msg === undefined ? undefined : check(validators.browserMessage, msg);
    if (!checked?.ok) return this.refuse(checked ? 'invalid_message' : 'invalid_json', checked ? checked.error : 'frames must be JSON text');
    if (checked.value.type === 'auth') return this.refuse('invalid_message', 'this socket already has its ticket');
    const { serverId, window = '15m' } = checked.value;
    const verdict = this.rate.hit(now);
    if (verdict === 'close') return this.close(4429, 'too many history requests');
    if (verdict === 'drop') return this.error('rate_limited', `at most ${HISTORY_PER_S} history requests a second`, serverId);
    let answer: HistoryMessage;
    try {
      answer = { v: PROTOCOL_VERSION, type: 'history', serverId, ...readHistory(this.svc, this.acl, serverId, window, now) };
    } catch (e) {
      if (e instanceof HttpError) return this.error(e.code, e.message, serverId);
      throw e;
    }
    this.out.send(JSON.stringify(answer));
  }

  private refuse(code: string, message: string): void {
    this.error(code, message);
    if (++this.invalid >= MAX_INVALID) this.close(4400, 'too many invalid frames');
  }

  private close(code: number, reason: string): void {
    this.closing = true;
    this.out.close(code, reason);
  }

  private error(code: string, message: string, serverId?: string): void {
    const frame: BrowserError = { v: PROTOCOL_VERSION, type: 'error', code, message, ...(serverId === undefined ? {} : { serverId }) };
    this.out.send(JSON.stringify(frame));
  }
}
