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
import * as galera from './galera.js';
import * as gluster from './gluster.js';
import * as layout from './layout.js';
import * as operations from './operations.js';
import { serverHistory } from './history.js';
import * as plans from './plans.js';
import * as scaling from './scaling.js';
import * as schedules from './schedules.js';
import * as servers from './servers.js';
import * as session from './session.js';
import { stats } from './stats.js';
import * as transfer from './transfer.js';
import * as users from './users.js';
import * as virtualServers from './virtual-servers.js';

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
    .on('GET', '/api/clusters/:name/galera', galera.status)
    .on('POST', '/api/clusters/:name/galera/plan', galera.plan)
    .on('POST', '/api/clusters/:name/galera/apply', galera.apply)
    .on('POST', '/api/clusters/:name/galera/nodes', galera.addNode)
    .on('DELETE', '/api/clusters/:name/galera/nodes/:id', galera.removeNode)
    .on('POST', '/api/clusters/:name/galera/rolling-restart', galera.rollingRestart)
    .on('POST', '/api/clusters/:name/galera/recover', galera.recover)
    .on('GET', '/api/clusters/:name/galera/backups', galera.listBackups)
    .on('POST', '/api/clusters/:name/galera/backups', galera.backupNow)
    .on('POST', '/api/clusters/:name/galera/restore', galera.restore)
    .on('POST', '/api/clusters/:name/galera/databases', galera.createDatabase)
    .on('DELETE', '/api/clusters/:name/galera/databases/:db', galera.dropDatabase)
    .on('GET', '/api/clusters/:name/operations', operations.listOperations)
    .on('GET', '/api/operations/:id', operations.getOperation)
    .on('POST', '/api/operations/:id/confirm', operations.confirmOperation)
    .on('POST', '/api/operations/:id/cancel', operations.cancelOperation)
    .on('GET', '/api/clusters/:name/scaling', scaling.getScaling)
    .on('POST', '/api/clusters/:name/scaling/policy', scaling.setPolicy)
    .on('DELETE', '/api/clusters/:name/scaling/policy', scaling.removePolicy)
    .on('POST', '/api/clusters/:name/scaling/binding', scaling.bind)
    .on('DELETE', '/api/clusters/:name/scaling/binding', scaling.unbind)
    .on('POST', '/api/clusters/:name/scaling/user-data', scaling.userData)
    .on('POST', '/api/clusters/:name/scaling/protection', scaling.protection)
    .on('POST', '/api/clusters/:name/scaling/preview', scaling.preview)
    .on('POST', '/api/clusters/:name/scaling/scale-in', scaling.scaleIn)
    .on('GET', '/api/schedules', schedules.listSchedules)
    .on('PATCH', '/api/schedules/:id', schedules.patchSchedule)
    .on('POST', '/api/schedules/:id/run', schedules.runSchedule)
    .on('GET', '/api/clusters/:name/gluster', gluster.status)
    .on('POST', '/api/clusters/:name/gluster/plan', gluster.plan)
    .on('POST', '/api/clusters/:name/gluster/apply', gluster.apply)
    .on('POST', '/api/clusters/:name/gluster/expand', gluster.expand)
    .on('POST', '/api/clusters/:name/gluster/replace', gluster.replace)
    .on('POST', '/api/clusters/:name/gluster/remove-peer', gluster.removePeer)
    .on('POST', '/api/clusters/:name/gluster/split-brain', gluster.splitBrain)
    .on('POST', '/api/clusters/:name/gluster/directories', gluster.makeDirectory)
    .on('POST', '/api/clusters/:name/gluster/mounts', gluster.ensureMounts)
    .on('GET', '/api/layout', layout.get)
    // PUT is kept for older clients of the hub's own port; miniserv refuses it (README).
    .on('PATCH', '/api/layout', layout.patch)
    .on('PUT', '/api/layout', layout.patch)
    .on('GET', '/api/stats', stats)
    .on('GET', '/api/alert-rules', alerts.listRules)
    .on('POST', '/api/alert-rules', alerts.createRule)
    .on('PATCH', '/api/alert-rules/:id', alerts.patchRuleRoute)
    .on('PUT', '/api/alert-rules/:id', alerts.replaceRuleRoute)
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
    .on('DELETE', '/api/api-tokens/:id', users.revokeToken)
    .on('GET', '/api/virtual-servers', virtualServers.list)
    .on('POST', '/api/virtual-servers', virtualServers.create)
    .on('POST', '/api/virtual-servers/check', virtualServers.check)
    .on('GET', '/api/virtual-servers/:id', virtualServers.get)
    .on('PATCH', '/api/virtual-servers/:id', virtualServers.patch)
    .on('DELETE', '/api/virtual-servers/:id', virtualServers.remove);
}
