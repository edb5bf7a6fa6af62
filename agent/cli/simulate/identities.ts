/**
 * The simulated fleet's identities: one JSON file (mode 0600, in a 0700 directory) holding the
 * hub's CA and every simulated agent's server id and credential, so a rerun says hello instead
 * of enrolling again. Enrollments that arrive together are written together: `add` resolves only
 * after a write that includes its credential (a lost credential is a lost node), but 10,000
 * enrollments make a few dozen writes, not 10,000 of a growing file.
 */
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../../hub/atomic-write.js';
import { CliError } from '../errors.js';

const FORMAT = 'unlimited-cluster-simulator';

interface FileDoc {
  format: typeof FORMAT;
  version: 1;
  /** The agent socket these identities belong to. */
  hub: string;
  caPem: string;
  /** server id → credential. */
  agents: Record<string, string>;
}

interface Waiter {
  resolve: () => void;
  reject: (e: Error) => void;
}

export class IdentityFile {
  private readonly agents: Map<string, string>;
  /** Waiting for the next write; `writing` is the one under way. */
  private waiting: Waiter[] = [];
  private writing = false;

  private constructor(readonly file: string, readonly hub: string, readonly caPem: string, agents: Map<string, string>) {
    this.agents = agents;
  }

  /** The file's identities, or undefined when there is none yet; CliError when it cannot be used. */
  static load(file: string): IdentityFile | undefined {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new CliError(`cannot read ${file}: ${(e as Error).message}`);
    }
    let doc: Partial<FileDoc>;
    try {
      doc = JSON.parse(text) as Partial<FileDoc>;
    } catch {
      throw new CliError(`${file} is not valid JSON; remove it (its agents enroll again with a new token)`);
    }
    if (doc.format !== FORMAT || typeof doc.hub !== 'string' || typeof doc.caPem !== 'string' || typeof doc.agents !== 'object' || doc.agents === null) {
      throw new CliError(`${file} is not a simulator state file; choose another --state-dir`);
    }
    const agents = new Map<string, string>();
    for (const [id, credential] of Object.entries(doc.agents)) if (typeof credential === 'string') agents.set(id, credential);
    return new IdentityFile(file, doc.hub, doc.caPem, agents);
  }

  static create(file: string, hub: string, caPem: string): IdentityFile {
    return new IdentityFile(file, hub, caPem, new Map());
  }

  get size(): number {
    return this.agents.size;
  }

  credential(serverId: string): string | undefined {
    return this.agents.get(serverId);
  }

  /** Keeps an identity; resolves once it is on disk. */
  add(serverId: string, credential: string): Promise<void> {
    this.agents.set(serverId, credential);
    return this.save();
  }

  /** Writes the file (with everything added so far); resolves once a write that began after this call is done. */
  save(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.waiting.length) {
      const batch = this.waiting;
      this.waiting = [];
      const doc: FileDoc = { format: FORMAT, version: 1, hub: this.hub, caPem: this.caPem, agents: Object.fromEntries(this.agents) };
      try {
        await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
        await writeFileAtomic(this.file, JSON.stringify(doc) + '\n', 0o600);
        for (const w of batch) w.resolve();
      } catch (e) {
        for (const w of batch) w.reject(e as Error);
      }
    }
    this.writing = false;
  }
}
