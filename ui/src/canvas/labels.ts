/** The text under each block: the server's name, plus its id where the name alone is ambiguous. */
import type { Server } from '../../../agent/protocol/types.js';

/**
 * Labels by server id. Agents on hosts with the same hostname (or two agents on one host)
 * produce servers with the same name; the id, which is unique, tells them apart.
 */
export function blockLabels(servers: Iterable<Pick<Server, 'id' | 'name'>>): Map<string, string> {
  const list = [...servers];
  const uses = new Map<string, number>();
  for (const s of list) uses.set(s.name, (uses.get(s.name) ?? 0) + 1);
  return new Map(list.map((s) => [s.id, uses.get(s.name)! > 1 && s.name !== s.id ? `${s.name} (${s.id})` : s.name]));
}
