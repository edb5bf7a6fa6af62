/** Every REST endpoint. Public ones (no login needed) are listed in PUBLIC. */
import { Router } from '../http/router.js';
import * as agents from './agents.js';
import * as alerts from './alerts.js';
import * as audit from './audit.js';
import * as diagnostics from './diagnostics.js';
import * as undo from './undo.js';
import type { ApiContext } from './context.js';
import * as clusters from './clusters.js';
import * as connections from './connections.js';
import * as layout from './layout.js';
import { serverHistory } from './history.js';
import * as plans from './plans.js';
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
    .on('GET', '/api/servers/:id/history', serverHistory)
    .on('POST', '/api/servers/:id/jobs', agents.runJob)
    .on('GET', '/api/join-tokens', agents.listJoinTokens)
    .on('POST', '/api/join-tokens', agents.createJoinTokenRoute)
    .on('DELETE', '/api/join-tokens/:id', agents.revokeJoinTokenRoute)
    .on('DELETE', '/api/agents/:id', agents.revokeAgent)
    .on('GET', '/api/connections', connections.list)
    .on('POST', '/api/connections', connections.create)
    .on('DELETE', '/api/connections', connections.remove)
    .on('PATCH', '/api/connections/:id', connections.patch)
    .on('DELETE', '/api/connections/:id', connections.remove)
    .on('GET', '/api/clusters', clusters.list)
    .on('POST', '/api/clusters', clusters.create)
    .on('GET', '/api/clusters/:name', clusters.get)
    .on('PATCH', '/api/clusters/:name', clusters.patch)
    .on('DELETE', '/api/clusters/:name', clusters.remove)
    .on('POST', '/api/clusters/:name/plans', plans.createPlan)
    .on('GET', '/api/clusters/:name/lb-status', plans.lbStatus)
    .on('GET', '/api/plans/:id', plans.getPlan)
    .on('POST', '/api/plans/:id/apply', plans.applyPlan)
    .on('GET', '/api/layout', layout.get)
    .on('PUT', '/api/layout', layout.put)
    .on('GET', '/api/stats', stats)
    .on('GET', '/api/alert-rules', alerts.listRules)
    .on('POST', '/api/alert-rules', alerts.createRule)
    .on('PUT', '/api/alert-rules/:id', alerts.updateRule)
    .on('DELETE', '/api/alert-rules/:id', alerts.deleteRule)
    .on('GET', '/api/alerts', alerts.listAlerts)
    .on('GET', '/api/undo', undo.list)
    .on('POST', '/api/undo', undo.undo)
    .on('GET', '/api/audit', audit.list)
    .on('GET', '/api/diagnostics', diagnostics.diagnostics)
    .on('GET', '/api/logs', diagnostics.logs)
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
