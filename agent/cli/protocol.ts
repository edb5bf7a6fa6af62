/** Protocol checks by validator name (validators compile on first use, see protocol/validate.ts). */
import type { ValidateFunction } from 'ajv';
import { check, validators, type Checked } from '../protocol/validate.js';

export type ValidatorName = keyof typeof validators;
/** The type a named validator proves: `ServerCreate` for `serverCreate`. */
export type Validated<K extends ValidatorName> = (typeof validators)[K] extends ValidateFunction<infer T> ? T : never;

export function checkWith<K extends ValidatorName>(name: K, data: unknown): Checked<Validated<K>> {
  return check(validators[name] as ValidateFunction<Validated<K>>, data);
}
