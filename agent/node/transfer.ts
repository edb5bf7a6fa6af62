/**
 * Big files to and from the hub (a database backup, a backup to restore): HTTPS on the hub's
 * agent port, trusting only the pinned CA as the agent socket does, at `/transfer/{id}` with the
 * one-time token the hub put in the job. `upload` streams a body to the hub; `download` gives the
 * hub's answer as a stream that fails if the hub stops half-way.
 */
import { request } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface TransferTicket { id: string; token: string }

export interface HubTransfer {
  upload(t: TransferTicket, body: Readable): Promise<void>;
  download(t: TransferTicket): Promise<Readable>;
}

/** What the hub said when it refused (its JSON error, or the status). */
async function refusal(res: IncomingMessage): Promise<string> {
  let text = '';
  for await (const c of res) text = (text + String(c)).slice(0, 2048);
  try {
    return (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? `HTTP ${res.statusCode}`;
  } catch {
    return `HTTP ${res.statusCode}${text ? `: ${text.slice(0, 200)}` : ''}`;
  }
}

/** `hubUrl`: the agent socket's URL (wss://HOST:PORT/agent); `ca`: the pinned CA, once known. */
export function hubTransfer(hubUrl: string, ca: () => string | undefined): HubTransfer {
  const open = (method: 'GET' | 'POST', t: TransferTicket) => {
    const u = new URL(hubUrl);
    const pem = ca();
    if (!pem) throw new Error('the hub\'s CA is not known yet');
    return request({
      method, host: u.hostname, port: u.port || 443, path: `/transfer/${t.id}`, ca: pem,
      // The pinned CA is the trust anchor, as for the socket (the name agents dial by need not be in the certificate).
      checkServerIdentity: () => undefined,
      headers: { authorization: `Bearer ${t.token}`, ...(method === 'POST' ? { 'content-type': 'application/octet-stream' } : {}) },
    });
  };
  return {
    async upload(t, body) {
      const req = open('POST', t);
      const answered = new Promise<IncomingMessage>((resolve, reject) => { req.once('response', resolve); req.once('error', reject); });
      // A refusal can come before the body is sent: stop sending.
      answered.then((res) => { if (res.statusCode !== 200) body.destroy(new Error(`HTTP ${res.statusCode}`)); }, () => {});
      try {
        await pipeline(body, req);
      } catch (e) {
        req.destroy();
        const res = await Promise.race([answered, new Promise<undefined>((r) => setTimeout(r, 1000, undefined))]).catch(() => undefined);
        if (res && res.statusCode !== 200) throw new Error(`the hub refused the upload: ${await refusal(res)}`);
        throw e;
      }
      const res = await answered;
      if (res.statusCode !== 200) throw new Error(`the hub refused the upload: ${await refusal(res)}`);
      res.resume();
    },
    async download(t) {
      const req = open('GET', t);
      const res = await new Promise<IncomingMessage>((resolve, reject) => { req.once('response', resolve); req.once('error', reject); req.end(); });
      if (res.statusCode !== 200) throw new Error(`the hub refused the download: ${await refusal(res)}`);
      // A hub that stops half-way (a damaged backup) aborts the response: the stream then fails.
      res.once('aborted', () => res.destroy(new Error('the hub stopped sending the backup half-way (see the hub\'s operation for why)')));
      return res;
    },
  };
}
