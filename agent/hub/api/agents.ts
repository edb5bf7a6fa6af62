/** Enrolling agents: join tokens (/api/join-tokens), revocation (/api/agents/{id}), jobs. */
import { validators } from '../../protocol/validate.js';
import type { Acl, JoinToken, State } from '../../protocol/types.js';
import { clusterInScope, requireAllClusters, requireClusterInScope, requireFlag, requireServerVisible, visibleServerIds } from '../auth/acl.js';
import { actorName } from '../auth/authenticate.js';
import { isEnrolled, revokeCredential } from '../enroll/credentials.js';
import { installCommand, joinWarning } from '../enroll/join-command.js';
import { createJoinToken, liveTokens, publicJoinToken, revokeJoinToken } from '../enroll/join-tokens.js';
import { HttpError, notFound } from '../errors.js';
import { readJson } from '../http/body.js';
import type { Reply } from '../http/router.js';
import { findServer, recordAgentFacts } from '../model/servers.js';
import { serverRefs } from '../audit/entries.js';
import { type ApiContext, commit } from './context.js';


/** A scoped user sees (and may revoke) only the tokens for its own clusters, or for servers it sees. */
function tokenVisible(state: State, acl: Acl, t: JoinToken): boolean {
  if (acl.scope === '*') return true;
  if (t.serverId !== undefined) return visibleServerIds(state, acl)?.has(t.serverId) ?? true;
  return t.cluster !== undefined && clusterInScope(acl, t.cluster);
}

export async function listJoinTokens(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'enroll');
  const state = ctx.svc.store.state;
  return { status: 200, body: liveTokens(state).filter((t) => tokenVisible(state, ctx.who.acl, t)).map(publicJoinToken) };
}

export async function createJoinTokenRoute(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'enroll');
  const input = await readJson(ctx.req, validators.joinTokenCreate, 8192);
  if (input.serverId !== undefined) {
    // Re-enrolling hands the server's identity to a new machine: only for those who may edit it.
    requireFlag(ctx.who.acl, 'editServers');
    requireServerVisible(ctx.svc.store.state, ctx.who.acl, input.serverId);
  } else if (input.cluster) {
    // A scoped user's node must land in one of its clusters, or it could not see it.
    requireClusterInScope(ctx.who.acl, input.cluster);
  } else {
    requireAllClusters(ctx.who.acl, 'a join token without a cluster');
  }
  const made = await commit<ReturnType<typeof createJoinToken>>(ctx, 'join-token.create', (r) => r.record.id, (s) => {
    const r = createJoinToken(s, input, actorName(ctx.who), ctx.svc.caFingerprint);
    return [r.state, r];
  }, () => ({ clusters: input.cluster ? [input.cluster] : [], servers: input.serverId ? [input.serverId] : [] }));
  const warning = joinWarning(ctx.svc.agentUrl);
  return {
    status: 201,
    body: {
      ...publicJoinToken(made.record), token: made.token, agentUrl: ctx.svc.agentUrl,
      installCommand: installCommand(ctx.svc.agentUrl, ctx.svc.agentPin, made.token, made.record.serverId),
      ...(warning ? { warning } : {}),
    },
  };
}

export async function revokeJoinTokenRoute(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'enroll');
  const id = ctx.params['id']!;
  const token = (ctx.svc.store.state.joinTokens ?? []).find((t) => t.id === id);
  if (token && !tokenVisible(ctx.svc.store.state, ctx.who.acl, token)) throw notFound(`no join token '${id}'`);
  await commit(ctx, 'join-token.revoke', id, (s) => [revokeJoinToken(s, id), null], () => ({ clusters: token?.cluster ? [token.cluster] : [], servers: token?.serverId ? [token.serverId] : [] }));
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
