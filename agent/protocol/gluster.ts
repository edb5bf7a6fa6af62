/**
 * GlusterFS: a cluster's Gluster role (what a user edits), the jobs the hub gives a node's agent
 * (each one structured; the agent builds the `gluster` command line itself), the live status a
 * node reports (parsed from `gluster … --xml`, never from human text), and the cluster view the
 * API and the browsers get. See agent/appliers/gluster/ and agent/hub/gluster/.
 */
import { hostSchema, idSchema, versionField } from './common.js';

/**
 * Alert metrics from the Gluster status (agent/hub/gluster/live.ts), per server over its bricks:
 * bricks offline (count), heal backlog that has not shrunk (entries; fires after `forSeconds`
 * without a shrink), split-brain entries (count), the fullest brick (percent, at or above
 * `threshold`).
 */
export const GLUSTER_COUNT_METRICS = ['gluster_brick_offline', 'gluster_heal_stalled', 'gluster_split_brain'] as const;
export const GLUSTER_THRESHOLD_METRICS = ['gluster_brick_full'] as const;
export const GLUSTER_ALERT_METRICS = [...GLUSTER_COUNT_METRICS, ...GLUSTER_THRESHOLD_METRICS] as const;

/** Gluster volume names: letters, digits, `_` and `-` (what glusterd accepts, without dots). */
export const volumeNameSchema = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_-]*$' } as const;
/** An absolute path without `..`, spaces or shell-special characters. */
export const glusterPathSchema = { type: 'string', minLength: 2, maxLength: 512, pattern: '^(/[A-Za-z0-9._{}-]+)+$' } as const;
/** A path inside a volume, relative to its root (a domain's web root: `example.com/public_html`). */
export const volumeDirSchema = { type: 'string', minLength: 1, maxLength: 512, pattern: '^[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)*$' } as const;
/** Other names of a directory: links beside it (`www.example.com` → `example.com`), one path segment each. */
export const dirLinksSchema = {
  type: 'array', maxItems: 128, uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9_][A-Za-z0-9._-]*$' },
} as const;
/** `host:/path` as gluster names a brick. */
export const brickNameSchema = { type: 'string', minLength: 3, maxLength: 800, pattern: '^[A-Za-z0-9.:-]+:(/[A-Za-z0-9._-]+)+$' } as const;
const optionKey = { type: 'string', minLength: 1, maxLength: 128, pattern: '^[a-z][a-z0-9_.-]*$' } as const;
const optionValue = { type: 'string', minLength: 1, maxLength: 256, pattern: '^[A-Za-z0-9_.,:/*-]+$' } as const;
export const volumeOptionsSchema = { type: 'object', maxProperties: 64, propertyNames: optionKey, additionalProperties: optionValue } as const;

/** Default brick path: `{volume}`, `{server}` (server id) and `{n}` (its nth brick of the volume) are replaced. */
export const DEFAULT_BRICK_PATH = '/data/glusterfs/{volume}/brick{n}';
/** Default mount path on a client (`{volume}` and `{cluster}` are replaced). */
export const DEFAULT_MOUNT_PATH = '/mnt/gluster/{volume}';

export const glusterVolumeSettingsSchema = {
  type: 'object', additionalProperties: false, required: ['name'],
  properties: {
    name: volumeNameSchema,
    /** Replica 2 + arbiter (`replica 3 arbiter 1`) instead of replica 3. */
    arbiter: { type: 'boolean' },
    /** Template of each brick's path (see DEFAULT_BRICK_PATH). */
    brickPath: glusterPathSchema,
    /** A path per server id, over the template. */
    bricks: { type: 'object', maxProperties: 1000, propertyNames: idSchema, additionalProperties: glusterPathSchema },
    /** `gluster volume set` options. */
    options: volumeOptionsSchema,
    /** Allow bricks on the root partition (`force`): glusterd refuses them otherwise. */
    force: { type: 'boolean' },
  },
} as const;

/** `cluster.gluster`: the Gluster role of a cluster of `filesystem` servers. */
export const glusterSettingsSchema = {
  type: 'object', additionalProperties: false, required: ['volumes'],
  properties: {
    volumes: { type: 'array', minItems: 1, maxItems: 16, items: glusterVolumeSettingsSchema },
    /** The servers of the first replica set, in order (default: the first three `filesystem` members). */
    servers: { type: 'array', minItems: 3, maxItems: 3, uniqueItems: true, items: idSchema },
    /** Where a `filesystem` connection mounts the volume on its `from` server (see DEFAULT_MOUNT_PATH). */
    mountPath: glusterPathSchema,
    /** The volume those connections mount (default: the first). */
    mountVolume: volumeNameSchema,
  },
} as const;

