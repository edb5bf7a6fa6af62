/**
 * MariaDB Galera: the cluster's settings (what a user edits), what the hub sends a database node
 * in a job (its desired configuration, the secrets it needs, what to do), what the node answers,
 * the live status it reports every second, and the views the API and the browser get.
 */
import { hostSchema, idSchema } from './common.js';

/** The uuid of no cluster: a node that never joined one, or whose history was wiped. */
export const ZERO_UUID = '00000000-0000-0000-0000-000000000000';
/** The parts of a `uuid:seqno` position. */
export const positionSeqno = (position: string): number => Number(position.slice(position.lastIndexOf(':') + 1));
export const positionUuid = (position: string): string => position.slice(0, position.lastIndexOf(':'));

/**
 * Alert metrics of Galera nodes (values from agent/hub/galera/alert-metrics.ts): two conditions
 * without a threshold, like `down`, and flow control in percent.
 */
export const GALERA_STATE_METRICS = ['galera_non_primary', 'galera_not_synced'] as const;
export const GALERA_THRESHOLD_METRICS = ['galera_flow_control'] as const;

/** The join and recovery states a node can be in, as the diagram shows them. */
export const GALERA_STATES = ['Synced', 'Donor/Desynced', 'Joining', 'Joined', 'Initialized', 'non-Primary', 'starting', 'down'] as const;
export const SST_METHODS = ['mariabackup', 'rsync'] as const;

/** A my.cnf option name (letters, digits, _ - .) and a one-line value. */
const optionName = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[a-z][a-z0-9_.-]*$' } as const;
const optionValue = { type: 'string', maxLength: 256, pattern: '^[^\\u0000-\\u001f\\u007f#"\\\\]*$' } as const;
/** A size as MariaDB writes it: 128M, 1G, 65536. */
const size = { type: 'string', minLength: 1, maxLength: 16, pattern: '^[1-9][0-9]*[KMG]?$' } as const;

