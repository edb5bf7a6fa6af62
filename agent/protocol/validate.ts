/**
 * ajv validators, each compiled once per process, on first use. `check` turns a failure into one readable
 * sentence (the first error: enough to fix the input, cheap on hostile input).
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import {
  agentFirstFrameSchema, agentMessageSchema, errorMessageSchema, hubEnrolledSchema, hubJobSchema, hubProbeTargetsSchema, hubWelcomeSchema,
} from './agent-messages.js';
import {
  glusterDirectorySchema, glusterEnsureMountsSchema, glusterExpandSchema, glusterRemovePeerSchema, glusterReplaceSchema, glusterSplitBrainSchema,
  hubGlusterWatchSchema,
} from './gluster.js';
import { browserMessageSchema, hubToBrowserSchema } from './browser-messages.js';
import {
  apiTokenCreateSchema, clusterCreateSchema, clusterPatchSchema, connectionCreateSchema, connectionDeleteSchema, connectionPatchSchema,
  jobCreateSchema, joinTokenCreateSchema, layoutPatchSchema, loginSchema, serverCreateSchema, serverPatchSchema, userCreateSchema, userPatchSchema,
} from './api.js';
import { historySchema } from './history.js';
import { exportSchema } from './model.js';
import { aclSchema } from './common.js';
import { alertQuerySchema, alertRuleCreateSchema, alertRuleInputSchema, alertRulePatchSchema } from './alerts.js';
import { sessionsFileSchema, stateSchema } from './state.js';
import { protectionInputSchema, scaleInInputSchema, scalingBindInputSchema, scalingPolicySchema, userDataInputSchema } from './scaling.js';
import { schedulePatchSchema } from './schedules.js';
import { galeraAddNodeSchema, galeraApplySchema, galeraDatabaseCreateSchema, galeraDatabaseDropSchema, galeraRestoreSchema } from './galera.js';
import { auditQuerySchema } from './audit.js';
import { undoSchema } from './undo.js';
import { diagnosticsSchema, hubLogQuerySchema, hubLogSchema } from './diagnostics.js';
import { webminAclSchema, webminUserSchema } from './webmin.js';
import { placementCheckSchema, virtualServerCreateSchema, virtualServerPatchSchema } from './virtual-servers.js';
import type * as T from './types.js';

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^(?=.*:)[0-9A-Fa-f:.]{2,45}$/;
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

/** An IPv4 or IPv6 address, or a DNS name. */
export function isHost(value: string): boolean {
  if (IPV4.test(value)) return true;
  if (IPV6.test(value)) return !value.includes(':::') && (value.match(/::/g) ?? []).length <= 1;
  return HOSTNAME.test(value) && !/^[\d.]+$/.test(value);
}

/** An absolute http:// or https:// URL (webhook targets: no file:, data:, javascript: …). */
export function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/** One mail recipient, `user@domain` or a local user (`root`): nothing that could add a header or a second address. */
export const isMailAddress = (value: string): boolean => /^[A-Za-z0-9._%+-]+(@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)?$/.test(value);

// `discriminator` lets a oneOf report the errors of the branch its tag names (alert rules and actions).
const ajv = new Ajv({ allErrors: false, strict: true, strictRequired: false, allowUnionTypes: true, discriminator: true });
ajv.addFormat('host', { type: 'string', validate: isHost });
ajv.addFormat('http-url', { type: 'string', validate: isHttpUrl });
ajv.addFormat('mail-address', { type: 'string', validate: isMailAddress });

const FORMAT_NAMES: Record<string, string> = {
  host: 'an IP address or host name', 'http-url': 'an http:// or https:// URL', 'mail-address': 'an e-mail address',
};

/** A validator for a schema derived from these (compiled now, with the same formats and options). */
export function compile<Out>(schema: object): ValidateFunction<Out> {
  return ajv.compile<Out>(schema);
}

/** A validator compiled on first use: each process pays only for the schemas it uses. */
function lazy<Out>(schema: object): () => ValidateFunction<Out> {
  let fn: ValidateFunction<Out> | undefined;
  return () => (fn ??= ajv.compile<Out>(schema));
}

function getters<T extends Record<string, () => unknown>>(defs: T): { readonly [K in keyof T]: ReturnType<T[K]> } {
  const out = {};
  for (const [k, get] of Object.entries(defs)) Object.defineProperty(out, k, { get, enumerable: true });
  return out as { readonly [K in keyof T]: ReturnType<T[K]> };
}

