/**
 * AWS credentials a user pasted for a cluster's binding: one root-only file (mode 0600) beside the
 * state, never in state.json, so they are never shown, exported, backed up with the state or logged.
 */
import { readFile } from 'node:fs/promises';
import type { AwsCredentials } from '../../protocol/types.js';
import { writeFileAtomic } from '../atomic-write.js';

export class CredentialsFile {
  private cache: Record<string, AwsCredentials> | undefined;

  constructor(private readonly file: string) {}

  private async all(): Promise<Record<string, AwsCredentials>> {
    if (this.cache) return this.cache;
    try {
      this.cache = JSON.parse(await readFile(this.file, 'utf8')) as Record<string, AwsCredentials>;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read ${this.file}: ${(e as Error).message}`);
      this.cache = {};
    }
    return this.cache;
  }

  async get(cluster: string): Promise<AwsCredentials | undefined> {
    return (await this.all())[cluster];
  }

  /** Stores (or with `undefined`, forgets) a cluster's credentials. */
  async set(cluster: string, creds: AwsCredentials | undefined): Promise<void> {
    const { [cluster]: _old, ...rest } = await this.all();
    const next = creds ? { ...rest, [cluster]: creds } : rest;
    await writeFileAtomic(this.file, JSON.stringify(next), 0o600);
    this.cache = next;
  }
}
