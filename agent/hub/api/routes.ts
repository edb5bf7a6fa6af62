/** Every REST endpoint. Public ones (no login needed) are listed in PUBLIC. */
import { Router } from '../http/router.js';
import type { ApiContext } from './context.js';
import * as clusters from './clusters.js';
import * as connections from './connections.js';
import * as servers from './servers.js';
import * as session from './session.js';
import { stats } from './stats.js';
import * as transfer from './transfer.js';
import * as users from './users.js';

export const PUBLIC = new Set(['GET /api/health', 'POST /api/login']);

export function apiRouter(): Router<ApiContext> {
  return new Router<ApiContext>()
    .on('GET', '/api/health', session.health)
    .on('POST', '/api/login', session.login)
    .on('POST', '/api/logout', session.logout)
    .on('GET', '/api/me', session.me)
    .on('POST', '/api/ticket', session.ticket)
    .on('GET', '/api/servers', servers.list)
    .on('POST', '/api/servers', servers.create)
    .on('GET', '/api/servers/:id', servers.get)
    .on('PATCH', '/api/servers/:id', servers.patch)
    .on('DELETE', '/api/servers/:id', servers.remove)
    .on('GET', '/api/connections', connections.list)
    .on('POST', '/api/connections', connections.create)
    .on('DELETE', '/api/connections', connections.remove)
    .on('DELETE', '/api/connections/:id', connections.remove)
    .on('GET', '/api/clusters', clusters.list)
    .on('POST', '/api/clusters', clusters.create)
    .on('GET', '/api/clusters/:name', clusters.get)
    .on('PATCH', '/api/clusters/:name', clusters.patch)
    .on('DELETE', '/api/clusters/:name', clusters.remove)
    .on('GET', '/api/stats', stats)
    .on('GET', '/api/export', transfer.exportDoc)
    .on('POST', '/api/import', transfer.importDoc)
    .on('GET', '/api/backup', transfer.backup)
    .on('POST', '/api/restore', transfer.restore)
    .on('GET', '/api/users', users.listUsers)
    .on('POST', '/api/users', users.createUser)
    .on('PATCH', '/api/users/:name', users.patchUserRoute)
    .on('DELETE', '/api/users/:name', users.deleteUser)
    .on('GET', '/api/api-tokens', users.listTokens)
    .on('POST', '/api/api-tokens', users.createToken)
    .on('DELETE', '/api/api-tokens/:id', users.revokeToken);
}
