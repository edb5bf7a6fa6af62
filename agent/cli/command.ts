/** What every command gets and is: its spec plus the function that runs it. */
import type { Invocation } from './args.js';
import type { HubClient } from './client.js';
import type { Io } from './io.js';
import type { CommandSpec } from './spec.js';

export interface Context {
  readonly io: Io;
  readonly client: HubClient;
}

export interface Command extends CommandSpec {
  run(ctx: Context, inv: Invocation): Promise<void>;
}

/** Pretty JSON with a final newline, as every `--json` output and written file uses. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
