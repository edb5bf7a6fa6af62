/** `clusterctl cluster list|show|create|delete|add|remove`. */
import type { Cluster } from '../../protocol/types.js';
import { arg, hasFlag, optionValue, type Invocation } from '../args.js';
import { apiPath } from '../client.js';
import { toJson, type Command } from '../command.js';
import { confirm } from '../confirm.js';
import { clusterDetails, clustersTable } from '../format.js';
import { checkBody } from '../local-check.js';
import { JSON_OPTION, YES_OPTION } from '../spec.js';

/** How schema messages about cluster bodies read on the command line. */
function fields(inv: Invocation): Record<string, string> {
  return {
    name: `cluster name '${inv.args.get('NAME') ?? ''}'`, description: '--description',
    servers: 'a SERVER', addServers: 'a SERVER', removeServers: 'a SERVER',
  };
}

/** "2 servers" / "1 server". */
function servers(n: number): string {
  return `${n} server${n === 1 ? '' : 's'}`;
}

const list: Command = {
  path: ['cluster', 'list'],
  aliases: ['ls'],
  summary: 'list clusters and their servers',
  positionals: [],
  options: [JSON_OPTION],
  async run({ io, client }, inv) {
    const clusters = await client.get('/api/clusters') as Cluster[];
    io.out(hasFlag(inv, 'json') ? toJson(clusters) : clustersTable(clusters));
  },
};

const show: Command = {
  path: ['cluster', 'show'],
  aliases: ['get'],
  summary: 'show one cluster',
  positionals: [{ name: 'NAME' }],
  options: [JSON_OPTION],
  async run({ io, client }, inv) {
    const cluster = await client.get(apiPath('clusters', arg(inv, 'NAME'))) as Cluster;
    io.out(hasFlag(inv, 'json') ? toJson(cluster) : clusterDetails(cluster));
  },
};

const create: Command = {
  path: ['cluster', 'create'],
  summary: 'create a cluster, optionally with servers',
  positionals: [{ name: 'NAME' }, { name: 'SERVER', optional: true, variadic: true }],
  options: [{ name: 'description', short: 'd', value: 'TEXT', help: 'what the cluster is for' }],
  examples: ['clusterctl cluster create production-cluster web1 db1 cache1'],
  async run({ io, client }, inv) {
    const description = optionValue(inv, 'description');
    const body = await checkBody('clusterCreate', {
      name: arg(inv, 'NAME'), servers: [...new Set(inv.rest)], ...(description === undefined ? {} : { description }),
    }, fields(inv), inv.command.path);
    const created = await client.request('POST', '/api/clusters', { body }) as Cluster;
    io.out(`created cluster '${created.name}' with ${servers(created.servers.length)}\n`);
  },
};

const remove: Command = {
  path: ['cluster', 'delete'],
  aliases: ['rm'],
  summary: 'delete a cluster (its servers stay)',
  positionals: [{ name: 'NAME' }],
  options: [YES_OPTION],
  async run({ io, client }, inv) {
    const name = arg(inv, 'NAME');
    const cluster = await client.get(apiPath('clusters', name)) as Cluster;
    await confirm(io, {
      question: `Delete cluster '${cluster.name}' (${servers(cluster.servers.length)}; the servers stay)?`,
      yes: hasFlag(inv, 'yes'),
      action: `delete cluster '${name}'`,
    });
    await client.request('DELETE', apiPath('clusters', name));
    io.out(`deleted cluster '${name}'\n`);
  },
};

/** `cluster add` and `cluster remove`: one PATCH with addServers or removeServers. */
function membership(word: 'add' | 'remove'): Command {
  const key = word === 'add' ? 'addServers' : 'removeServers';
  return {
    path: ['cluster', word],
    summary: word === 'add' ? 'add servers to a cluster' : 'take servers out of a cluster (they stay in the model)',
    positionals: [{ name: 'NAME' }, { name: 'SERVER', variadic: true }],
    options: [],
    examples: [`clusterctl cluster ${word} production-cluster web2 web3`],
    async run({ io, client }, inv) {
      const name = arg(inv, 'NAME');
      const body = await checkBody('clusterPatch', { [key]: [...new Set(inv.rest)] }, fields(inv), inv.command.path);
      const updated = await client.request('PATCH', apiPath('clusters', name), { body }) as Cluster | null;
      const now = updated ? ` (now ${servers(updated.servers.length)})` : '';
      io.out(`${word === 'add' ? 'added' : 'removed'} ${inv.rest.join(', ')} ${word === 'add' ? 'to' : 'from'} cluster '${name}'${now}\n`);
    },
  };
}

export const clusterCommands: readonly Command[] = [list, show, create, remove, membership('add'), membership('remove')];