export const validators = getters({
  agentFirstFrame: lazy<T.AgentFirstFrame>(agentFirstFrameSchema),
  agentMessage: lazy<T.AgentMessage>(agentMessageSchema),
  browserMessage: lazy<T.BrowserMessage>(browserMessageSchema),
  hubToBrowser: lazy<T.HubToBrowser>(hubToBrowserSchema),
  history: lazy<T.HistoryBody>(historySchema),
  serverCreate: lazy<T.ServerCreate>(serverCreateSchema),
  serverPatch: lazy<T.ServerPatch>(serverPatchSchema),
  connectionCreate: lazy<T.ConnectionCreate>(connectionCreateSchema),
  connectionDelete: lazy<T.ConnectionDelete>(connectionDeleteSchema),
  connectionPatch: lazy<T.ConnectionPatch>(connectionPatchSchema),
  clusterCreate: lazy<T.ClusterCreate>(clusterCreateSchema),
  clusterPatch: lazy<T.ClusterPatch>(clusterPatchSchema),
  layoutPatch: lazy<T.LayoutPatch>(layoutPatchSchema),
  login: lazy<T.Login>(loginSchema),
  userCreate: lazy<T.UserCreate>(userCreateSchema),
  userPatch: lazy<T.UserPatch>(userPatchSchema),
  apiTokenCreate: lazy<T.ApiTokenCreate>(apiTokenCreateSchema),
  joinTokenCreate: lazy<T.JoinTokenCreate>(joinTokenCreateSchema),
  jobCreate: lazy<T.JobCreate>(jobCreateSchema),
  exportDoc: lazy<T.ExportDoc>(exportSchema),
  acl: lazy<T.Acl>(aclSchema),
  state: lazy<T.State>(stateSchema),
  sessionsFile: lazy<T.SessionsFile>(sessionsFileSchema),
  webminUser: lazy<string>(webminUserSchema),
  webminAcl: lazy<T.WebminAcl>(webminAclSchema),
  alertRuleCreate: lazy<T.AlertRuleCreate>(alertRuleCreateSchema),
  alertRuleInput: lazy<T.AlertRuleInput>(alertRuleInputSchema),
  alertRulePatch: lazy<T.AlertRulePatch>(alertRulePatchSchema),
  alertQuery: lazy<T.AlertQuery>(alertQuerySchema),
  virtualServerCreate: lazy<T.VirtualServerCreate>(virtualServerCreateSchema),
  virtualServerPatch: lazy<T.VirtualServerPatch>(virtualServerPatchSchema),
  placementCheck: lazy<T.PlacementCheck>(placementCheckSchema),
  scalingPolicy: lazy<T.ScalingPolicy>(scalingPolicySchema),
  scalingBind: lazy<T.ScalingBindInput>(scalingBindInputSchema),
  userDataInput: lazy<T.UserDataInput>(userDataInputSchema),
  scaleInInput: lazy<T.ScaleInInput>(scaleInInputSchema),
  protectionInput: lazy<T.ProtectionInput>(protectionInputSchema),
  schedulePatch: lazy<T.SchedulePatch>(schedulePatchSchema),
  galeraApply: lazy<T.GaleraApply>(galeraApplySchema),
  galeraAddNode: lazy<T.GaleraAddNode>(galeraAddNodeSchema),
  galeraDatabaseCreate: lazy<T.GaleraDatabaseCreate>(galeraDatabaseCreateSchema),
  galeraDatabaseDrop: lazy<T.GaleraDatabaseDrop>(galeraDatabaseDropSchema),
  galeraRestore: lazy<T.GaleraRestore>(galeraRestoreSchema),
  glusterExpand: lazy<T.GlusterExpand>(glusterExpandSchema),
  glusterReplace: lazy<T.GlusterReplace>(glusterReplaceSchema),
  glusterRemovePeer: lazy<T.GlusterRemovePeer>(glusterRemovePeerSchema),
  glusterSplitBrain: lazy<T.GlusterSplitBrain>(glusterSplitBrainSchema),
  glusterDirectory: lazy<T.GlusterDirectory>(glusterDirectorySchema),
  glusterEnsureMounts: lazy<T.GlusterEnsureMounts>(glusterEnsureMountsSchema),
  auditQuery: lazy<T.AuditQuery>(auditQuerySchema),
  undo: lazy<T.UndoRequest>(undoSchema),
  diagnostics: lazy<T.Diagnostics>(diagnosticsSchema),
  hubLog: lazy<T.HubLog>(hubLogSchema),
  hubLogQuery: lazy<T.HubLogQuery>(hubLogQuerySchema),
});

export type Checked<Out> = { ok: true; value: Out } | { ok: false; error: string };

/** Validates `data`; on failure returns a sentence such as `/type must be one of: web, database, …`. */
export function check<Out>(validate: ValidateFunction<Out>, data: unknown): Checked<Out> {
  if (validate(data)) return { ok: true, value: data };
  return { ok: false, error: describe(validate.errors?.[0]) };
}

/**
 * What the hub may send an agent (hubToAgentSchema), one validator per frame type: compiling the
 * job schema (load-balancing desired state and all) costs an agent ~4 MB of RSS, so only an agent
 * that gets a job pays for it.
 */
const hubToAgentByType: Record<T.HubToAgent['type'], () => ValidateFunction<T.HubToAgent>> = {
  welcome: lazy(hubWelcomeSchema), error: lazy(errorMessageSchema), enrolled: lazy(hubEnrolledSchema),
  job: lazy(hubJobSchema), 'probe-targets': lazy(hubProbeTargetsSchema), 'gluster-watch': lazy(hubGlusterWatchSchema),
};

export function checkHubToAgent(data: unknown): Checked<T.HubToAgent> {
  const type = typeof data === 'object' && data !== null ? (data as { type?: unknown }).type : undefined;
  const validator = typeof type === 'string' && Object.hasOwn(hubToAgentByType, type) ? hubToAgentByType[type as T.HubToAgent['type']] : undefined;
  if (!validator) return { ok: false, error: `/type must be one of: ${Object.keys(hubToAgentByType).join(', ')}` };
  return check(validator(), data);
}

function describe(e: ErrorObject | undefined): string {
  if (!e) return 'invalid';
  const where = e.instancePath || '(body)';
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': return `${where} has an unknown property "${String(p['additionalProperty'])}"`;
    case 'required': return `${where} is missing "${String(p['missingProperty'])}"`;
    case 'enum': return `${where} must be one of: ${(p['allowedValues'] as unknown[]).join(', ')}`;
    case 'format': return `${where} must be ${FORMAT_NAMES[String(p['format'])] ?? `in the format ${String(p['format'])}`}`;
    case 'discriminator': return p['tagValue'] === undefined
      ? `${where} is missing "${String(p['tag'])}"`
      : `${e.instancePath}/${String(p['tag'])} has an unknown value '${String(p['tagValue'])}'`;
    case 'pattern': return `${where} has characters that are not allowed`;
    default: return `${where} ${e.message ?? 'is invalid'}`;
  }
}
