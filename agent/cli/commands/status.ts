/** `clusterctl status`: is the hub up, which version, and what it holds. */
import { VERSION } from '../../version.js';
import { hasFlag } from '../args.js';
import { toJson, type Command } from '../command.js';
import { statusReport, type Health, type Stats } from '../status-format.js';
import { JSON_OPTION } from '../spec.js';

const status: Command = {
  path: ['status'],
  summary: 'hub health and version, server counts, connected agents',
  positionals: [],
  options: [JSON_OPTION],
  examples: ['clusterctl status', 'clusterctl --hub http://10.0.0.5:8080 status'],
  async run({ io, client }, inv) {
    const health = await client.get('/api/health', { auth: false }) as Health;
    const stats = await client.get('/api/stats') as Stats;
    if (hasFlag(inv, 'json')) io.out(toJson({ hub: client.hubUrl, health, stats }));
    else io.out(statusReport(client.hubUrl, health, stats, VERSION));
  },
};

export const statusCommands: readonly Command[] = [status];
