/** `clusterctl agents revoke`: cut an enrolled agent off the hub for good. */
import { arg, hasFlag } from '../args.js';
import { apiPath } from '../client.js';
import type { Command } from '../command.js';
import { confirm } from '../confirm.js';
import { CliError } from '../errors.js';
import type { ListedServer } from '../format.js';
import { YES_OPTION } from '../spec.js';

const revoke: Command = {
  path: ['agents', 'revoke'],
  summary: "revoke a server's agent: disconnected now, refused from then on",
  details: 'Needs the "enroll agents" permission. The server stays in the model (inactive). '
    + 'To bring the node back, delete the agent\'s state file on it and enroll it again with a new join token.',
  positionals: [{ name: 'SERVER_ID' }],
  options: [YES_OPTION],
  examples: ['clusterctl agents revoke web1', 'clusterctl agents revoke web1 --yes'],
  async run({ io, client }, inv) {
    const id = arg(inv, 'SERVER_ID');
    // Look it up first: a wrong name, or a server that never had an agent, is said before any question.
    const server = await client.get(apiPath('servers', id)) as ListedServer;
    if (!server.agent) throw new CliError(`no agent is enrolled as '${id}' (server '${id}' never had one)`);
    await confirm(io, {
      question: `Revoke the agent of server '${server.id}' (${server.name}, ${server.address}, ${server.status ?? 'unknown'})? It is disconnected now and refused from then on.`,
      yes: hasFlag(inv, 'yes'),
      action: `revoke the agent of server '${id}'`,
    });
    await client.request('DELETE', apiPath('agents', id));
    io.out(`revoked the agent of server '${id}': it is disconnected and will be refused; enroll the node again with a new join token\n`);
  },
};

export const agentCommands: readonly Command[] = [revoke];
