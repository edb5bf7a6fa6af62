/**
 * The Webmin gateway's unix socket: the same API as the TCP port, but the caller is the Webmin
 * user and ACL the gateway CGI forwards. Only root may connect (mode 0600, created under a
 * umask that never exposes it), so those headers cannot come from anyone else.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import { chmod, lstat, unlink } from 'node:fs/promises';
import type { Services } from '../api/context.js';
import { narrowWebminTokens } from '../auth/api-tokens.js';
import type { Principal } from '../auth/authenticate.js';
import { webminPrincipal } from '../auth/webmin.js';
import { httpHandler } from './server.js';

/** Removes a socket file left by a hub that died; refuses to touch anything else at `path`. */
async function removeStaleSocket(path: string): Promise<void> {
  try {
    if (!(await lstat(path)).isSocket()) throw new Error(`GATEWAY_SOCKET ${path} exists and is not a socket`);
    await unlink(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

/**
 * The Webmin user of a gateway request. Its API tokens never keep more than it has now: the hub
 * learns a Webmin user's ACL only from its requests here, so each one narrows them (rarely a write).
 */
async function gatewayCaller(svc: Services, req: Parameters<typeof webminPrincipal>[0]): Promise<Principal> {
  const who = await webminPrincipal(req);
  if (narrowWebminTokens(svc.store.state, who.name, who.acl) !== svc.store.state) {
    await svc.store.update((s) => narrowWebminTokens(s, who.name, who.acl));
  }
  return who;
}

export async function listenGateway(svc: Services, uiRoot: string, path: string): Promise<HttpServer> {
  await removeStaleSocket(path);
  const server = createServer(httpHandler(svc, uiRoot, { authenticate: (req) => gatewayCaller(svc, req), announcePath: true }));
  const umask = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } finally {
    process.umask(umask);
  }
  await chmod(path, 0o600);
  return server;
}
