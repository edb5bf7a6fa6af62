/**
 * The Galera clusters' secrets (the SST and monitor users' passwords), made by the hub and kept
 * in DATA_DIR/galera-secrets.json, root-only (0600), apart from state.json: so they are never in
 * an export, a backup document, the audit log or an API answer. They go only into jobs for the
 * cluster's own nodes.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { GaleraSecrets } from '../../protocol/types.js';
import { writeFileAtomic } from '../atomic-write.js';

const make = () => randomBytes(24).toString('base64url');

export class GaleraSecretStore {
  private cache: Record<string, GaleraSecrets> | undefined;
  private writing: Promise<unknown> = Promise.resolve();

  constructor(private readonly file: string) {}

  private async load(): Promise<Record<string, GaleraSecrets>> {
    if (this.cache) return this.cache;
    try {
      this.cache = JSON.parse(await readFile(this.file, 'utf8')) as Record<string, GaleraSecrets>;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read ${this.file}: ${(e as Error).message}`);
      this.cache = {};
    }
    return this.cache;
  }

  /** The cluster's secrets, made (and stored) on first use. */
  get(cluster: string): Promise<GaleraSecrets> {
    const next = this.writing.then(async () => {
      const all = await this.load();
      if (all[cluster]) return all[cluster]!;
      const made: GaleraSecrets = { sstPassword: make(), monitorPassword: make() };
      await writeFileAtomic(this.file, JSON.stringify({ ...all, [cluster]: made }), 0o600);
      all[cluster] = made;
      return made;
    });
    this.writing = next.catch(() => {});
    return next;
  }
}
