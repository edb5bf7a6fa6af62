/** TypeScript types derived from the schemas: the schemas are the one source. */
import type { FromSchema } from 'json-schema-to-ts';
import type { ACL_FLAGS, CONNECTION_STATUSES, CONNECTION_TYPES, SERVER_STATUSES, SERVER_TYPES, aclSchema } from './common.js';
import type { clusterSchema, connectionSchema, exportSchema, inventorySchema, layoutSchema, serverSchema } from './model.js';
import type { metricsSampleSchema } from './metrics.js';
import type {
  ALERT_HOOKS, ALERT_METRICS, alertActionSchema, alertQuerySchema, alertRuleCreateSchema, alertRuleInputSchema, alertRulePatchSchema, alertRuleSchema, alertSchema,
} from './alerts.js';
import type {
  agentEnrollSchema, agentHelloSchema, agentLatencySchema, agentLbStatusSchema, jobProgressSchema, agentMetricsSchema, errorMessageSchema, hubEnrolledSchema, hubJobSchema,
  hubProbeTargetsSchema, hubWelcomeSchema, jobResultSchema, jobSchema,
} from './agent-messages.js';
import type { browserAuthSchema, browserErrorSchema, connectionLiveSchema, deltaSchema, snapshotSchema } from './browser-messages.js';
import type { HISTORY_WINDOWS, historyMessageSchema, historyRequestSchema, historySchema } from './history.js';
import type {
  apiTokenCreateSchema, clusterCreateSchema, clusterPatchSchema, connectionCreateSchema, connectionDeleteSchema, connectionPatchSchema,
  jobCreateSchema, joinTokenCreateSchema, layoutPatchSchema, loginSchema, serverCreateSchema, serverPatchSchema, userCreateSchema, userPatchSchema,
} from './api.js';
import type { webminAclSchema } from './webmin.js';
import type {
  BALANCE_ALGORITHMS, desiredBackendSchema, desiredFrontendSchema, desiredServerSchema, filePlanSchema, frontendSchema, haproxyDesiredSchema, keepalivedDesiredSchema, lbDesiredSchema,
  lbClusterStatusSchema, lbStatusFrameSchema, lbStatusSchema, loadBalancerSettingsSchema, nodePlanSchema, planFrameSchema, planViewSchema, serverLiveSchema,
} from './lb.js';
import type {
  GALERA_STATES, agentGaleraStatusSchema, galeraAddNodeSchema, galeraApplySchema, galeraClusterStatusSchema, galeraDatabaseCreateSchema,
  galeraDatabaseDropSchema, galeraDesiredSchema, galeraFilePlanSchema, galeraJobResultSchema, galeraJobSchema, galeraNodeFactsSchema,
  galeraNodeStatusSchema, galeraPlanSchema, galeraSecretsSchema, galeraSettingsSchema, galeraStatusFrameSchema, grastateSchema,
  galeraBackupSchema, galeraRestoreSchema,
} from './galera.js';
import type {
  agentGlusterStatusSchema, brickStatusSchema, brickViewSchema, glusterClusterViewSchema, glusterDirectorySchema, glusterEnsureMountsSchema, glusterExpandSchema,
  glusterJobResultSchema, glusterJobSchema, glusterMountSchema, glusterPlanSchema, glusterRemovePeerSchema, glusterReplaceSchema, glusterSettingsSchema,
  glusterSplitBrainSchema, glusterStatusFrameSchema, glusterStatusSchema, glusterVolumeSettingsSchema, hubGlusterWatchSchema, peerStatusSchema, volumeStatusSchema,
} from './gluster.js';
import type { OPERATION_FLAGS, operationFrameSchema, operationSchema, operationStepSchema } from './operations.js';
import type { agentCredentialSchema, apiTokenSchema, auditEntrySchema, joinTokenSchema, sessionsFileSchema, stateSchema, userSchema } from './state.js';
import type {
  PART_STATUSES, placementCheckSchema, placementReportSchema, virtualServerCreateSchema, virtualServerPatchSchema, virtualServerSchema,
} from './virtual-servers.js';
import type {
  awsCredentialsSchema, clusterScalingSchema, scaleInInputSchema, protectionInputSchema, scalingBindInputSchema, scalingBindingSchema,
  scalingDecisionSchema, scalingFrameSchema, scalingPolicySchema, scalingViewSchema, scheduledActionSchema, stepRuleSchema, targetTrackingSchema,
  userDataInputSchema, SCALING_METRICS,
} from './scaling.js';
import type { SCHEDULE_KINDS, schedulePatchSchema, scheduleRecordSchema, scheduleRunSchema, scheduleSettingsSchema, scheduleViewSchema } from './schedules.js';
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
export type AgentMessage = AgentMetrics | JobResult | AgentLatency | JobProgress | AgentLbStatus | AgentGaleraStatus | AgentGlusterStatus;
export type HubWelcome = FromSchema<typeof hubWelcomeSchema>;
export type HubEnrolled = FromSchema<typeof hubEnrolledSchema>;
export type Job = FromSchema<typeof jobSchema>;
export type HubJob = FromSchema<typeof hubJobSchema>;
export type ErrorMessage = FromSchema<typeof errorMessageSchema>;
export type HubProbeTargets = FromSchema<typeof hubProbeTargetsSchema>;
export type ProbeTarget = HubProbeTargets['targets'][number];
export type HubToAgent = HubWelcome | ErrorMessage | HubEnrolled | HubJob | HubProbeTargets | HubGlusterWatch;

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
export type HubToBrowser = Snapshot | Delta | HistoryMessage | BrowserError | PlanFrame | LbStatusFrame | OperationFrame | ScalingFrame | GaleraStatusFrame | GlusterStatusFrame;

