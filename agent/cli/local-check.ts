/**
 * Checks a request body against the protocol schema before it is sent, so a typo is a usage
 * error naming the option (`--type must be one of: …`) instead of a round trip to the hub.
 */
import { UsageError } from './errors.js';
import { checkWith, type Validated, type ValidatorName } from './protocol.js';

/**
 * `fields` maps the body's top-level properties to what the user typed (`type` → `--type`,
 * `id` → `ID`); the schema's message starts with the JSON pointer, which is replaced.
 */
export async function checkBody<K extends ValidatorName>(validator: K, body: unknown, fields: Readonly<Record<string, string>>, command: readonly string[]): Promise<Validated<K>> {
  const result = checkWith(validator, body);
  if (result.ok) return result.value;
  throw new UsageError(renameField(result.error, fields), command);
}

/** `/type must be …` → `--type must be …`; `/labels/x …` → `--label …`. */
export function renameField(message: string, fields: Readonly<Record<string, string>>): string {
  const match = /^\/([^/ ]+)(\/\S*)?( .*)$/s.exec(message);
  if (!match) return message;
  const [, key = '', , rest = ''] = match;
  const display = fields[key];
  return display === undefined ? message : `${display}${rest}`;
}
