/** TypeScript types derived from the schemas: the schemas are the one source. */
import type { FromSchema } from 'json-schema-to-ts';
import type { ACL_FLAGS, CONNECTION_STATUSES, CONNECTION_TYPES, SERVER_STATUSES, SERVER_TYPES, aclSchema } from './common.js';
import type { clusterSchema, connectionSchema, exportSchema, inventorySchema, layoutSchema, serverSchema } from './model.js';
import type { metricsSampleSchema } from './metrics.js';
import type {
  ALERT_HOOKS, ALERT_METRICS, alertActionSchema, alertQuerySchema, alertRuleCreateSchema, alertRuleInputSchema, alertRuleSchema, alertSchema,
} from './alerts.js';
import type {
  agentEnrollSchema, agentHelloSchema, agentLatencySchema, agentLbStatusSchema, jobProgressSchema, agentMetricsSchema, errorMessageSchema, hubEnrolledSchema, hubJobSchema,
  hubProbeTargetsSchema, hubWelcomeSchema, jobResultSchema, jobSchema,
} from './agent-messages.js';
import type { browserAuthSchema, browserErrorSchema, connectionLiveSchema, deltaSchema, snapshotSchema } from './browser-messages.js';
import type { HISTORY_WINDOWS, historyMessageSchema, historyRequestSchema, historySchema } from './history.js';
import type {
  apiTokenCreateSchema, clusterCreateSchema, clusterPatchSchema, connectionCreateSchema, connectionDeleteSchema, connectionPatchSchema,
  jobCreateSchema, joinTokenCreateSchema, layoutPutSchema, loginSchema, serverCreateSchema, serverPatchSchema, userCreateSchema, userPatchSchema,
} from './api.js';
import type { webminAclSchema } from './webmin.js';
import type {
  BALANCE_ALGORITHMS, desiredServerSchema, filePlanSchema, frontendSchema, haproxyDesiredSchema, keepalivedDesiredSchema, lbDesiredSchema,
  lbClusterStatusSchema, lbStatusFrameSchema, lbStatusSchema, loadBalancerSettingsSchema, nodePlanSchema, planFrameSchema, planViewSchema, serverLiveSchema,
} from './lb.js';
import type { agentCredentialSchema, apiTokenSchema, auditEntrySchema, joinTokenSchema, stateSchema, userSchema } from './state.js';
import type { AUDIT_RESULTS, auditQuerySchema } from './audit.js';
import type { UNDO_KINDS, undoSchema, undoableSchema } from './undo.js';
import type { diagnosticsSchema, hubLogLineSchema, hubLogQuerySchema, hubLogSchema } from './diagnostics.js';

export type ServerType = (typeof SERVER_TYPES)[number];
export type ConnectionType = (typeof CONNECTION_TYPES)[number];
export type ServerStatus = (typeof SERVER_STATUSES)[number];
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];
export type AclFlag = (typeof ACL_FLAGS)[number];

export type Acl = FromSchema<typeof aclSchema>;
export type WebminAcl = FromSchema<typeof webminAclSchema>;
export type Inventory = FromSchema<typeof inventorySchema>;
export type Server = FromSchema<typeof serverSchema>;
export type Connection = FromSchema<typeof connectionSchema>;
export type Cluster = FromSchema<typeof clusterSchema>;
export type Layout = FromSchema<typeof layoutSchema>;
export type ExportDoc = FromSchema<typeof exportSchema>;
export type MetricsSample = FromSchema<typeof metricsSampleSchema>;

export type AgentEnroll = FromSchema<typeof agentEnrollSchema>;
export type AgentHello = FromSchema<typeof agentHelloSchema>;
export type AgentFirstFrame = AgentEnroll | AgentHello;
export type AgentMetrics = FromSchema<typeof agentMetricsSchema>;
export type JobResult = FromSchema<typeof jobResultSchema>;
export type AgentLatency = FromSchema<typeof agentLatencySchema>;
export type LatencyResult = AgentLatency['results'][number];
export type JobProgress = FromSchema<typeof jobProgressSchema>;
export type AgentLbStatus = FromSchema<typeof agentLbStatusSchema>;
export type AgentMessage = AgentMetrics | JobResult | AgentLatency | JobProgress | AgentLbStatus;
export type HubWelcome = FromSchema<typeof hubWelcomeSchema>;
export type HubEnrolled = FromSchema<typeof hubEnrolledSchema>;
export type Job = FromSchema<typeof jobSchema>;
export type HubJob = FromSchema<typeof hubJobSchema>;
export type ErrorMessage = FromSchema<typeof errorMessageSchema>;
export type HubProbeTargets = FromSchema<typeof hubProbeTargetsSchema>;
export type ProbeTarget = HubProbeTargets['targets'][number];
export type HubToAgent = HubWelcome | ErrorMessage | HubEnrolled | HubJob | HubProbeTargets;