export type ServerCreate = FromSchema<typeof serverCreateSchema>;
export type ServerPatch = FromSchema<typeof serverPatchSchema>;
export type ConnectionCreate = FromSchema<typeof connectionCreateSchema>;
export type ConnectionDelete = FromSchema<typeof connectionDeleteSchema>;
export type ConnectionPatch = FromSchema<typeof connectionPatchSchema>;
export type ClusterCreate = FromSchema<typeof clusterCreateSchema>;
export type ClusterPatch = FromSchema<typeof clusterPatchSchema>;
export type LayoutPatch = FromSchema<typeof layoutPatchSchema>;
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
export type SessionsFile = FromSchema<typeof sessionsFileSchema>;
export type JoinToken = FromSchema<typeof joinTokenSchema>;
export type AgentCredential = FromSchema<typeof agentCredentialSchema>;
export type JoinTokenCreate = FromSchema<typeof joinTokenCreateSchema>;
export type JobCreate = FromSchema<typeof jobCreateSchema>;

export type AlertMetric = (typeof ALERT_METRICS)[number];
export type AlertHookName = (typeof ALERT_HOOKS)[number];
export type AlertAction = FromSchema<typeof alertActionSchema>;
export type AlertRule = FromSchema<typeof alertRuleSchema>;
export type AlertRuleInput = FromSchema<typeof alertRuleInputSchema>;
export type AlertRulePatch = FromSchema<typeof alertRulePatchSchema>;
export type AlertRuleCreate = FromSchema<typeof alertRuleCreateSchema>;
export type Alert = FromSchema<typeof alertSchema>;
export type AlertQuery = FromSchema<typeof alertQuerySchema>;

export type LoadBalancerSettings = FromSchema<typeof loadBalancerSettingsSchema>;
export type BalanceAlgorithm = (typeof BALANCE_ALGORITHMS)[number];
export type Frontend = FromSchema<typeof frontendSchema>;
export type DesiredFrontend = FromSchema<typeof desiredFrontendSchema>;
export type DesiredServer = FromSchema<typeof desiredServerSchema>;
export type HaproxyDesired = FromSchema<typeof haproxyDesiredSchema>;
export type DesiredBackend = FromSchema<typeof desiredBackendSchema>;
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

export type Operation = FromSchema<typeof operationSchema>;
export type OperationStep = FromSchema<typeof operationStepSchema>;
export type OperationFrame = FromSchema<typeof operationFrameSchema>;
export type OperationFlag = (typeof OPERATION_FLAGS)[number];

export type VirtualServer = FromSchema<typeof virtualServerSchema>;
export type VirtualServerCreate = FromSchema<typeof virtualServerCreateSchema>;
export type VirtualServerPatch = FromSchema<typeof virtualServerPatchSchema>;
export type PlacementCheck = FromSchema<typeof placementCheckSchema>;
export type PlacementReport = FromSchema<typeof placementReportSchema>;
export type PartStatus = (typeof PART_STATUSES)[number];
export type ScalingMetric = (typeof SCALING_METRICS)[number];
export type ScalingPolicy = FromSchema<typeof scalingPolicySchema>;
export type TargetTracking = FromSchema<typeof targetTrackingSchema>;
export type StepRule = FromSchema<typeof stepRuleSchema>;
export type ScheduledAction = FromSchema<typeof scheduledActionSchema>;
export type ScalingBinding = FromSchema<typeof scalingBindingSchema>;
export type ScalingBindInput = FromSchema<typeof scalingBindInputSchema>;
export type AwsCredentials = FromSchema<typeof awsCredentialsSchema>;
export type ClusterScaling = FromSchema<typeof clusterScalingSchema>;
export type ScalingDecision = FromSchema<typeof scalingDecisionSchema>;
export type ScalingView = FromSchema<typeof scalingViewSchema>;
export type ScalingFrame = FromSchema<typeof scalingFrameSchema>;
export type UserDataInput = FromSchema<typeof userDataInputSchema>;
export type ScaleInInput = FromSchema<typeof scaleInInputSchema>;
export type ProtectionInput = FromSchema<typeof protectionInputSchema>;

