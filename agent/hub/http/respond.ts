/** Writing JSON answers and errors. */
import type { ServerResponse } from 'node:http';
import { RawJson } from '../api/view-json.js';
import { HttpError } from '../errors.js';

export const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'SAMEORIGIN',
};

/** Sends `body` as JSON; a RawJson body is sent as the JSON it already is. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  const text = body === undefined ? '' : body instanceof RawJson ? body.text : JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'cache-control': 'no-store',
    ...(text ? { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) } : {}),
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, err: unknown, log: (msg: string) => void): void {
  if (err instanceof HttpError) {
    sendJson(res, err.status, { error: { code: err.code, message: err.message } }, err.headers);
    return;
  }
  log(`internal error: ${(err as Error)?.stack ?? String(err)}`);
  sendJson(res, 500, { error: { code: 'internal', message: 'internal error; the hub log has details' } });
}
