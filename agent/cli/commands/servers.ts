/** `clusterctl servers list|show|add|remove`. */
import { SERVER_TYPES } from '../../protocol/common.js';
import type { ServerCreate } from '../../protocol/types.js';
import { arg, hasFlag, optionValue, optionValues, type Invocation } from '../args.js';
import { apiPath } from '../client.js';
import { toJson, type Command } from '../command.js';
import { confirm } from '../confirm.js';
import { UsageError } from '../errors.js';
import { serverDetails, serversTable, type ListedServer } from '../format.js';
import { checkBody } from '../local-check.js';
import { JSON_OPTION, YES_OPTION } from '../spec.js';

const list: Command = {
  path: ['servers', 'list'],
  aliases: ['ls'],
  summary: 'list servers with status, CPU and memory',
  positionals: [],
  options: [JSON_OPTION],
  examples: ['clusterctl servers list', 'clusterctl servers list --json'],
  async run({ io, client }, inv) {
    const servers = await client.get('/api/servers') as ListedServer[];
    io.out(hasFlag(inv, 'json') ? toJson(servers) : serversTable(servers));
  },
};

const show: Command = {
  path: ['servers', 'show'],
  aliases: ['get'],
  summary: 'show one server in detail',
  positionals: [{ name: 'ID' }],
  options: [JSON_OPTION],
  async run({ io, client }, inv) {
    const server = await client.get(apiPath('servers', arg(inv, 'ID'))) as ListedServer;
    io.out(hasFlag(inv, 'json') ? toJson(server) : serverDetails(server));
  },
};

/** `k=v` pairs from repeated --label options; a label without '=' is a usage error. */
export function parseLabels(pairs: readonly string[], command: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--label '${pair}' is not KEY=VALUE`, command);
    labels[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return labels;
}

/** Port numbers from repeated --port options (each may also be a comma list). */
export function parsePorts(values: readonly string[], command: readonly string[]): number[] {
  const ports = values.flatMap((v) => v.split(',')).map((p) => p.trim());
  return ports.map((p) => {
    if (!/^\d{1,5}$/.test(p)) throw new UsageError(`--port '${p}' is not a port number`, command);
    return Number(p);
  });
}

/** The POST /api/servers body from the command line; checked against the schema here. */
export async function serverCreateBody(inv: Invocation): Promise<ServerCreate> {
  const id = arg(inv, 'ID');
  const body: Record<string, unknown> = {
    id,
    // The id is a fine display name when none is given.
    name: optionValue(inv, 'name') ?? id,
    type: optionValue(inv, 'type'),
    address: optionValue(inv, 'address'),
  };
  const region = optionValue(inv, 'region');
  if (region !== undefined) body['region'] = region;
  const labels = optionValues(inv, 'label');
  if (labels.length > 0) body['labels'] = parseLabels(labels, inv.command.path);
  const ports = optionValues(inv, 'port');
  if (ports.length > 0) body['ports'] = parsePorts(ports, inv.command.path);
  return checkBody('serverCreate', body, {
    id: `server id '${id}'`, name: '--name', type: '--type', address: '--address', region: '--region', labels: '--label', ports: '--port',
  }, inv.command.path);
}

const add: Command = {
  path: ['servers', 'add'],
  aliases: ['create'],
  summary: 'add a server to the model',
  details: "ID is the server's short name: letters, digits, '.', '_' and '-', starting with a letter or digit.",
  positionals: [{ name: 'ID' }],
  options: [
    { name: 'type', short: 't', value: 'TYPE', required: true, help: `server type: ${SERVER_TYPES.join(', ')}` },
    { name: 'address', short: 'a', value: 'ADDR', required: true, help: 'IP address or host name' },
    { name: 'name', short: 'n', value: 'NAME', help: 'display name (default: the ID)' },
    { name: 'region', short: 'r', value: 'REGION', help: 'region, e.g. eu-west-1' },
    { name: 'label', short: 'l', value: 'KEY=VALUE', repeatable: true, help: 'a label; repeat for more' },
    { name: 'port', short: 'p', value: 'PORT', repeatable: true, help: 'a service port; repeat or comma-separate for more' },
  ],
  examples: [
    'clusterctl servers add web1 --name "Web Server 1" --type web --address 192.168.1.10 --region us-east-1',
    'clusterctl servers add db1 --type database --address db1.example.com --label role=primary --port 3306',
  ],
  async run({ io, client }, inv) {
    const created = await client.request('POST', '/api/servers', { body: await serverCreateBody(inv) }) as ListedServer;
    io.out(`added server '${created.id}' (${created.name}, ${created.type}, ${created.address})\n`);
  },
};

const remove: Command = {
  path: ['servers', 'remove'],
  aliases: ['rm', 'delete'],
  summary: 'remove a server, its connections and cluster memberships',
  positionals: [{ name: 'ID' }],
  options: [YES_OPTION],
  examples: ['clusterctl servers remove web1', 'clusterctl servers remove web1 --yes'],
  async run({ io, client }, inv) {
    const id = arg(inv, 'ID');
    // Look it up first: a wrong name is reported as such, before any question is asked.
    const server = await client.get(apiPath('servers', id)) as ListedServer;
    await confirm(io, {
      question: `Remove server '${server.id}' (${server.name}, ${server.address}) with its connections and cluster memberships?`,
      yes: hasFlag(inv, 'yes'),
      action: `remove server '${id}'`,
    });
    await client.request('DELETE', apiPath('servers', id));
    io.out(`removed server '${id}'\n`);
  },
};

export const serverCommands: readonly Command[] = [list, show, add, remove];
