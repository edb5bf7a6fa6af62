/** The agent's command line, with environment fallbacks. Pure: main.ts does the I/O. */
import { parseArgs } from 'node:util';
import { SERVER_TYPES, idSchema } from '../protocol/common.js';
import type { ServerType } from '../protocol/types.js';

export const USAGE = `usage: agent --hub ws://HOST:PORT/agent --key-file PATH [--id SERVER_ID] [--type TYPE]

  --hub URL        the hub's agent socket (env UC_HUB)
  --key-file PATH  file holding the hub's agent key (env UC_KEY_FILE)
  --id ID          this server's id (env UC_SERVER_ID; default: the host name)
  --type TYPE      server type used when the hub creates this server (env UC_SERVER_TYPE):
                   ${SERVER_TYPES.join(', ')}
`;

export interface AgentConfig {
  hub: string;
  keyFile: string;
  serverId: string;
  serverType?: ServerType;
}

export type ParsedArgs = { config: AgentConfig } | { help: true } | { error: string };

const ID = new RegExp(idSchema.pattern);

export function parseAgentArgs(argv: string[], env: Record<string, string | undefined>, hostname: string): ParsedArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        hub: { type: 'string' }, 'key-file': { type: 'string' }, id: { type: 'string' },
        type: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
  if (values.help) return { help: true };

  const hub = values.hub ?? env['UC_HUB'];
  const keyFile = values['key-file'] ?? env['UC_KEY_FILE'];
  const serverId = values.id ?? env['UC_SERVER_ID'] ?? idFromHostname(hostname);
  const type = values.type ?? env['UC_SERVER_TYPE'];

  if (!hub) return { error: 'missing --hub (or UC_HUB)' };
  if (!isWsUrl(hub)) return { error: `--hub must be a ws:// or wss:// URL, not "${hub}"` };
  if (!keyFile) return { error: 'missing --key-file (or UC_KEY_FILE)' };
  if (!isId(serverId)) return { error: `--id "${serverId}" is not a valid server id (letters, digits, . _ -; at most 63)` };
  if (type !== undefined && !isServerType(type)) return { error: `--type must be one of: ${SERVER_TYPES.join(', ')}` };
  return { config: { hub, keyFile, serverId, ...(type ? { serverType: type } : {}) } };
}

/** A host name made into a valid server id: other characters become '-', at most 63 long. */
export function idFromHostname(hostname: string): string {
  const id = hostname.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, idSchema.maxLength);
  return id || 'node';
}

/** The key file's content, trimmed; an error sentence when it is unusable. */
export function keyFromFile(text: string, path: string): { key: string } | { error: string } {
  const key = text.trim();
  if (!key) return { error: `key file ${path} is empty` };
  if (key.length > 256 || /\s/.test(key)) return { error: `key file ${path} does not hold one key` };
  return { key };
}

function isId(s: string): boolean {
  return s.length <= idSchema.maxLength && ID.test(s);
}

function isServerType(s: string): s is ServerType {
  return (SERVER_TYPES as readonly string[]).includes(s);
}

function isWsUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'ws:' || u.protocol === 'wss:') && u.host !== '';
  } catch {
    return false;
  }
}
