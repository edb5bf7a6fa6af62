/** `clusterctl connect`, `disconnect` and `connections list`. */
import { CONNECTION_TYPES } from '../../protocol/common.js';
import type { Connection } from '../../protocol/types.js';
import type { ListedConnection } from '../format.js';
import { arg, hasFlag, optionValue } from '../args.js';
import { toJson, type Command } from '../command.js';
import { connectionsTable } from '../format.js';
import { checkBody } from '../local-check.js';
import { JSON_OPTION } from '../spec.js';

const list: Command = {
  path: ['connections', 'list'],
  aliases: ['ls'],
  summary: 'list connections between servers, with the probe\'s status and latency',
  positionals: [],
  options: [JSON_OPTION],
  async run({ io, client }, inv) {
    const connections = await client.get('/api/connections') as ListedConnection[];
    io.out(hasFlag(inv, 'json') ? toJson(connections) : connectionsTable(connections));
  },
};

const connect: Command = {
  path: ['connect'],
  summary: 'connect two servers',
  details: `TYPE is one of: ${CONNECTION_TYPES.join(', ')} (default standard).`,
  positionals: [{ name: 'FROM' }, { name: 'TO' }],
  options: [{ name: 'type', short: 't', value: 'TYPE', help: 'connection type (default standard)' }],
  examples: ['clusterctl connect web1 db1 --type database'],
  async run({ io, client }, inv) {
    const from = arg(inv, 'FROM');
    const to = arg(inv, 'TO');
    const type = optionValue(inv, 'type');
    const body = await checkBody('connectionCreate', { from, to, ...(type === undefined ? {} : { type }) },
      { from: `FROM '${from}'`, to: `TO '${to}'`, type: '--type' }, inv.command.path);
    const created = await client.request('POST', '/api/connections', { body }) as Connection;
    io.out(`connected ${created.from} -> ${created.to} (${created.type})\n`);
  },
};

const disconnect: Command = {
  path: ['disconnect'],
  summary: 'remove the connection between two servers',
  positionals: [{ name: 'FROM' }, { name: 'TO' }],
  options: [],
  examples: ['clusterctl disconnect web1 db1'],
  async run({ io, client }, inv) {
    const from = arg(inv, 'FROM');
    const to = arg(inv, 'TO');
    await checkBody('connectionDelete', { from, to }, { from: `FROM '${from}'`, to: `TO '${to}'` }, inv.command.path);
    await client.request('DELETE', '/api/connections', { query: { from, to } });
    io.out(`disconnected ${from} -> ${to}\n`);
  },
};

export const connectionCommands: readonly Command[] = [list, connect, disconnect];
