/** The persisted cluster model: servers, connections, clusters, diagram layout. */
import { CONNECTION_TYPES, SERVER_TYPES, hostSchema, idSchema, nameSchema } from './common.js';
import { loadBalancerSettingsSchema } from './lb.js';
import { galeraSettingsSchema } from './galera.js';
import { glusterSettingsSchema } from './gluster.js';

export const labelsSchema = {
  type: 'object',
  maxProperties: 32,
  propertyNames: { type: 'string', minLength: 1, maxLength: 63, pattern: '^[A-Za-z0-9][A-Za-z0-9._/-]*$' },
  additionalProperties: { type: 'string', maxLength: 256 },
} as const;

export const portsSchema = {
  type: 'array', maxItems: 64, uniqueItems: true, items: { type: 'integer', minimum: 1, maximum: 65535 },
} as const;

/** What an agent tells about its node when it says hello; kept on the server record. */
export const inventorySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['hostname', 'os', 'kernel', 'arch', 'cpuModel', 'cores', 'memTotal'],
  properties: {
    hostname: { type: 'string', maxLength: 253 },
    os: { type: 'string', maxLength: 128 },
    kernel: { type: 'string', maxLength: 128 },
    arch: { type: 'string', maxLength: 32 },
    cpuModel: { type: 'string', maxLength: 128 },
    cores: { type: 'integer', minimum: 0, maximum: 65536 },
    /** The EC2 instance id, when the agent knows it (--instance-id, UC_INSTANCE_ID or cloud-init's instance-id file). */
    instanceId: { type: 'string', pattern: '^i-[0-9a-f]{8,17}$' },
    memTotal: { type: 'number', minimum: 0 },
    disks: {
      type: 'array', maxItems: 64,
      items: {
        type: 'object', additionalProperties: false, required: ['name', 'size'],
        properties: { name: { type: 'string', maxLength: 128 }, size: { type: 'number', minimum: 0 }, model: { type: 'string', maxLength: 128 } },
      },
    },
    interfaces: {
      type: 'array', maxItems: 64,
      items: {
        type: 'object', additionalProperties: false, required: ['name'],
        properties: {
          name: { type: 'string', maxLength: 64 },
          ip4: { type: 'string', maxLength: 64 },
          ip6: { type: 'string', maxLength: 64 },
          mac: { type: 'string', maxLength: 64 },
        },
      },
    },
  },
} as const;

export const serverSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'type', 'address', 'region', 'labels', 'ports'],
  properties: {
    id: idSchema,
    name: nameSchema,
    type: { enum: SERVER_TYPES },
    address: hostSchema,
    region: { type: 'string', maxLength: 64 },
    labels: labelsSchema,
    ports: portsSchema,
    /** Set once an agent has said hello for this server. */
    agent: {
      type: 'object', additionalProperties: false, required: ['version', 'inventory'],
      properties: { version: { type: 'string', maxLength: 32 }, inventory: inventorySchema },
    },
  },
} as const;

export const connectionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'from', 'to', 'type'],
  properties: {
    /** `from:to`; ids cannot contain ':' so this is unambiguous. */
    id: { type: 'string', maxLength: 127 },
    from: idSchema,
    to: idSchema,
    type: { enum: CONNECTION_TYPES },
  },
} as const;

export const clusterSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'servers'],
  properties: {
    name: idSchema,
    description: { type: 'string', maxLength: 1024 },
    servers: { type: 'array', maxItems: 100000, uniqueItems: true, items: idSchema },
    /** HAProxy frontends and Keepalived VIP of the cluster's load balancers (agent/hub/jobs/lb-desired.ts). */
    loadBalancer: loadBalancerSettingsSchema,
    /** The Galera role of the cluster's database servers (agent/hub/galera). */
    galera: galeraSettingsSchema,
    /** The Gluster role: volumes, brick paths, options, client mount path (agent/hub/gluster/). */
    gluster: glusterSettingsSchema,
  },
} as const;

/** Diagram positions a user placed by hand, by server id. */
export const layoutSchema = {
  type: 'object',
  propertyNames: idSchema,
  additionalProperties: {
    type: 'object', additionalProperties: false, required: ['x', 'y'],
    properties: { x: { type: 'number' }, y: { type: 'number' } },
  },
} as const;

/** The portable model: what GET /api/export returns and POST /api/import accepts. */
export const exportSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['format', 'version', 'servers', 'connections', 'clusters'],
  properties: {
    format: { const: 'unlimited-cluster' },
    version: { const: 1 },
    exportedAt: { type: 'string', maxLength: 64 },
    servers: { type: 'array', maxItems: 100000, items: serverSchema },
    connections: { type: 'array', maxItems: 1000000, items: connectionSchema },
    clusters: { type: 'array', maxItems: 10000, items: clusterSchema },
    layout: layoutSchema,
  },
} as const;
