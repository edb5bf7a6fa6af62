/**
 * When the hub refuses an agent for good, retrying cannot help: a revoked credential stays
 * revoked, a taken server id stays taken, a refused token stays refused. This turns such a
 * refusal into the sentence the agent stops with (exit code 3); anything else (a hub that is
 * busy, restarting or unreachable) is retried.
 */
import type { Refusal } from './link.js';

export interface RefusalContext {
  /** True while the agent enrolls with a join token (no identity yet). */
  enrolling: boolean;
  serverId: string;
  stateFile: string;
}

/** The reason to stop for good, or undefined to keep retrying. */
export function fatalRefusal(r: Refusal, ctx: RefusalContext): string | undefined {
  const { serverId: id, stateFile } = ctx;
  if (r.code === 'replaced') {
    return `another agent connected as '${id}' with this node's identity (${stateFile}) and the hub closed this connection. `
      + 'Is this machine a clone of another one? Give the clone an identity of its own: stop its agent, remove '
      + `${stateFile} there, and enroll it with a new join token and its own --id.`;
  }
  if (ctx.enrolling) {
    if (r.code === 'unauthorized') {
      return `the hub refused the join token (${r.message}). Make a new one on the hub (the dashboard's "Add a node", or clusterctl tokens create).`;
    }
    if (r.code === 'conflict' || r.code === 'forbidden') {
      return `the hub refused to enroll this node as '${id}': ${r.message}. If another machine with the same host name `
        + '(a clone?) enrolled first, pick a server id for this node with --id NAME (or UC_SERVER_ID=NAME).';
    }
    return undefined;
  }
  if (r.code === 'unauthorized') {
    return `the hub no longer accepts this agent's credential for '${id}' (revoked, or the server was deleted). `
      + `To enroll this node again, remove ${stateFile} and start the agent with a new join token (--token).`;
  }
  return undefined;
}
