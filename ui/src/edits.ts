/**
 * The diagram's edits as REST calls (the hub checks each against the user's ACL and answers with
 * a reason), and undo of the user's own deletions. Destructive calls return what `undo` needs.
 */
import type {
  AlertRule, AlertRuleCreate, AlertRuleInput, AuditEntry, AuditQuery, ClusterPatch, ConnectionType, LoadBalancerSettings, ServerPatch, UndoKind,
} from '../../agent/protocol/types.js';
import { call } from './api.js';

const seg = encodeURIComponent;

/** What a user just deleted: enough to put it back with `undo` (the hub keeps it a minute). */
export interface Deleted { kind: UndoKind; ids: string[]; label: string }

export const patchServer = (base: string, id: string, body: ServerPatch) => call<unknown>(base, 'PATCH', `api/servers/${seg(id)}`, body);
export const setConnectionType = (base: string, id: string, type: ConnectionType) => call<unknown>(base, 'PATCH', `api/connections/${seg(id)}`, { type });
export const patchCluster = (base: string, name: string, body: ClusterPatch) => call<unknown>(base, 'PATCH', `api/clusters/${seg(name)}`, body);
export const saveLoadBalancer = (base: string, name: string, lb: LoadBalancerSettings | null) => patchCluster(base, name, { loadBalancer: lb });

export async function deleteServers(base: string, ids: readonly string[]): Promise<Deleted> {
  for (const id of ids) await call<null>(base, 'DELETE', `api/servers/${seg(id)}`);
  return { kind: 'server', ids: [...ids], label: ids.length === 1 ? `server ${ids[0]}` : `${ids.length} servers` };
}
export async function deleteConnection(base: string, id: string): Promise<Deleted> {
  await call<null>(base, 'DELETE', `api/connections/${seg(id)}`);
  return { kind: 'connection', ids: [id], label: `connection ${id.replace(':', ' → ')}` };
}
export async function deleteCluster(base: string, name: string): Promise<Deleted> {
  await call<null>(base, 'DELETE', `api/clusters/${seg(name)}`);
  return { kind: 'cluster', ids: [name], label: `cluster ${name}` };
}
export const undo = (base: string, d: Deleted) => call<unknown>(base, 'POST', 'api/undo', { kind: d.kind, ids: d.ids });

export const listAlertRules = (base: string) => call<AlertRule[]>(base, 'GET', 'api/alert-rules');
export const createAlertRule = (base: string, rule: AlertRuleCreate) => call<AlertRule>(base, 'POST', 'api/alert-rules', rule);
/** Replaces the rule (PATCH: miniserv refuses PUT; every field is sent, so nothing of the old rule stays). */
export const updateAlertRule = (base: string, id: string, rule: AlertRuleInput) => call<AlertRule>(base, 'PATCH', `api/alert-rules/${seg(id)}`, rule);
export const deleteAlertRule = (base: string, id: string) => call<null>(base, 'DELETE', `api/alert-rules/${seg(id)}`);

export function getAudit(base: string, q: AuditQuery): Promise<AuditEntry[]> {
  const qs = new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '')).toString();
  return call<AuditEntry[]>(base, 'GET', `api/audit${qs ? `?${qs}` : ''}`);
}