export type BrowserAuth = FromSchema<typeof browserAuthSchema>;
export type Snapshot = FromSchema<typeof snapshotSchema>;
export type Delta = FromSchema<typeof deltaSchema>;
export type ConnectionLive = FromSchema<typeof connectionLiveSchema>;
export type BrowserError = FromSchema<typeof browserErrorSchema>;
export type HistoryWindow = (typeof HISTORY_WINDOWS)[number];
export type HistoryBody = FromSchema<typeof historySchema>;
export type HistoryRequest = FromSchema<typeof historyRequestSchema>;
export type HistoryMessage = FromSchema<typeof historyMessageSchema>;
export type BrowserMessage = BrowserAuth | HistoryRequest;
export type HubToBrowser = Snapshot | Delta | HistoryMessage | BrowserError | PlanFrame | LbStatusFrame;

export type ServerCreate = FromSchema<typeof serverCreateSchema>;
export type ServerPatch = FromSchema<typeof serverPatchSchema>;
export type ConnectionCreate = FromSchema<typeof connectionCreateSchema>;
export type ConnectionDelete = FromSchema<typeof connectionDeleteSchema>;
export type ConnectionPatch = FromSchema<typeof connectionPatchSchema>;
export type ClusterCreate = FromSchema<typeof clusterCreateSchema>;
export type ClusterPatch = FromSchema<typeof clusterPatchSchema>;
export type LayoutPut = FromSchema<typeof layoutPutSchema>;
export type Login = FromSchema<typeof loginSchema>;
export type UserCreate = FromSchema<typeof userCreateSchema>;
export type UserPatch = FromSchema<typeof userPatchSchema>;
export type ApiTokenCreate = FromSchema<typeof apiTokenCreateSchema>;

export type User = FromSchema<typeof userSchema>;
export type ApiToken = FromSchema<typeof apiTokenSchema>;
export type AuditEntry = FromSchema<typeof auditEntrySchema>;
export type AuditResult = (typeof AUDIT_RESULTS)[number];
export type AuditQuery = FromSchema<typeof auditQuerySchema>;
export type UndoKind = (typeof UNDO_KINDS)[number];
export type UndoRequest = FromSchema<typeof undoSchema>;
export type Undoable = FromSchema<typeof undoableSchema>;
export type Diagnostics = FromSchema<typeof diagnosticsSchema>;
export type HubLogLine = FromSchema<typeof hubLogLineSchema>;
export type HubLog = FromSchema<typeof hubLogSchema>;
export type HubLogQuery = FromSchema<typeof hubLogQuerySchema>;
export type State = FromSchema<typeof stateSchema>;
export type JoinToken = FromSchema<typeof joinTokenSchema>;
export type AgentCredential = FromSchema<typeof agentCredentialSchema>;
export type JoinTokenCreate = FromSchema<typeof joinTokenCreateSchema>;
export type JobCreate = FromSchema<typeof jobCreateSchema>;

export type AlertMetric = (typeof ALERT_METRICS)[number];
export type AlertHookName = (typeof ALERT_HOOKS)[number];
export type AlertAction = FromSchema<typeof alertActionSchema>;
export type AlertRule = FromSchema<typeof alertRuleSchema>;
export type AlertRuleInput = FromSchema<typeof alertRuleInputSchema>;
export type AlertRuleCreate = FromSchema<typeof alertRuleCreateSchema>;
export type Alert = FromSchema<typeof alertSchema>;
export type AlertQuery = FromSchema<typeof alertQuerySchema>;

export type LoadBalancerSettings = FromSchema<typeof loadBalancerSettingsSchema>;
export type BalanceAlgorithm = (typeof BALANCE_ALGORITHMS)[number];
export type Frontend = FromSchema<typeof frontendSchema>;
export type DesiredServer = FromSchema<typeof desiredServerSchema>;
export type HaproxyDesired = FromSchema<typeof haproxyDesiredSchema>;
export type KeepalivedDesired = FromSchema<typeof keepalivedDesiredSchema>;
export type LbDesired = FromSchema<typeof lbDesiredSchema>;
export type FilePlan = FromSchema<typeof filePlanSchema>;
export type NodePlan = FromSchema<typeof nodePlanSchema>;
export type ServerLive = FromSchema<typeof serverLiveSchema>;
export type LbStatus = FromSchema<typeof lbStatusSchema>;
export type PlanView = FromSchema<typeof planViewSchema>;
export type PlanFrame = FromSchema<typeof planFrameSchema>;
export type LbClusterStatus = FromSchema<typeof lbClusterStatusSchema>;
export type LbStatusFrame = FromSchema<typeof lbStatusFrameSchema>;

/** JSON error body of every failed API call. */
export interface ApiError { error: { code: string; message: string } }
