/** For command tests: a HubClient whose hub answers from a table, and a runner that returns the exit code. */
import { parseArgs } from './args.js';
import { HubClient } from './client.js';
import { COMMANDS, TABLE } from './commands/index.js';
import { CliError } from './errors.js';
import { fakeIo } from './test-io.js';

export interface FakeHub {
  readonly client: HubClient;
  /** Every request as `METHOD /path`, in order. */
  readonly requests: string[];
}

/** `routes` maps `METHOD /path` to [status, body]; anything else is a 404 with a hub error body. */
export function fakeHub(routes: Readonly<Record<string, readonly [number, unknown]>>): FakeHub {
  const requests: string[] = [];
  const client = new HubClient({
    hubUrl: 'http://hub', auth: { kind: 'token', token: 't' },
    fetch: async (url, init) => {
      const key = `${init?.method ?? 'GET'} ${new URL(String(url)).pathname}`;
      requests.push(key);
      const [status, body] = routes[key] ?? [404, { error: { code: 'not_found', message: `no route ${key}` } }];
      return new Response(body === undefined ? null : JSON.stringify(body), { status });
    },
  });
  return { client, requests };
}

/** Parses and runs one command against `hub`; resolves with the exit code main would give. */
export async function runCommand(argv: readonly string[], hub: FakeHub, io = fakeIo()): Promise<number> {
  const parsed = parseArgs(argv, TABLE);
  if (parsed.kind !== 'run') throw new Error(`expected a command, got ${parsed.kind}`);
  const command = COMMANDS.find((c) => c === parsed.command);
  if (!command) throw new Error(`no handler for ${argv.join(' ')}`);
  try {
    await command.run({ io, client: hub.client }, parsed);
    return 0;
  } catch (e) {
    if (e instanceof CliError) return e.exitCode;
    throw e;
  }
}
