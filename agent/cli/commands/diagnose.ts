/** `clusterctl diagnose` (is everything that makes a hub work in order) and `clusterctl logs` (its recent log). */
import type { HubLog } from '../../protocol/types.js';
import { hasFlag, optionValue } from '../args.js';
import { toJson, type Command } from '../command.js';
import { diagnose, diagnoseReport, type DiagnoseInput } from '../diagnose.js';
import { CliError, UsageError } from '../errors.js';
import { checkWith } from '../protocol.js';
import { JSON_OPTION } from '../spec.js';
import { probeAgentPort } from '../tls-probe.js';

const diagnoseCommand: Command = {
  path: ['diagnose'],
  summary: 'check the hub, its agent port and certificates, files, disk, and every agent',
  details: [
    'Checks: the hub answers; the agent port speaks TLS with a certificate of the CA agents pin (reached from this machine); '
    + 'the certificates are not about to expire; the gateway socket (Webmin) exists with mode 0600; the state file can be written; '
    + 'disk space under the data directory; and for every agent whether it is connected, when it last reported and how far its clock is from the hub\'s.',
    'Needs an administrator (every permission, all clusters). Exit code 0 when healthy (warnings allowed), 1 when a check failed; with --strict warnings fail too.',
  ].join('\n\n'),
  positionals: [],
  options: [JSON_OPTION, { name: 'strict', help: 'exit 1 on warnings too' }],
  examples: ['clusterctl diagnose', 'clusterctl diagnose --strict --json'],
  async run({ io, client }, inv) {
    const input: DiagnoseInput = { hubUrl: client.hubUrl, health: { ok: false, error: '' }, diagnostics: undefined, tls: undefined, now: Date.now() };
    try {
      const h = await client.get('/api/health', { auth: false }) as { version?: string };
      input.health = { ok: true, version: h.version ?? 'unknown' };
    } catch (e) {
      input.health = { ok: false, error: (e as Error).message };
    }
    if (input.health.ok) {
      try {
        const raw = await client.get('/api/diagnostics');
        const checked = checkWith('diagnostics', raw);
        input.diagnostics = checked.ok ? checked.value : { error: `the hub's answer does not match this clusterctl (${checked.error})` };
      } catch (e) {
        input.diagnostics = { error: (e as Error).message };
      }
      input.now = Date.now();
      const d = input.diagnostics;
      if (d && !('error' in d)) input.tls = await probeAgentPort(d.agentPort.url, d.agentPort.caFingerprint);
    }
    const checks = diagnose(input);
    io.out(hasFlag(inv, 'json') ? toJson({ hub: client.hubUrl, checks }) : diagnoseReport(checks));
    const failed = checks.filter((c) => c.level === 'fail' || (hasFlag(inv, 'strict') && c.level === 'warn')).length;
    if (failed) throw new CliError(`${failed} check${failed === 1 ? '' : 's'} ${hasFlag(inv, 'strict') ? 'failed or warned' : 'failed'}: see above`);
  },
};

const FOLLOW_EVERY_MS = 1000;

function printLines(out: (s: string) => void, log: HubLog, since: number) {
  if (log.dropped && since > 0) out(`(${log.dropped} line${log.dropped === 1 ? '' : 's'} no longer kept)\n`);
  for (const l of log.lines) out(`${l.ts} ${l.msg}\n`);
}

const logsCommand: Command = {
  path: ['logs'],
  summary: "the hub's recent log (secrets removed); --follow keeps printing",
  details: 'The hub keeps its last 2000 log lines in memory (a restart starts afresh). Needs an administrator. --follow asks for new lines every second until interrupted (Ctrl-C).',
  positionals: [],
  options: [
    { name: 'follow', short: 'f', help: 'keep printing new lines' },
    { name: 'lines', value: 'N', help: 'how many of the newest lines to show first (default 100, at most 2000)' },
  ],
  examples: ['clusterctl logs', 'clusterctl logs -f', 'clusterctl logs --lines 500'],
  async run({ io, client }, inv) {
    const n = optionValue(inv, 'lines') ?? '100';
    if (!/^[1-9]\d{0,3}$/.test(n) || Number(n) > 2000) throw new UsageError(`--lines must be a number from 1 to 2000, not '${n}'`, inv.command.path);
    const read = async (since: number, limit: string) => {
      const raw = await client.get('/api/logs', { query: { since: String(since), limit } });
      const checked = checkWith('hubLog', raw);
      if (!checked.ok) throw new CliError(`the hub's log does not match this clusterctl (${checked.error})`);
      return checked.value;
    };
    const first = await read(0, n);
    printLines(io.out, first, 0);
    if (!hasFlag(inv, 'follow')) return;
    for (let since = first.next; ;) {
      await new Promise((r) => setTimeout(r, FOLLOW_EVERY_MS));
      const next = await read(since, '2000');
      printLines(io.out, next, since);
      since = next.next;
    }
  },
};

export const diagnoseCommands: readonly Command[] = [diagnoseCommand, logsCommand];