/** hub → agent: run (or stop) the 1 Hz status poll on this node; only the cluster's reporter polls. */
export const hubGlusterWatchSchema = {
  type: 'object', additionalProperties: false, required: ['v', 'type', 'report'],
  properties: { v: versionField, type: { const: 'gluster-watch' }, report: { type: 'boolean' } },
} as const;

const count = { type: 'integer', minimum: 0, maximum: 1e9 } as const;
const bytes = { type: 'number', minimum: 0 } as const;

/** One brick as the reporter sees it: `volume info` merged with `volume status` and the heal summary. */
export const brickStatusSchema = {
  type: 'object', additionalProperties: false, required: ['host', 'path', 'online'],
  properties: {
    host: { type: 'string', maxLength: 253 },
    path: { type: 'string', maxLength: 1024 },
    /** glusterd's UUID of the brick's node. */
    uuid: { type: 'string', maxLength: 64 },
    arbiter: { type: 'boolean' },
    /** False when `volume status` says it is down or leaves it out (its node's glusterd is gone). */
    online: { type: 'boolean' },
    pid: { type: 'integer' },
    sizeTotal: bytes,
    sizeFree: bytes,
    /** Entries waiting to heal (null: the heal summary could not read this brick). */
    healPending: { type: ['integer', 'null'], minimum: 0 },
    splitBrain: { type: ['integer', 'null'], minimum: 0 },
  },
} as const;

export const volumeStatusSchema = {
  type: 'object', additionalProperties: false, required: ['name', 'started', 'type', 'replica', 'arbiter', 'bricks', 'options'],
  properties: {
    name: { type: 'string', maxLength: 64 },
    id: { type: 'string', maxLength: 64 },
    started: { type: 'boolean' },
    /** `Replicate`, `Distributed-Replicate` … as glusterd says (typeStr). */
    type: { type: 'string', maxLength: 64 },
    replica: count,
    arbiter: count,
    bricks: { type: 'array', maxItems: 256, items: brickStatusSchema },
    options: { type: 'object', maxProperties: 256, additionalProperties: { type: 'string', maxLength: 1024 } },
    /** Files in split-brain, as `heal info split-brain` lists them (path or `<gfid:…>`), at most 50. */
    splitBrainFiles: { type: 'array', maxItems: 50, items: { type: 'string', maxLength: 1024 } },
  },
} as const;

export const peerStatusSchema = {
  type: 'object', additionalProperties: false, required: ['uuid', 'hostname', 'connected'],
  properties: {
    uuid: { type: 'string', maxLength: 64 },
    /** The address peers know it by (`localhost` for the reporting node itself). */
    hostname: { type: 'string', maxLength: 253 },
    connected: { type: 'boolean' },
    self: { type: 'boolean' },
  },
} as const;

/** What a node's glusterd says: its pool and volumes. `error` when the CLI cannot reach glusterd. */
export const glusterStatusSchema = {
  type: 'object', additionalProperties: false, required: ['peers', 'volumes'],
  properties: {
    error: { type: 'string', maxLength: 1024 },
    peers: { type: 'array', maxItems: 256, items: peerStatusSchema },
    volumes: { type: 'array', maxItems: 64, items: volumeStatusSchema },
  },
} as const;

/** agent → hub: the reporter's latest status, once a second while it reports. */
export const agentGlusterStatusSchema = {
  type: 'object', additionalProperties: false, required: ['v', 'type', 'status'],
  properties: { v: versionField, type: { const: 'gluster-status' }, status: glusterStatusSchema },
} as const;

/** A managed client mount: `host:/volume` at `path`, with the other servers as backup volfile servers. */
export const glusterMountSchema = {
  type: 'object', additionalProperties: false, required: ['cluster', 'volume', 'servers', 'path'],
  properties: {
    cluster: idSchema,
    volume: volumeNameSchema,
    servers: { type: 'array', minItems: 1, maxItems: 16, items: hostSchema },
    path: glusterPathSchema,
  },
} as const;

