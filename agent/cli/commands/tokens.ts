/** `clusterctl tokens create|list|revoke`: join tokens, with which new nodes enroll their agent. */
import { SERVER_TYPES } from '../../protocol/common.js';
import type { JoinTokenCreate } from '../../protocol/types.js';
import { arg, hasFlag, optionValue, optionValues, type Invocation } from '../args.js';
import { apiPath } from '../client.js';
import { toJson, type Command } from '../command.js';
import { confirm } from '../confirm.js';
import { CliError, UsageError } from '../errors.js';
import { checkBody } from '../local-check.js';
import { JSON_OPTION, YES_OPTION } from '../spec.js';
import { createdTokenReport, expiresIn, tokensTable, utcMinute, type CreatedJoinToken, type ListedJoinToken } from '../token-format.js';
import { parseLabels } from './servers.js';

/** A whole number from an option (`--uses 3`); anything else is a usage error naming the option. */
export function parseWholeNumber(value: string, option: string, command: readonly string[]): number {
  if (!/^\d{1,15}$/.test(value)) throw new UsageError(`--${option} '${value}' is not a whole number`, command);
  return Number(value);
}

/** The POST /api/join-tokens body from the command line, checked against the schema here. */
export async function joinTokenCreateBody(inv: Invocation): Promise<JoinTokenCreate> {
  const command = inv.command.path;
  const body: Record<string, unknown> = {};
  const expires = optionValue(inv, 'expires');
  if (expires !== undefined) body['expiresInMinutes'] = parseWholeNumber(expires, 'expires', command);
  const uses = optionValue(inv, 'uses');
  if (uses !== undefined) body['uses'] = parseWholeNumber(uses, 'uses', command);
  const type = optionValue(inv, 'type');
  if (type !== undefined) body['type'] = type;
  const labels = optionValues(inv, 'label');
  if (labels.length > 0) body['labels'] = parseLabels(labels, command);
  const cluster = optionValue(inv, 'cluster');
  if (cluster !== undefined) body['cluster'] = cluster;
  const server = optionValue(inv, 'server');
  if (server !== undefined) body['serverId'] = server;
  return checkBody('joinTokenCreate', body, {
    expiresInMinutes: '--expires', uses: '--uses', type: '--type', labels: '--label', cluster: '--cluster', serverId: '--server',
  }, command);
}

const create: Command = {
  path: ['tokens', 'create'],
  summary: 'create a join token and print the command that enrolls a new node with it',
  details: 'Needs the "enroll agents" permission. The token fixes what the node becomes (type, labels, cluster); '
    + 'a user limited to some clusters must name one of them with --cluster. A token only ever creates new servers; '
    + 'to enroll an existing server again (a reinstalled node), make one with --server ID (also needs "edit servers"). '
    + 'The token is printed only this once (the hub keeps only its hash); --json prints the hub\'s answer, token included.',
  positionals: [],
  options: [
    { name: 'expires', value: 'MINUTES', help: 'minutes until it stops working (default 60, at most 43200 = 30 days)' },
    { name: 'uses', value: 'N', help: 'how many nodes may enroll with it (default 1)' },
    { name: 'type', short: 't', value: 'TYPE', help: `the nodes' server type: ${SERVER_TYPES.join(', ')} (default: the agent's --type, or web)` },
    { name: 'label', short: 'l', value: 'KEY=VALUE', repeatable: true, help: 'a label for the nodes; repeat for more' },
    { name: 'cluster', value: 'NAME', help: 'a cluster the nodes join' },
    { name: 'server', value: 'ID', help: 're-enroll this existing server instead (one use; no --type, --label or --cluster)' },
    JSON_OPTION,
  ],
  examples: [
    'clusterctl tokens create --type web',
    'clusterctl tokens create --type cache --cluster production-cluster --label zone=a --uses 3 --expires 1440',
    'clusterctl tokens create --server db1',
  ],
  async run({ io, client }, inv) {
    const created = await client.request('POST', '/api/join-tokens', { body: await joinTokenCreateBody(inv) }) as CreatedJoinToken;
    io.out(hasFlag(inv, 'json') ? toJson(created) : createdTokenReport(created, Date.now()));
  },
};

const list: Command = {
  path: ['tokens', 'list'],
  aliases: ['ls'],
  summary: 'list the join tokens that can still be used (never their secrets)',
  details: 'Needs the "enroll agents" permission. Expired and used-up tokens are not listed.',
  positionals: [],
  options: [JSON_OPTION],
  examples: ['clusterctl tokens list', 'clusterctl tokens list --json'],
  async run({ io, client }, inv) {
    const tokens = await client.get('/api/join-tokens') as ListedJoinToken[];
    io.out(hasFlag(inv, 'json') ? toJson(tokens) : tokensTable(tokens, Date.now()));
  },
};

const revoke: Command = {
  path: ['tokens', 'revoke'],
  aliases: ['rm', 'delete'],
  summary: 'revoke a join token so no more nodes enroll with it',
  details: 'Needs the "enroll agents" permission. Agents that already enrolled with it stay enrolled (see clusterctl agents revoke).',
  positionals: [{ name: 'ID' }],
  options: [YES_OPTION],
  examples: ['clusterctl tokens revoke 3f2a1b4c5d6e', 'clusterctl tokens revoke 3f2a1b4c5d6e --yes'],
  async run({ io, client }, inv) {
    const id = arg(inv, 'ID');
    // Look it up first: a wrong or dead id is reported as such, before any question is asked.
    const tokens = await client.get('/api/join-tokens') as ListedJoinToken[];
    const token = tokens.find((t) => t.id === id);
    if (!token) throw new CliError(`no live join token '${id}' (it expired, was used up or revoked; clusterctl tokens list shows the live ones)`);
    await confirm(io, {
      question: `Revoke join token '${id}' (by ${token.createdBy}, ${token.usesLeft} use${token.usesLeft === 1 ? '' : 's'} left, expires ${utcMinute(token.expiresAt)}, ${expiresIn(token.expiresAt, Date.now())})?`,
      yes: hasFlag(inv, 'yes'),
      action: `revoke join token '${id}'`,
    });
    await client.request('DELETE', apiPath('join-tokens', id));
    io.out(`revoked join token '${id}'\n`);
  },
};

export const tokenCommands: readonly Command[] = [create, list, revoke];
