/**
 * What an enrolled agent keeps, root-only: its server id, its credential and the hub's CA.
 * Written atomically once, at enrollment; read at every start.
 */
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../hub/atomic-write.js';

export interface Identity {
  serverId: string;
  credential: string;
  caPem: string;
}

/** The identity in `file`, undefined when there is none yet; an Error when it is unusable. */
export function loadIdentity(file: string): Identity | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read ${file}: ${(e as Error).message}`);
  }
  const d = JSON.parse(text) as Partial<Identity>;
  if (typeof d.serverId !== 'string' || typeof d.credential !== 'string' || typeof d.caPem !== 'string') {
    throw new Error(`${file} is not an agent identity; remove it to enroll again with a new token`);
  }
  return { serverId: d.serverId, credential: d.credential, caPem: d.caPem };
}

export async function saveIdentity(file: string, identity: Identity): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFileAtomic(file, JSON.stringify(identity, null, 2) + '\n', 0o600);
}