export const SPLIT_BRAIN_CHOICES = ['bigger-file', 'latest-mtime', 'source-brick'] as const;
const hosts = { type: 'array', minItems: 1, maxItems: 64, items: hostSchema } as const;
const bricks = { type: 'array', minItems: 1, maxItems: 64, items: brickNameSchema } as const;
const vol = { volume: volumeNameSchema } as const;
const replicaSet = {
  volume: volumeNameSchema, replica: { const: 3 }, arbiter: { type: 'boolean' }, bricks, force: { type: 'boolean' },
} as const;
const splitBrainFile = { type: 'string', minLength: 1, maxLength: 1024, pattern: '^(/[^\\u0000-\\u001f]*|<gfid:[0-9a-f-]{36}>)$' } as const;
const idOwner = { type: 'integer', minimum: 0, maximum: 4294967294 } as const;
const dirMode = { type: 'integer', minimum: 0, maximum: 0o7777 } as const;

/**
 * A job for a node's Gluster applier. Each op is one `gluster` command (or a short, bounded wait),
 * built into argv by the agent (agent/appliers/gluster/commands.ts), never a shell string.
 */
export const glusterJobSchema = {
  type: 'object', required: ['op'], discriminator: { propertyName: 'op' },
  oneOf: [
    /** glusterd answers? its UUID, pool and volumes; and whether each brick path is free to use. */
    { type: 'object', additionalProperties: false, required: ['op'], properties: { op: { const: 'inspect' }, paths: { type: 'array', maxItems: 64, items: glusterPathSchema } } },
    /** Makes the parent directory of each brick path (glusterd makes the brick directory itself, not its parents). */
    { type: 'object', additionalProperties: false, required: ['op', 'paths'], properties: { op: { const: 'prepare' }, paths: { type: 'array', minItems: 1, maxItems: 64, items: glusterPathSchema } } },
    /** `peer probe` each host, then wait until every one is connected and in the cluster. */
    { type: 'object', additionalProperties: false, required: ['op', 'hosts'], properties: { op: { const: 'probe' }, hosts } },
    { type: 'object', additionalProperties: false, required: ['op', 'volume', 'replica', 'bricks'], properties: { op: { const: 'create' }, ...replicaSet } },
    { type: 'object', additionalProperties: false, required: ['op', 'volume', 'options'], properties: { op: { const: 'set' }, ...vol, options: volumeOptionsSchema } },
    { type: 'object', additionalProperties: false, required: ['op', 'volume'], properties: { op: { const: 'start' }, ...vol } },
    /** Waits (≤ 30 s) until every brick of the volume is online. */
    { type: 'object', additionalProperties: false, required: ['op', 'volume'], properties: { op: { const: 'wait-bricks' }, ...vol } },
    { type: 'object', additionalProperties: false, required: ['op', 'volume', 'replica', 'bricks'], properties: { op: { const: 'add-brick' }, ...replicaSet } },
    { type: 'object', additionalProperties: false, required: ['op', 'volume'], properties: { op: { const: 'rebalance-start' }, ...vol } },
    { type: 'object', additionalProperties: false, required: ['op', 'volume'], properties: { op: { const: 'rebalance-status' }, ...vol } },
    { type: 'object', additionalProperties: false, required: ['op', 'volume', 'from', 'to'], properties: { op: { const: 'replace-brick' }, ...vol, from: brickNameSchema, to: brickNameSchema } },
    /** `volume heal VOL [full]`. */
    { type: 'object', additionalProperties: false, required: ['op', 'volume'], properties: { op: { const: 'heal' }, ...vol, full: { type: 'boolean' } } },
    { type: 'object', additionalProperties: false, required: ['op', 'host'], properties: { op: { const: 'detach' }, host: hostSchema, force: { type: 'boolean' } } },
    {
      type: 'object', additionalProperties: false, required: ['op', 'volume', 'choice', 'file'],
      properties: { op: { const: 'split-brain' }, ...vol, choice: { enum: SPLIT_BRAIN_CHOICES }, file: splitBrainFile, brick: brickNameSchema },
    },
    /** One status round (what the reporter sends every second). */
    { type: 'object', additionalProperties: false, required: ['op'], properties: { op: { const: 'status' } } },
    /** Makes the node's managed mounts exactly `mounts` (fstab and mounted), unmounting the others. */
    { type: 'object', additionalProperties: false, required: ['op', 'mounts'], properties: { op: { const: 'mounts' }, mounts: { type: 'array', maxItems: 16, items: glusterMountSchema } } },
    /**
     * Makes a directory inside the volume (through a temporary mount on this node); an existing
     * directory is kept, anything else at its path refuses. `links` become symbolic links to it
     * beside it (a link that points elsewhere, or a file or directory with that name, refuses
     * before anything is made); `unlinks` that are links to it go.
     */
    {
      type: 'object', additionalProperties: false, required: ['op', 'volume', 'servers', 'path'],
      properties: { op: { const: 'mkdir' }, ...vol, servers: hosts, path: volumeDirSchema, mode: dirMode, uid: idOwner, gid: idOwner, links: dirLinksSchema, unlinks: dirLinksSchema },
    },
    /** Removes a directory inside the volume and everything in it, after the `unlinks` beside it that are links to it. */
    {
      type: 'object', additionalProperties: false, required: ['op', 'volume', 'servers', 'path'],
      properties: { op: { const: 'rmdir' }, ...vol, servers: hosts, path: volumeDirSchema, unlinks: dirLinksSchema },
    },
  ],
} as const;