/** `cluster.galera`: set by a user; every field has a default (agent/hub/galera/settings.ts). */
export const galeraSettingsSchema = {
  type: 'object', additionalProperties: false,
  properties: {
    /** wsrep_cluster_name; default: the cluster's name. */
    clusterName: { type: 'string', minLength: 1, maxLength: 63, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' },
    /** How a new node gets the data: mariabackup (default; the donor keeps serving) or rsync (the donor blocks). */
    sstMethod: { enum: SST_METHODS },
    /** The write-set cache (gcache.size): how far back a returning node may catch up by IST. Default 128M. */
    gcacheSize: size,
    /** 1 (default) or 2; 0 loses committed transactions when every node crashes, so it is refused. */
    flushLogAtTrxCommit: { enum: [1, 2] },
    /** wsrep_slave_threads (default 2). */
    slaveThreads: { type: 'integer', minimum: 1, maximum: 64 },
    /** More [mysqld] options, checked by the real mariadbd before anything is written. */
    options: { type: 'object', maxProperties: 64, propertyNames: optionName, additionalProperties: optionValue },
    /** The node that takes the writes behind HAProxy (default: the first database member); the others are its backups in cluster order. */
    writer: idSchema,
    /** Recover without asking: a crashed node rejoins, and after every node went down the hub bootstraps the most advanced one. Default false. */
    autoRecover: { type: 'boolean' },
    /** The port a connected load balancer listens on for the cluster (default 3306). */
    lbPort: { type: 'integer', minimum: 1, maximum: 65535 },
  },
} as const;

/** What one node should run: rendered by the agent with its own paths (agent/appliers/galera/render.ts). */
export const galeraDesiredSchema = {
  type: 'object', additionalProperties: false,
  required: ['cluster', 'clusterName', 'nodeName', 'nodeAddress', 'peers', 'sstMethod', 'gcacheSize', 'flushLogAtTrxCommit', 'slaveThreads', 'options'],
  properties: {
    cluster: idSchema,
    clusterName: galeraSettingsSchema.properties.clusterName,
    nodeName: idSchema,
    nodeAddress: hostSchema,
    /** Every member's address (wsrep_cluster_address), this node's included. */
    peers: { type: 'array', minItems: 1, maxItems: 64, items: hostSchema },
    sstMethod: { enum: SST_METHODS },
    gcacheSize: size,
    flushLogAtTrxCommit: { enum: [1, 2] },
    slaveThreads: { type: 'integer', minimum: 1, maximum: 64 },
    options: galeraSettingsSchema.properties.options,
  },
} as const;

const password = { type: 'string', minLength: 16, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' } as const;

/** Made by the hub, kept root-only, sent only in jobs to the cluster's own nodes; never logged or shown. */
export const galeraSecretsSchema = {
  type: 'object', additionalProperties: false, required: ['sstPassword', 'monitorPassword'],
  properties: { sstPassword: password, monitorPassword: password },
} as const;

const sha256 = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;
/** `uuid:seqno`, as --wsrep-recover prints it and --wsrep_start_position takes it. */
const position = { type: 'string', maxLength: 64, pattern: '^[0-9a-f-]{36}:-?[0-9]+$' } as const;
/** Database and user names for the databases endpoint (and Virtualmin): plain identifiers. */
const sqlName = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_]+$' } as const;
/** A MariaDB user name as Virtualmin makes them (a Unix user name, dots as `_`): MariaDB takes 80 characters. */
const sqlUser = { type: 'string', minLength: 1, maxLength: 80, pattern: '^[A-Za-z0-9_][A-Za-z0-9_-]*$' } as const;
/** A user's password: sent only in the job that sets it, never logged (Virtualmin's domain passwords may be short). */
const sqlPassword = { type: 'string', minLength: 1, maxLength: 128, pattern: '^[^\\u0000-\\u001f\\u007f]+$' } as const;

/**
 * The statements a `galera-sql` job may run: a database with its user (create, drop), a user
 * (drop, lock as Virtualmin's disable does, unlock, rename, new password), and the promotion of a
 * non-Primary survivor.
 */
export const GALERA_SQL_OPS = ['create-database', 'drop-database', 'drop-user', 'lock-user', 'unlock-user', 'rename-user', 'set-password', 'promote'] as const;

/**
 * The `galera` part of a job. `galera-plan` renders, validates and diffs `desired`; `galera-configure`
 * writes it (the file must still be as planned: `expect`) and the secrets; `galera-start` starts
 * mariadbd and waits until it is Synced; `galera-stop` shuts it down cleanly; `galera-inspect`
 * reads grastate.dat and, when mariadbd is down, its recovered position; `galera-sql` runs one of a
 * few fixed statements (users, databases, promotion); `galera-backup` streams a mariabackup of the
 * running node to the hub through `transfer`; `galera-restore` fetches one through `transfer` into
 * the node's empty data directory (prepared, copied back, grastate.dat written for a bootstrap).
 */
export const galeraJobSchema = {
  type: 'object', additionalProperties: false, required: ['cluster'],
  properties: {
    cluster: idSchema,
    desired: galeraDesiredSchema,
    secrets: galeraSecretsSchema,
    expect: { type: 'object', additionalProperties: false, required: ['base', 'next'], properties: { base: sha256, next: sha256 } },
    start: {
      type: 'object', additionalProperties: false, required: ['mode'],
      properties: {
        /** bootstrap: a new Primary component (--wsrep-new-cluster); join: join the running cluster. */
        mode: { enum: ['bootstrap', 'join'] },
        /** The node's recovered position (--wsrep_start_position): after a crash it rejoins by IST and keeps its history. */
        position,
        /** The SST method for this start only (rsync for the first joins of an empty cluster). */
        sstMethod: { enum: SST_METHODS },
        /** Create the SST and monitor users once Synced (a new cluster's bootstrap). */
        initUsers: { type: 'boolean' },
        /** If it does not come up, put the configuration from before the last configure back and start with it. */
        rollback: { type: 'boolean' },
        /** Give up (and roll back) after this long: an SST of a big database takes a while. */
        timeoutMs: { type: 'integer', minimum: 1000, maximum: 86_400_000 },
      },
    },
    /** A one-time transfer on the hub's agent port (`/transfer/{id}`, token in `Authorization: Bearer`). */
    transfer: {
      type: 'object', additionalProperties: false, required: ['id', 'token'],
      properties: { id: { type: 'string', pattern: '^[0-9a-f]{32}$' }, token: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' } },
    },
    sql: {
      type: 'object', additionalProperties: false, required: ['op'],
      properties: {
        op: { enum: GALERA_SQL_OPS },
        database: sqlName,
        user: sqlUser,
        /** rename-user: the user's new name. */
        newUser: sqlUser,
        /** create-database, set-password: the password; sent only in this job, never logged. */
        password: sqlPassword,
        host: { type: 'string', minLength: 1, maxLength: 60, pattern: '^[A-Za-z0-9%._-]+$' },
        /**
         * The user belongs to someone else's databases too (a Virtualmin sub-server shares its
         * parent's): create-database makes it only when missing and never changes its password;
         * drop-database takes only its grant on the database, never the user.
         */
        sharedUser: { type: 'boolean' },
      },
    },
  },
} as const;

/** grastate.dat as the node has it (uuid, seqno, safe_to_bootstrap); absent fields: no file. */
export const grastateSchema = {
  type: 'object', additionalProperties: false,
  properties: {
    uuid: { type: 'string', maxLength: 36 },
    seqno: { type: 'integer' },
    safeToBootstrap: { type: 'boolean' },
  },
} as const;

/** A node's live Galera state, sent every second while the node is a Galera node. */
export const galeraNodeStatusSchema = {
  type: 'object', additionalProperties: false, required: ['running', 'state'],
  properties: {
    /** mariadbd runs (its pid file names a live process). */
    running: { type: 'boolean' },
    state: { enum: GALERA_STATES },
    /** wsrep_cluster_status is Primary. */
    primary: { type: 'boolean' },
    /** wsrep_cluster_size as this node sees it. */
    clusterSize: { type: 'integer', minimum: 0 },
    clusterUuid: { type: 'string', maxLength: 36 },
    lastCommitted: { type: 'integer' },
    /** Fraction (0-1) of the last interval replication was paused by flow control. */
    flowControlPaused: { type: 'number', minimum: 0, maximum: 1 },
    /** wsrep_local_recv_queue: write-sets received and not yet applied. */
    recvQueue: { type: 'integer', minimum: 0 },
    /** While joining: what is being transferred and, where MariaDB reports it, how far. */
    transfer: { type: 'string', maxLength: 64 },
    progressPct: { type: 'number', minimum: 0, maximum: 100 },
  },
} as const;

/** What a node says about itself in a plan or an inspection. */
export const galeraNodeFactsSchema = {
  type: 'object', additionalProperties: false, required: ['running', 'initialized', 'grastate'],
  properties: {
    running: { type: 'boolean' },
    /** The data directory holds a database (mysql/ exists). */
    initialized: { type: 'boolean' },
    grastate: grastateSchema,
    status: galeraNodeStatusSchema,
    /** `uuid:seqno` from mariadbd --wsrep-recover (inspect, only while mariadbd is down). */
    recovered: { type: 'string', maxLength: 64 },
    /** Why the position could not be recovered. */
    recoverError: { type: 'string', maxLength: 512 },
  },
} as const;

/** A node's configuration plan: the fragment's diff and whether it takes a (re)start. */
export const galeraFilePlanSchema = {
  type: 'object', additionalProperties: false, required: ['path', 'diff', 'base', 'next', 'restart'],
  properties: {
    path: { type: 'string', maxLength: 1024 },
    /** Unified diff, empty when nothing changes (secrets are in a file of their own, never shown). */
    diff: { type: 'string', maxLength: 262144 },
    base: sha256,
    next: sha256,
    /** The change only takes effect after a restart (false: nothing changed, or only the peer list, which a running node learns by itself). */
    restart: { type: 'boolean' },
  },
} as const;

/** What a galera job answers (besides ok/error). */
export const galeraJobResultSchema = {
  type: 'object', additionalProperties: false,
  properties: {
    file: galeraFilePlanSchema,
    facts: galeraNodeFactsSchema,
    /** How a start joined: IST, SST, or none (bootstrapped). */
    joinedBy: { enum: ['IST', 'SST', 'none'] },
    /** A start that failed and rolled back says so. */
    rolledBack: { type: 'boolean' },
    /** galera-backup: what was sent, and the cluster position the backup holds (`uuid:seqno`). */
    backup: {
      type: 'object', additionalProperties: false, required: ['bytes'],
      properties: { bytes: { type: 'integer', minimum: 0 }, position },
    },
    /** galera-restore: the position the restored data is at, which the node is bootstrapped from. */
    restored: {
      type: 'object', additionalProperties: false, required: ['position'],
      properties: { position },
    },
    /** create-database: what was there before it ran (so an undo drops only what it made). */
    existed: {
      type: 'object', additionalProperties: false, required: ['database', 'user'],
      properties: { database: { type: 'boolean' }, user: { type: 'boolean' } },
    },
  },
} as const;

/** Agent → hub, every second while the node is a Galera node. */
export const agentGaleraStatusSchema = {
  type: 'object', additionalProperties: false, required: ['v', 'type', 'cluster', 'status'],
  properties: {
    v: { const: 1 }, type: { const: 'galera-status' }, cluster: idSchema, status: galeraNodeStatusSchema,
    /** When the agent read it (its clock, ms): a frame that sat in a dead link's buffer is not taken for news. */
    at: { type: 'number', minimum: 0 },
  },
} as const;

/** A cluster's Galera state as the hub last heard it (GET /api/clusters/{name}/galera, `galera-status` frames). */
export const galeraClusterStatusSchema = {
  type: 'object', additionalProperties: false, required: ['cluster', 'summary', 'tone', 'nodes'],
  properties: {
    cluster: idSchema,
    /** For the cluster's floor: `Primary 3/3`, or what is wrong. */
    summary: { type: 'string', maxLength: 256 },
    tone: { enum: ['ok', 'warn', 'bad', 'idle'] },
    /** The writer behind HAProxy now (the first healthy node in writer order), if any. */
    writer: idSchema,
    nodes: {
      type: 'array', maxItems: 64,
      items: {
        type: 'object', additionalProperties: false, required: ['serverId', 'stale'],
        properties: {
          serverId: idSchema,
          /** No report for a while: the agent is gone; its last report is not trusted. */
          stale: { type: 'boolean' },
          status: galeraNodeStatusSchema,
          /** What HAProxy is told: ready, drain (Donor, or drained for an operation), maint. */
          backend: { enum: ['ready', 'drain', 'maint'] },
        },
      },
    },
  },
} as const;

/** Hub → browser, at most once a second per cluster. */
export const galeraStatusFrameSchema = {
  type: 'object', additionalProperties: false, required: ['v', 'type', 'status'],
  properties: { v: { const: 1 }, type: { const: 'galera-status' }, status: galeraClusterStatusSchema },
} as const;

/** POST /api/clusters/{name}/galera/plan: each node's diff and the ordered steps Apply would run. */
export const galeraPlanSchema = {
  type: 'object', additionalProperties: false, required: ['id', 'cluster', 'createdBy', 'createdAt', 'nodes', 'steps'],
  properties: {
    id: { type: 'string', maxLength: 64 },
    cluster: idSchema,
    createdBy: { type: 'string', maxLength: 63 },
    createdAt: { type: 'string', maxLength: 64 },
    nodes: {
      type: 'array', maxItems: 64,
      items: {
        type: 'object', additionalProperties: false, required: ['serverId'],
        properties: { serverId: idSchema, file: galeraFilePlanSchema, facts: galeraNodeFactsSchema, error: { type: 'string', maxLength: 2048 } },
      },
    },
    /** In order; empty when everything is already as planned. */
    steps: {
      type: 'array', maxItems: 256,
      items: {
        type: 'object', additionalProperties: false, required: ['action', 'title'],
        properties: { action: { type: 'string', maxLength: 64 }, title: { type: 'string', maxLength: 256 }, serverId: idSchema, args: { type: 'object' } },
      },
    },
    /** Why it cannot be applied (an invalid option, a node that did not answer, every node down). */
    error: { type: 'string', maxLength: 4096 },
  },
} as const;

/** POST /api/clusters/{name}/galera/apply */
export const galeraApplySchema = {
  type: 'object', additionalProperties: false, required: ['planId'],
  properties: { planId: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;

/** POST /api/clusters/{name}/galera/nodes: a database server joins the cluster. */
export const galeraAddNodeSchema = {
  type: 'object', additionalProperties: false, required: ['serverId'],
  properties: { serverId: idSchema },
} as const;

/** POST /api/clusters/{name}/galera/databases: a database and a user with every privilege on it, made once through the writer. */
export const galeraDatabaseCreateSchema = {
  type: 'object', additionalProperties: false, required: ['name', 'user', 'password'],
  properties: {
    name: sqlName, user: sqlName,
    password: { type: 'string', minLength: 8, maxLength: 128, pattern: sqlPassword.pattern },
    host: galeraJobSchema.properties.sql.properties.host,
  },
} as const;

/** DELETE /api/clusters/{name}/galera/databases/{name}: drops it, and its user when named. */
export const galeraDatabaseDropSchema = {
  type: 'object', additionalProperties: false,
  properties: { user: sqlName, host: galeraJobSchema.properties.sql.properties.host },
} as const;

/** A database backup's file name in DATA_DIR/backups/galera/CLUSTER/ (its time, sorting by time). */
export const galeraBackupNameSchema = { type: 'string', pattern: '^[0-9]{8}T[0-9]{9}Z\\.ucbackup$' } as const;

/** GET /api/clusters/{name}/galera/backups: one backup, newest first. */
export const galeraBackupSchema = {
  type: 'object', additionalProperties: false, required: ['name', 'cluster', 'createdAt', 'bytes'],
  properties: {
    name: galeraBackupNameSchema,
    cluster: idSchema,
    /** The node mariabackup ran on. */
    node: { type: 'string', maxLength: 63 },
    createdAt: { type: 'string', maxLength: 64 },
    /** Size of the encrypted file. */
    bytes: { type: 'integer', minimum: 0 },
  },
} as const;

/** POST /api/clusters/{name}/galera/restore: a backup (of this cluster, or of `from`) into one fresh node of this cluster. */
export const galeraRestoreSchema = {
  type: 'object', additionalProperties: false, required: ['backup', 'serverId'],
  properties: { backup: galeraBackupNameSchema, from: idSchema, serverId: idSchema },
} as const;
