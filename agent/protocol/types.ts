/** TypeScript types derived from the schemas: the schemas are the one source. */
import type { FromSchema } from 'json-schema-to-ts';
import type { ACL_FLAGS, CONNECTION_TYPES, SERVER_STATUSES, SERVER_TYPES, aclSchema } from './common.js';
import type { clusterSchema, connectionSchema, exportSchema, inventorySchema, layoutSchema, serverSchema } from './model.js';
import type { metricsSampleSchema } from './metrics.js';
import type { agentHelloSchema, agentMetricsSchema, errorMessageSchema, hubWelcomeSchema } from './agent-messages.js';
import type { browserAuthSchema, deltaSchema, snapshotSchema } from './browser-messages.js';
import type {
  apiTokenCreateSchema, clusterCreateSchema, clusterPatchSchema, connectionCreateSchema, connectionDeleteSchema,
  loginSchema, serverCreateSchema, serverPatchSchema, userCreateSchema, userPatchSchema,
} from './api.js';
import type { apiTokenSchema, auditEntrySchema, stateSchema, userSchema } from './state.js';

export type ServerType = (typeof SERVER_TYPES)[number];
export type ConnectionType = (typeof CONNECTION_TYPES)[number];
export type ServerStatus = (typeof SERVER_STATUSES)[number];
export type AclFlag = (typeof ACL_FLAGS)[number];

export type Acl = FromSchema<typeof aclSchema>;
export type Inventory = FromSchema<typeof inventorySchema>;
export type Server = FromSchema<typeof serverSchema>;
export type Connection = FromSchema<typeof connectionSchema>;
export type Cluster = FromSchema<typeof clusterSchema>;
export type Layout = FromSchema<typeof layoutSchema>;
export type ExportDoc = FromSchema<typeof exportSchema>;
export type MetricsSample = FromSchema<typeof metricsSampleSchema>;

export type AgentHello = FromSchema<typeof agentHelloSchema>;
export type AgentMetrics = FromSchema<typeof agentMetricsSchema>;
export type AgentMessage = AgentMetrics;
export type HubWelcome = FromSchema<typeof hubWelcomeSchema>;
export type ErrorMessage = FromSchema<typeof errorMessageSchema>;
export type HubToAgent = HubWelcome | ErrorMessage;

export type BrowserAuth = FromSchema<typeof browserAuthSchema>;
export type Snapshot = FromSchema<typeof snapshotSchema>;
export type Delta = FromSchema<typeof deltaSchema>;
export type HubToBrowser = Snapshot | Delta | ErrorMessage;

export type ServerCreate = FromSchema<typeof serverCreateSchema>;
export type ServerPatch = FromSchema<typeof serverPatchSchema>;
export type ConnectionCreate = FromSchema<typeof connectionCreateSchema>;
export type ConnectionDelete = FromSchema<typeof connectionDeleteSchema>;
export type ClusterCreate = FromSchema<typeof clusterCreateSchema>;
export type ClusterPatch = FromSchema<typeof clusterPatchSchema>;
export type Login = FromSchema<typeof loginSchema>;
export type UserCreate = FromSchema<typeof userCreateSchema>;
export type UserPatch = FromSchema<typeof userPatchSchema>;
export type ApiTokenCreate = FromSchema<typeof apiTokenCreateSchema>;

export type User = FromSchema<typeof userSchema>;
export type ApiToken = FromSchema<typeof apiTokenSchema>;
export type AuditEntry = FromSchema<typeof auditEntrySchema>;
export type State = FromSchema<typeof stateSchema>;

/** JSON error body of every failed API call. */
export interface ApiError { error: { code: string; message: string } }
