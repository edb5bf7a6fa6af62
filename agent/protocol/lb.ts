/**
 * Load balancing: the cluster's settings (what a user edits), the desired state the hub sends to
 * each load-balancer node (render input), the plan a node returns, and the live status it reports.
 */
import { hostSchema, idSchema } from './common.js';

const port = { type: 'integer', minimum: 1, maximum: 65535 } as const;
/** HAProxy names: frontends, backends, servers (letters, digits, . _ -). */
const lbName = { type: 'string', minLength: 1, maxLength: 63, pattern: '^[A-Za-z][A-Za-z0-9._-]*$' } as const;
export const SERVER_ADMIN_STATES = ['ready', 'drain', 'maint'] as const;

/**
 * The backend every http frontend has besides the cluster's own: it answers every request with a
 * "website disabled" page. A disabled virtual server's host rules route there (agent/hub/jobs/lb-desired.ts).
 */
export const DISABLED_BACKEND = 'uc-disabled';
/** Host rules one frontend of a node's desired state may carry: a user's plus every virtual server's. */
export const MAX_DESIRED_HOST_RULES = 20000;

export const hostRuleSchema = {
  type: 'object', additionalProperties: false, required: ['host', 'backend'],
  properties: {
    /** Host header to match (case-insensitive), e.g. shop.example.com. */
    host: { type: 'string', minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9*][A-Za-z0-9.*-]*$' },
    backend: lbName,
  },
} as const;

export const frontendSchema = {
  type: 'object', additionalProperties: false, required: ['name', 'port'],
  properties: {
    name: lbName,
    /** Default: every address of the node. */
    address: hostSchema,
    port,
    mode: { enum: ['http', 'tcp'] },
    /** Default: `web`, the backend drawn from the diagram. */
    backend: lbName,
    /** http mode only: requests for these hosts go to another backend (a map HAProxy changes at runtime). */
    hostRules: { type: 'array', maxItems: 256, items: hostRuleSchema },
  },
} as const;

/** Per-server overrides in a cluster: weight and admin state (drain keeps it, without new traffic). */
export const serverOverrideSchema = {
  type: 'object', additionalProperties: false,
  properties: { weight: { type: 'integer', minimum: 0, maximum: 256 }, state: { enum: SERVER_ADMIN_STATES } },
} as const;

/** Keepalived: a floating address shared by the cluster's load balancers over unicast VRRP. */
export const vipSchema = {
  type: 'object', additionalProperties: false, required: ['address', 'interface'],
  properties: {
    address: { type: 'string', format: 'host', maxLength: 64 },
    prefix: { type: 'integer', minimum: 1, maximum: 32 },
    /** The interface the address goes on, the same name on every load balancer. */
    interface: { type: 'string', minLength: 1, maxLength: 15, pattern: '^[A-Za-z0-9._-]+$' },
    routerId: { type: 'integer', minimum: 1, maximum: 255 },
    /** Seconds between adverts (keepalived accepts fractions). */
    advertInt: { type: 'number', minimum: 0.01, maximum: 255 },
  },
} as const;

export const BALANCE_ALGORITHMS = ['roundrobin', 'leastconn', 'source'] as const;
export const STICKY_MODES = ['cookie', 'source'] as const;

/**
 * How every backend of the cluster spreads requests, keeps a client on one server and checks its
 * servers. All optional: round robin, no stickiness, `check inter 1s fall 2 rise 2` and, in http
 * mode, `GET /`.
 */
