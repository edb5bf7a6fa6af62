/**
 * HTTPS on the agent port, besides the agent socket: what a new node fetches to join
 * (enroll/join-command.ts). Only for the holder of a join token that can still enroll a node
 * (genuine, not expired, uses left); using one here costs no use. Every other path is a 404.
 *
 *   GET /join             the bootstrap script (token in `Authorization: Bearer`)
 *   GET /join/install.sh  the installer
 *   GET /join/agent.mjs   the agent bundle
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Services } from '../api/context.js';
import { checkJoinToken } from '../enroll/join-tokens.js';
import { bootstrapScript, refusalScript } from '../enroll/join-command.js';
import { SECURITY_HEADERS, sendJson } from './respond.js';

const FILES: Record<string, string> = { '/join/install.sh': 'text/x-shellscript', '/join/agent.mjs': 'text/javascript' };

export function joinEndpoint(svc: Pick<Services, 'store' | 'agentUrl' | 'agentPin' | 'log'>, bundleDir: string) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = new URL(req.url ?? '/', 'https://hub').pathname;
    if (path !== '/join' && !FILES[path]) {
      sendJson(res, 404, { error: { code: 'not_found', message: 'agents connect by WebSocket to /agent; new nodes fetch /join' } });
      return;
    }
    const script = (status: number, text: string) => {
      res.writeHead(status, { ...SECURITY_HEADERS, 'cache-control': 'no-store', 'content-type': 'text/x-shellscript; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    if (req.method !== 'GET') return script(405, refusalScript('only GET is served here'));
    const token = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
    try {
      const record = checkJoinToken(svc.store.state, token);
      if (record.usesLeft <= 0) throw Object.assign(new Error('used up'), { reason: `token ${record.id} is used up` });
    } catch (e) {
      svc.log(`join: refused ${req.socket.remoteAddress ?? 'a client'} ${path}: ${(e as { reason?: string }).reason ?? 'no token'}`);
      return script(401, refusalScript('the hub refused the join token (invalid, expired, used up or revoked): make a new one on the hub'));
    }
    if (path === '/join') {
      svc.log(`join: sent the bootstrap to ${req.socket.remoteAddress}`);
      return script(200, bootstrapScript({ agentUrl: svc.agentUrl, pin: svc.agentPin, token }));
    }
    const file = join(bundleDir, path.slice('/join/'.length));
    void stat(file).then((st) => {
      res.writeHead(200, { ...SECURITY_HEADERS, 'cache-control': 'no-store', 'content-type': FILES[path]!, 'content-length': st.size });
      createReadStream(file).on('error', () => res.destroy()).pipe(res);
    }, () => {
      svc.log(`join: ${file} is missing from the hub's installation`);
      sendJson(res, 503, { error: { code: 'missing_bundle', message: `the hub has no ${path.slice(6)} to serve (is its installation complete?)` } });
    });
  };
}
