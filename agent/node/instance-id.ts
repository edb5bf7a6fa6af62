/**
 * The node's EC2 instance id, so the hub can match it to its Auto Scaling group's instances.
 * From --instance-id or UC_INSTANCE_ID when given, else from cloud-init's file
 * (/var/lib/cloud/data/instance-id, or UC_INSTANCE_ID_FILE): the instance metadata service is
 * never asked. A node that is no EC2 instance simply has none.
 */
import { readFileSync } from 'node:fs';

export const DEFAULT_INSTANCE_ID_FILE = '/var/lib/cloud/data/instance-id';
const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;

export const isInstanceId = (s: string) => INSTANCE_ID.test(s);

/** The instance id in `given` or in `file`; a file that is missing or holds something else gives none (`warn` says why). */
export function readInstanceId(given: string | undefined, file: string, warn: (msg: string) => void = () => {}): string | undefined {
  if (given !== undefined) return given;
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') warn(`cannot read ${file}: ${(e as Error).message}`);
    return undefined;
  }
  if (isInstanceId(text)) return text;
  // cloud-init on other clouds writes their own ids here (not EC2's): not an error.
  if (text) warn(`${file} holds '${text.slice(0, 40)}', not an EC2 instance id: none reported`);
  return undefined;
}