export const backendOptions = {
  /** `source` hashes the client address (consistent hashing, so servers still change at runtime). */
  balance: { enum: BALANCE_ALGORITHMS },
  /**
   * cookie: HAProxy inserts a cookie naming the server (http backends; adding a server then takes a
   * reload, as HAProxy 2.6 refuses cookies on servers added at runtime); source: a stick table on
   * the client address (also in tcp mode). A tcp backend with cookie stickiness sticks by source.
   */
  sticky: {
    type: 'object', additionalProperties: false, required: ['mode'],
    properties: { mode: { enum: STICKY_MODES }, cookie: { type: 'string', minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9_-]+$' } },
  },
  healthCheck: {
    type: 'object', additionalProperties: false,
    properties: {
      /** http backends: the path checked with GET (a 2xx or 3xx answer is healthy). */
      path: { type: 'string', minLength: 1, maxLength: 256, pattern: "^/[A-Za-z0-9._~!$&()*+,;=:@%/?-]*$" },
      intervalMs: { type: 'integer', minimum: 100, maximum: 3600000 },
      /** Failed checks before a server is down, passed checks before it is up again. */
      fall: { type: 'integer', minimum: 1, maximum: 100 },
      rise: { type: 'integer', minimum: 1, maximum: 100 },
      /** No checks at all: every server counts as up. */
      disabled: { type: 'boolean' },
    },
  },
} as const;

/** `cluster.loadBalancer`: what a user edits; backends' servers come from the diagram. */
export const loadBalancerSettingsSchema = {
  type: 'object', additionalProperties: false, required: ['frontends'],
  properties: {
    frontends: { type: 'array', maxItems: 64, items: frontendSchema },
    /** Port of the web servers (default 80). */
    serverPort: port,
    /** Extra named backends (for host rules), by server ids. */
    backends: {
      type: 'array', maxItems: 64,
      items: {
        type: 'object', additionalProperties: false, required: ['name', 'servers'],
        properties: { name: lbName, servers: { type: 'array', maxItems: 1000, uniqueItems: true, items: idSchema } },
      },
    },
    servers: { type: 'object', propertyNames: idSchema, additionalProperties: serverOverrideSchema },
    vip: vipSchema,
    ...backendOptions,
  },
} as const;

export const desiredServerSchema = {
  type: 'object', additionalProperties: false, required: ['name', 'address', 'port', 'weight', 'state'],
  properties: {
    name: idSchema, address: hostSchema, port,
    weight: { type: 'integer', minimum: 0, maximum: 256 },
    state: { enum: SERVER_ADMIN_STATES },
    /** Takes traffic only while no other server does (the first backup up, in file order): Galera's single writer. */
    backup: { type: 'boolean' },
  },
} as const;

/** A frontend as a node runs it: the user's host rules plus those of the virtual servers on the cluster. */
export const desiredFrontendSchema = {
  ...frontendSchema,
  properties: { ...frontendSchema.properties, hostRules: { type: 'array', maxItems: MAX_DESIRED_HOST_RULES, items: hostRuleSchema } },
} as const;

/** What one node's HAProxy should run: rendered by the agent with its own paths. */
/** A backend as a load balancer runs it: its servers, and how it balances, sticks and checks (the cluster's settings; defaults for a backend another role adds). */
export const desiredBackendSchema = {
  type: 'object', additionalProperties: false, required: ['name', 'servers'],
  properties: { name: lbName, servers: { type: 'array', maxItems: 1000, items: desiredServerSchema }, ...backendOptions },
} as const;

export const haproxyDesiredSchema = {
  type: 'object', additionalProperties: false, required: ['frontends', 'backends'],
  properties: {
    frontends: { type: 'array', maxItems: 64, items: desiredFrontendSchema },
    backends: { type: 'array', maxItems: 65, items: desiredBackendSchema },
  },
} as const;

export const keepalivedDesiredSchema = {
  type: 'object', additionalProperties: false, required: ['vip', 'priority', 'self', 'peers'],
  properties: {
    vip: vipSchema,
    priority: { type: 'integer', minimum: 1, maximum: 254 },
    /** This node's own address (unicast_src_ip) and the other load balancers'. */
    self: hostSchema,
    peers: { type: 'array', maxItems: 32, items: hostSchema },
  },
} as const;

export const lbDesiredSchema = {
  type: 'object', additionalProperties: false, required: ['cluster'],
  properties: { cluster: idSchema, haproxy: haproxyDesiredSchema, keepalived: keepalivedDesiredSchema },
} as const;

export const APPLIERS = ['haproxy', 'keepalived'] as const;
/** none: nothing to do; runtime: through the runtime API, no reload; reload: a validated reload. */
export const CHANGE_KINDS = ['none', 'runtime', 'reload'] as const;
const sha256 = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;

/** One file of a node's plan. `base` is what is on disk now; `next` what the apply writes. */
export const filePlanSchema = {
  type: 'object', additionalProperties: false, required: ['applier', 'path', 'diff', 'change', 'base', 'next'],
  properties: {
    applier: { enum: APPLIERS },
    path: { type: 'string', maxLength: 1024 },
    /** Unified diff, empty when nothing changes. */
    diff: { type: 'string', maxLength: 262144 },
    change: { enum: CHANGE_KINDS },
    /** Runtime API steps, when `change` is runtime. */
    steps: { type: 'array', maxItems: 4096, items: { type: 'string', maxLength: 512 } },
    base: sha256,
    next: sha256,
  },
} as const;

export const nodePlanSchema = {
  type: 'object', additionalProperties: false, required: ['files'],
  properties: { files: { type: 'array', maxItems: 8, items: filePlanSchema } },
} as const;

/** What an apply job must find: each file as it was planned (else the plan is stale). */
export const applyExpectSchema = {
  type: 'array', maxItems: 8,
  items: {
    type: 'object', additionalProperties: false, required: ['applier', 'base', 'next'],
    properties: { applier: { enum: APPLIERS }, base: sha256, next: sha256 },
  },
} as const;

export const serverLiveSchema = {
  type: 'object', additionalProperties: false, required: ['backend', 'server', 'status', 'weight'],
  properties: {
    backend: { type: 'string', maxLength: 63 },
    server: { type: 'string', maxLength: 63 },
    /** As `show stat` says: UP, DOWN, DRAIN, MAINT, "UP 1/3" … */
    status: { type: 'string', maxLength: 32 },
    weight: { type: 'integer', minimum: 0 },
    sessions: { type: 'integer', minimum: 0 },
  },
} as const;

/** Sent by a load-balancer agent every few seconds, and at once when something changes. */
export const lbStatusSchema = {
  type: 'object', additionalProperties: false, required: ['servers', 'vips'],
  properties: {
    servers: { type: 'array', maxItems: 4096, items: serverLiveSchema },
    /** Floating addresses this node holds now. */
    vips: { type: 'array', maxItems: 32, items: { type: 'string', maxLength: 64 } },
  },
} as const;

/** A cluster's load balancers as the hub last heard from them (GET /api/clusters/{name}/lb-status, `lb-status` frames). */
export const lbClusterStatusSchema = {
  type: 'object', additionalProperties: false, required: ['cluster', 'vip', 'vipHolders', 'nodes'],
  properties: {
    cluster: idSchema,
    vip: { type: ['string', 'null'], maxLength: 64 },
    /** Nodes that hold the VIP now: one, unless a failover is under way. */
    vipHolders: { type: 'array', items: idSchema },
    nodes: {
      type: 'array', maxItems: 1000,
      items: {
        type: 'object', additionalProperties: false, required: ['serverId', 'reportedAt', 'stale', 'vips', 'servers'],
        properties: {
          serverId: idSchema,
          reportedAt: { type: ['string', 'null'], maxLength: 64 },
          /** No report for a while: the node or its link is gone, its last report is not trusted. */
          stale: { type: 'boolean' },
          vips: lbStatusSchema.properties.vips,
          servers: lbStatusSchema.properties.servers,
        },
      },
    },
  },
} as const;

/** Hub → browser: a cluster's load-balancer status changed. */
export const lbStatusFrameSchema = {
  type: 'object', additionalProperties: false, required: ['v', 'type', 'status'],
  properties: { v: { const: 1 }, type: { const: 'lb-status' }, status: lbClusterStatusSchema },
} as const;

export const PLAN_STATES = ['planned', 'invalid', 'applying', 'applied', 'failed'] as const;
export const NODE_STATES = ['planned', 'invalid', 'applying', 'done', 'failed'] as const;

/** A plan as the API and the browser see it: one entry per load-balancer node. */
export const planViewSchema = {
  type: 'object', additionalProperties: false, required: ['id', 'cluster', 'createdBy', 'createdAt', 'state', 'nodes'],
  properties: {
    id: { type: 'string', maxLength: 64 },
    cluster: idSchema,
    createdBy: { type: 'string', maxLength: 63 },
    createdAt: { type: 'string', maxLength: 64 },
    appliedBy: { type: 'string', maxLength: 63 },
    /** ms from Apply until every node reported its result. */
    applyMs: { type: 'number', minimum: 0 },
    state: { enum: PLAN_STATES },
    nodes: {
      type: 'array', maxItems: 1000,
      items: {
        type: 'object', additionalProperties: false, required: ['serverId', 'state', 'files', 'steps'],
        properties: {
          serverId: idSchema,
          state: { enum: NODE_STATES },
          files: { type: 'array', maxItems: 8, items: filePlanSchema },
          /** What the apply did so far, as the agent reported it. */
          steps: { type: 'array', maxItems: 4096, items: { type: 'string', maxLength: 512 } },
          error: { type: 'string', maxLength: 1024 },
        },
      },
    },
  },
} as const;

/** Hub → browser: a plan changed (made, applying, a node's step, done). */
export const planFrameSchema = {
  type: 'object', additionalProperties: false, required: ['v', 'type', 'plan'],
  properties: { v: { const: 1 }, type: { const: 'plan' }, plan: planViewSchema },
} as const;