export const PATH_STATES = ['absent', 'empty', 'used'] as const;

/** What a gluster job found or did. */
export const glusterJobResultSchema = {
  type: 'object', additionalProperties: false,
  properties: {
    /** glusterd's UUID of this node (inspect). */
    uuid: { type: 'string', maxLength: 64 },
    status: glusterStatusSchema,
    paths: {
      type: 'array', maxItems: 64,
      items: {
        type: 'object', additionalProperties: false, required: ['path', 'state'],
        properties: { path: { type: 'string', maxLength: 512 }, state: { enum: PATH_STATES }, detail: { type: 'string', maxLength: 512 } },
      },
    },
    rebalance: {
      type: 'object', additionalProperties: false, required: ['state', 'files', 'size', 'failures'],
      properties: { state: { type: 'string', maxLength: 64 }, files: count, size: bytes, failures: count },
    },
    /** The mounts the node now has (mounts). */
    mounted: { type: 'array', maxItems: 16, items: { type: 'string', maxLength: 512 } },
    /** What the command printed when it was not XML (e.g. `heal … split-brain`). */
    output: { type: 'string', maxLength: 2048 },
    /** mkdir: the directory was made now (false: it was there already). rmdir: it was there and is gone. */
    created: { type: 'boolean' },
    removed: { type: 'boolean' },
  },
} as const;

/** A brick in the cluster view, with the server it lives on (by address) when the model has one. */
export const brickViewSchema = {
  type: 'object', additionalProperties: false, required: ['serverId', 'name', 'online', 'healPending', 'splitBrain', 'sizeTotal', 'sizeFree', 'usedPct'],
  properties: {
    serverId: { type: ['string', 'null'], maxLength: 63 },
    name: { type: 'string', maxLength: 1300 },
    arbiter: { type: 'boolean' },
    online: { type: 'boolean' },
    healPending: { type: ['integer', 'null'] },
    splitBrain: { type: ['integer', 'null'] },
    sizeTotal: { type: ['number', 'null'] },
    sizeFree: { type: ['number', 'null'] },
    usedPct: { type: ['number', 'null'] },
  },
} as const;

export const glusterClusterViewSchema = {
  type: 'object', additionalProperties: false, required: ['cluster', 'reporter', 'reportedAt', 'stale', 'peers', 'volumes', 'mounts', 'summary', 'healthy'],
  properties: {
    cluster: idSchema,
    /** The node whose glusterd the status comes from (null: none reachable). */
    reporter: { type: ['string', 'null'], maxLength: 63 },
    reportedAt: { type: ['string', 'null'], maxLength: 64 },
    stale: { type: 'boolean' },
    error: { type: 'string', maxLength: 1024 },
    peers: {
      type: 'array', maxItems: 256,
      items: {
        type: 'object', additionalProperties: false, required: ['serverId', 'hostname', 'connected'],
        properties: { serverId: { type: ['string', 'null'], maxLength: 63 }, hostname: { type: 'string', maxLength: 253 }, connected: { type: 'boolean' } },
      },
    },
    volumes: {
      type: 'array', maxItems: 64,
      items: {
        type: 'object', additionalProperties: false, required: ['name', 'started', 'type', 'replica', 'arbiter', 'bricks', 'splitBrainFiles', 'summary', 'healthy'],
        properties: {
          name: { type: 'string', maxLength: 64 },
          started: { type: 'boolean' },
          type: { type: 'string', maxLength: 64 },
          replica: count,
          arbiter: count,
          bricks: { type: 'array', maxItems: 256, items: brickViewSchema },
          splitBrainFiles: { type: 'array', maxItems: 50, items: { type: 'string', maxLength: 1024 } },
          /** `vol0 3/3 healthy`, or what is wrong: `vol0 2/3 bricks online, 12 to heal`. */
          summary: { type: 'string', maxLength: 256 },
          healthy: { type: 'boolean' },
        },
      },
    },
    /** Client mounts made for `filesystem` connections, as their last job left them. */
    mounts: {
      type: 'array', maxItems: 10000,
      items: {
        type: 'object', additionalProperties: false, required: ['serverId', 'path', 'state'],
        properties: {
          serverId: idSchema, path: { type: 'string', maxLength: 512 },
          state: { enum: ['mounting', 'mounted', 'unmounting', 'failed'] }, error: { type: 'string', maxLength: 1024 },
        },
      },
    },
    /** What the cluster floor shows: every volume's summary, joined. */
    summary: { type: 'string', maxLength: 1024 },
    healthy: { type: 'boolean' },
  },
} as const;

