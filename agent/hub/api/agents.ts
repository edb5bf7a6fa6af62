/** Enrolling agents: join tokens (/api/join-tokens), revocation (/api/agents/{id}), jobs. */
import { validators } from '../../protocol/validate.js';
import type { Acl, JoinToken } from '../../protocol/types.js';
import { clusterInScope, requireAllClusters, requireClusterInScope, requireFlag, requireServerVisible } from '../auth/acl.js';
import { isEnrolled, revokeCredential } from '../enroll/credentials.js';
import { createJoinToken, liveTokens, publicJoinToken, revokeJoinToken } from '../enroll/join-tokens.js';
import { HttpError, notFound } from '../errors.js';
import { readJson } from '../http/body.js';
import type { Reply } from '../http/router.js';
import { findServer, recordAgentFacts } from '../model/servers.js';
import { serverRefs } from '../audit/entries.js';
import { type ApiContext, commit } from './context.js';

/** The one line an admin runs on a new node. */
export const installCommand = (agentUrl: string, token: string) =>
  `node agent.mjs --hub ${agentUrl} --token ${token} --state-file /var/lib/unlimited-cluster/agent.json`;

/** A scoped user sees (and may revoke) only the tokens for its own clusters. */
const tokenVisible = (acl: Acl, t: JoinToken) => acl.scope === '*' || (t.cluster !== undefined && clusterInScope(acl, t.cluster));

export async function listJoinTokens(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'enroll');
  return { status: 200, body: liveTokens(ctx.svc.store.state).filter((t) => tokenVisible(ctx.who.acl, t)).map(publicJoinToken) };
}

export async function createJoinTokenRoute(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'enroll');
  const input = await readJson(ctx.req, validators.joinTokenCreate, 8192);
  // A scoped user's node must land in one of its clusters, or it could not see it.
  if (input.cluster) requireClusterInScope(ctx.who.acl, input.cluster);
  else requireAllClusters(ctx.who.acl, 'a join token without a cluster');
  const made = await commit<ReturnType<typeof createJoinToken>>(ctx, 'join-token.create', (r) => r.record.id, (s) => {
    const r = createJoinToken(s, input, ctx.who.name, ctx.svc.caFingerprint);
    return [r.state, r];
  }, () => ({ clusters: input.cluster ? [input.cluster] : [] }));
  return {
    status: 201,
    body: { ...publicJoinToken(made.record), token: made.token, installCommand: installCommand(ctx.svc.agentUrl, made.token) },
  };
}

export async function revokeJoinTokenRoute(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'enroll');
  const id = ctx.params['id']!;
  const token = (ctx.svc.store.state.joinTokens ?? []).find((t) => t.id === id);
  if (token && !tokenVisible(ctx.who.acl, token)) throw notFound(`no join token '${id}'`);
  await commit(ctx, 'join-token.revoke', id, (s) => [revokeJoinToken(s, id), null], () => ({ clusters: token?.cluster ? [token.cluster] : [] }));
  return { status: 204 };
}

/** Revokes a server's agent: disconnected now (the store's change does it), refused from then on. */
export async function revokeAgent(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'enroll');
  const id = ctx.params['id']!;
  requireServerVisible(ctx.svc.store.state, ctx.who.acl, id);
  if (!isEnrolled(ctx.svc.store.state, id)) throw notFound(`no agent is enrolled as '${id}'`);
  await commit(ctx, 'agent.revoke', id, (s) => [revokeCredential(s, id), null], (s) => serverRefs(s, [id]));
  return { status: 204 };
}

export async function runJob(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'editServers');
  const id = ctx.params['id']!;
  requireServerVisible(ctx.svc.store.state, ctx.who.acl, id);
  findServer(ctx.svc.store.state, id);
  const { kind } = await readJson(ctx.req, validators.jobCreate, 1024);
  const result = await ctx.svc.agents.runJob(id, kind);
  if (!result.ok) throw new HttpError(502, 'job_refused', `the agent refused the job: ${result.error ?? 'no reason given'}`);
  if (result.inventory) {
    const server = findServer(ctx.svc.store.state, id);
    const inventory = result.inventory;
    await commit(ctx, 'job.inventory', id, (s) => [recordAgentFacts(s, id, { version: server.agent?.version ?? 'unknown', inventory }), null], (s) => serverRefs(s, [id]));
  }
  return { status: 200, body: { jobId: result.jobId, ok: true, server: findServer(ctx.svc.store.state, id) } };
}
