/** `clusterctl export FILE` and `clusterctl import FILE`: the model (servers, connections, clusters, layout). */
import type { ExportDoc } from '../../protocol/types.js';
import { arg, hasFlag } from '../args.js';
import { toJson, type Command } from '../command.js';
import { confirm } from '../confirm.js';
import { checkWith } from '../protocol.js';
import { parseJsonFile, readInput, writeOutput } from '../files.js';
import { YES_OPTION } from '../spec.js';
import { checkExportDoc, modelSummary } from './documents.js';

const exportCommand: Command = {
  path: ['export'],
  summary: 'write the model (servers, connections, clusters, layout) to a file',
  details: 'The file is written atomically (a crash leaves the old file or the new one, never half). FILE - writes to stdout.',
  positionals: [{ name: 'FILE' }],
  options: [],
  examples: ['clusterctl export model.json', 'clusterctl export - | jq .servers'],
  async run({ io, client }, inv) {
    const file = arg(inv, 'FILE');
    const doc = await client.get('/api/export') as ExportDoc;
    const valid = checkWith('exportDoc', doc);
    // Keep the data either way (it is the user's), but say that import may refuse it.
    if (!valid.ok) io.err(`clusterctl: warning: the hub's export does not match the protocol schema (${valid.error}); import may refuse it\n`);
    await writeOutput(io, file, toJson(doc));
    if (file !== '-') io.out(`exported ${modelSummary(doc)} to ${file}\n`);
  },
};

const importCommand: Command = {
  path: ['import'],
  summary: 'replace the model with the one in a file made by export',
  details: 'The file is checked here first: a bad file is refused before anything is sent. The hub replaces servers, connections, clusters and layout all at once, or changes nothing. FILE - reads stdin.',
  positionals: [{ name: 'FILE' }],
  options: [YES_OPTION],
  examples: ['clusterctl import model.json', 'clusterctl import model.json --yes'],
  async run({ io, client }, inv) {
    const file = arg(inv, 'FILE');
    const doc = await checkExportDoc(file, parseJsonFile(file, await readInput(io, file)));
    await confirm(io, {
      question: `Replace every server, connection and cluster on ${client.hubUrl} with the ${modelSummary(doc)} in ${file}?`,
      yes: hasFlag(inv, 'yes'),
      action: 'replace the model',
    });
    await client.request('POST', '/api/import', { body: doc });
    io.out(`imported ${modelSummary(doc)} from ${file}\n`);
  },
};

export const transferCommands: readonly Command[] = [exportCommand, importCommand];