/** Hub → browser: a Gluster cluster's view changed (at most once a second per cluster). */
export const glusterStatusFrameSchema = {
  type: 'object', additionalProperties: false, required: ['v', 'type', 'status'],
  properties: { v: { const: 1 }, type: { const: 'gluster-status' }, status: glusterClusterViewSchema },
} as const;

/** A step of a Gluster plan: the command as the user reads it, and the node that runs it. */
export const glusterPlanSchema = {
  type: 'object', additionalProperties: false, required: ['cluster', 'state', 'steps', 'errors'],
  properties: {
    cluster: idSchema,
    /** `invalid`: refused (see errors), nothing would change; `none`: nothing to do. */
    state: { enum: ['planned', 'none', 'invalid'] },
    steps: {
      type: 'array', maxItems: 1000,
      items: {
        type: 'object', additionalProperties: false, required: ['serverId', 'title', 'command'],
        properties: { serverId: idSchema, title: { type: 'string', maxLength: 256 }, command: { type: 'string', maxLength: 4096 } },
      },
    },
    errors: { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 1024 } },
  },
} as const;

/** POST /api/clusters/{name}/gluster/expand: a whole replica set, one brick per server (paths from the template unless given). */
export const glusterExpandSchema = {
  type: 'object', additionalProperties: false, required: ['volume', 'servers'],
  properties: {
    volume: volumeNameSchema,
    servers: { type: 'array', minItems: 3, maxItems: 3, items: idSchema },
    paths: { type: 'array', minItems: 3, maxItems: 3, items: glusterPathSchema },
  },
} as const;

/** POST /api/clusters/{name}/gluster/replace: every brick of `from` moves to `to` (then heals). */
export const glusterReplaceSchema = {
  type: 'object', additionalProperties: false, required: ['from', 'to'],
  properties: { from: idSchema, to: idSchema },
} as const;

/** POST /api/clusters/{name}/gluster/remove-peer. */
export const glusterRemovePeerSchema = {
  type: 'object', additionalProperties: false, required: ['serverId'],
  properties: { serverId: idSchema },
} as const;

/** POST /api/clusters/{name}/gluster/split-brain: resolve one file, confirmed before it runs. */
export const glusterSplitBrainSchema = {
  type: 'object', additionalProperties: false, required: ['volume', 'file', 'choice'],
  properties: {
    volume: volumeNameSchema,
    file: splitBrainFile,
    choice: { enum: SPLIT_BRAIN_CHOICES },
    /** With `source-brick`: the brick whose copy wins (`host:/path`). */
    brick: brickNameSchema,
  },
} as const;

/** POST /api/clusters/{name}/gluster/directories: a directory inside the mounted volume (a web root). */
export const glusterDirectorySchema = {
  type: 'object', additionalProperties: false, required: ['path'],
  properties: {
    volume: volumeNameSchema,
    path: volumeDirSchema,
    mode: dirMode,
    uid: idOwner,
    gid: idOwner,
    /** Other names of the directory: links beside it (see the mkdir job). */
    links: dirLinksSchema,
    /** Links beside it to remove (only those that point at it). */
    unlinks: dirLinksSchema,
  },
} as const;

/** POST /api/clusters/{name}/gluster/mounts: make sure these servers mount the volume (draws `filesystem` connections). */
export const glusterEnsureMountsSchema = {
  type: 'object', additionalProperties: false, required: ['servers'],
  properties: { servers: { type: 'array', minItems: 1, maxItems: 1000, uniqueItems: true, items: idSchema } },
} as const;
