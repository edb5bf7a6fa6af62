/** The agent's command line, with environment fallbacks. Pure: main.ts does the I/O. */
import { parseArgs } from 'node:util';
import { SERVER_TYPES, idSchema } from '../protocol/common.js';
import type { ServerType } from '../protocol/types.js';
import { DEFAULT_INSTANCE_ID_FILE, isInstanceId } from './instance-id.js';

export const DEFAULT_STATE_FILE = '/var/lib/unlimited-cluster/agent.json';

export const USAGE = `usage: agent --hub wss://HOST:PORT/agent [--token JOIN_TOKEN] [--state-file PATH] [--id SERVER_ID] [--type TYPE]

  --hub URL          the hub's agent socket, TLS only (env UC_HUB)
  --token TOKEN      a join token from the hub, needed once to enroll (env UC_JOIN_TOKEN)
  --state-file PATH  where the identity from enrollment is kept, root-only
                     (env UC_STATE_FILE; default ${DEFAULT_STATE_FILE})
  --id ID            the server id to enroll as (env UC_SERVER_ID; default: the host name)
  --type TYPE        server type when the token names none (env UC_SERVER_TYPE):
                     ${SERVER_TYPES.join(', ')}
  --instance-id ID   this node's EC2 instance id (env UC_INSTANCE_ID; default: read from
                     UC_INSTANCE_ID_FILE, ${DEFAULT_INSTANCE_ID_FILE}, when cloud-init wrote it)
`;

export interface AgentConfig {
  hub: string;
  token?: string;
  stateFile: string;
  serverId: string;
  serverType?: ServerType;
  /** Given on the command line or in the environment; otherwise read from `instanceIdFile`. */
  instanceId?: string;
  instanceIdFile: string;
}

export type ParsedArgs = { config: AgentConfig } | { help: true } | { error: string };

const ID = new RegExp(idSchema.pattern);

export function parseAgentArgs(argv: string[], env: Record<string, string | undefined>, hostname: string): ParsedArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        hub: { type: 'string' }, token: { type: 'string' }, 'state-file': { type: 'string' }, id: { type: 'string' },
        type: { type: 'string' }, 'instance-id': { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
  if (values.help) return { help: true };

  const hub = values.hub ?? env['UC_HUB'];
  const token = values.token ?? env['UC_JOIN_TOKEN'];
  const stateFile = values['state-file'] ?? env['UC_STATE_FILE'] ?? DEFAULT_STATE_FILE;
  const serverId = values.id ?? env['UC_SERVER_ID'] ?? idFromHostname(hostname);
  const type = values.type ?? env['UC_SERVER_TYPE'];
  const instanceId = values['instance-id'] ?? (env['UC_INSTANCE_ID'] || undefined);
  const instanceIdFile = env['UC_INSTANCE_ID_FILE'] || DEFAULT_INSTANCE_ID_FILE;

  if (!hub) return { error: 'missing --hub (or UC_HUB)' };
  if (!isWssUrl(hub)) return { error: `--hub must be a wss:// URL (the agent port speaks TLS only), not "${hub}"` };
  if (!isId(serverId)) return { error: `--id "${serverId}" is not a valid server id (letters, digits, . _ -; at most 63)` };
  if (type !== undefined && !isServerType(type)) return { error: `--type must be one of: ${SERVER_TYPES.join(', ')}` };
  if (instanceId !== undefined && !isInstanceId(instanceId)) return { error: `--instance-id "${instanceId}" is not an EC2 instance id (i- and 8 or 17 hex digits)` };
  return { config: { hub, stateFile, serverId, instanceIdFile, ...(token ? { token } : {}), ...(type ? { serverType: type } : {}), ...(instanceId ? { instanceId } : {}) } };
}

/** A host name made into a valid server id: other characters become '-', at most 63 long. */
export function idFromHostname(hostname: string): string {
  const id = hostname.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, idSchema.maxLength);
  return id || 'node';
}

function isId(s: string): boolean {
  return s.length <= idSchema.maxLength && ID.test(s);
}

function isServerType(s: string): s is ServerType {
  return (SERVER_TYPES as readonly string[]).includes(s);
}

function isWssUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'wss:' && u.host !== '';
  } catch {
    return false;
  }
}