export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];
export type ScheduleSettings = FromSchema<typeof scheduleSettingsSchema>;
export type SchedulePatch = FromSchema<typeof schedulePatchSchema>;
export type ScheduleRun = FromSchema<typeof scheduleRunSchema>;
export type ScheduleRecord = FromSchema<typeof scheduleRecordSchema>;
export type ScheduleView = FromSchema<typeof scheduleViewSchema>;
export type GaleraState = (typeof GALERA_STATES)[number];
export type GaleraSettings = FromSchema<typeof galeraSettingsSchema>;
export type GaleraDesired = FromSchema<typeof galeraDesiredSchema>;
export type GaleraSecrets = FromSchema<typeof galeraSecretsSchema>;
export type GaleraJob = FromSchema<typeof galeraJobSchema>;
export type GaleraJobResult = FromSchema<typeof galeraJobResultSchema>;
export type Grastate = FromSchema<typeof grastateSchema>;
export type GaleraNodeStatus = FromSchema<typeof galeraNodeStatusSchema>;
export type GaleraNodeFacts = FromSchema<typeof galeraNodeFactsSchema>;
export type GaleraFilePlan = FromSchema<typeof galeraFilePlanSchema>;
export type AgentGaleraStatus = FromSchema<typeof agentGaleraStatusSchema>;
export type GaleraClusterStatus = FromSchema<typeof galeraClusterStatusSchema>;
export type GaleraStatusFrame = FromSchema<typeof galeraStatusFrameSchema>;
export type GaleraPlan = FromSchema<typeof galeraPlanSchema>;
export type GaleraApply = FromSchema<typeof galeraApplySchema>;
export type GaleraAddNode = FromSchema<typeof galeraAddNodeSchema>;
export type GaleraDatabaseCreate = FromSchema<typeof galeraDatabaseCreateSchema>;
export type GaleraDatabaseDrop = FromSchema<typeof galeraDatabaseDropSchema>;
export type GaleraBackup = FromSchema<typeof galeraBackupSchema>;
export type GaleraRestore = FromSchema<typeof galeraRestoreSchema>;
export type GlusterSettings = FromSchema<typeof glusterSettingsSchema>;
export type GlusterVolumeSettings = FromSchema<typeof glusterVolumeSettingsSchema>;
export type HubGlusterWatch = FromSchema<typeof hubGlusterWatchSchema>;
export type AgentGlusterStatus = FromSchema<typeof agentGlusterStatusSchema>;
export type GlusterStatus = FromSchema<typeof glusterStatusSchema>;
export type VolumeStatus = FromSchema<typeof volumeStatusSchema>;
export type BrickStatus = FromSchema<typeof brickStatusSchema>;
export type PeerStatus = FromSchema<typeof peerStatusSchema>;
export type GlusterJob = FromSchema<typeof glusterJobSchema>;
export type GlusterJobResult = FromSchema<typeof glusterJobResultSchema>;
export type GlusterMount = FromSchema<typeof glusterMountSchema>;
export type BrickView = FromSchema<typeof brickViewSchema>;
export type GlusterClusterView = FromSchema<typeof glusterClusterViewSchema>;
export type GlusterStatusFrame = FromSchema<typeof glusterStatusFrameSchema>;
export type GlusterPlan = FromSchema<typeof glusterPlanSchema>;
export type GlusterExpand = FromSchema<typeof glusterExpandSchema>;
export type GlusterReplace = FromSchema<typeof glusterReplaceSchema>;
export type GlusterRemovePeer = FromSchema<typeof glusterRemovePeerSchema>;
export type GlusterSplitBrain = FromSchema<typeof glusterSplitBrainSchema>;
export type GlusterDirectory = FromSchema<typeof glusterDirectorySchema>;
export type GlusterEnsureMounts = FromSchema<typeof glusterEnsureMountsSchema>;
