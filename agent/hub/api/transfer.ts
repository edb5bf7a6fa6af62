/** Export/import of the model, and backup/restore of the whole state document. */
import { validators } from '../../protocol/validate.js';
import { actorName } from '../auth/authenticate.js';
import { requireAdmin, requireAllClusters, requireFlag, visibleModel } from '../auth/acl.js';
import { badRequest } from '../errors.js';
import { MODEL_BODY_LIMIT, readJson, readJsonValue } from '../http/body.js';
import type { Reply } from '../http/router.js';
import { withoutOrphanCredentials } from '../enroll/credentials.js';
import { exportModel, importModel, modelProblem } from '../model/transfer.js';
import { checkStateDoc } from '../store.js';
import { withAudit } from '../audit/entries.js';
import { type ApiContext, commit } from './context.js';

export async function exportDoc(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'exportImport');
  const state = ctx.svc.store.state;
  const view = visibleModel(state, ctx.who.acl);
  const ids = new Set(view.servers.map((s) => s.id));
  const layout = Object.fromEntries(Object.entries(state.layout).filter(([id]) => ids.has(id)));
  return { status: 200, body: exportModel({ ...view, layout }) };
}

export async function importDoc(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'exportImport');
  requireAllClusters(ctx.who.acl, 'importing (it replaces the whole model)');
  const doc = await readJson(ctx.req, validators.exportDoc, MODEL_BODY_LIMIT);
  await commit(ctx, 'model.import', `${doc.servers.length} servers`, (s) => [importModel(s, doc), null]);
  return { status: 200, body: { servers: doc.servers.length, connections: doc.connections.length, clusters: doc.clusters.length } };
}

export async function backup(ctx: ApiContext): Promise<Reply> {
  requireAdmin(ctx.who.acl);
  return { status: 200, body: ctx.svc.store.state };
}

export async function restore(ctx: ApiContext): Promise<Reply> {
  requireAdmin(ctx.who.acl);
  const checked = checkStateDoc(await readJsonValue(ctx.req, MODEL_BODY_LIMIT));
  if (!checked.ok) throw badRequest(`not a usable state document: ${checked.error}`, 'invalid_body');
  const restored = checked.value;
  const problem = modelProblem(exportModel(restored));
  if (problem) throw badRequest(problem, 'invalid_body');
  if (!restored.users.some((u) => u.name === ctx.who.name)) ctx.svc.log(`restore by '${ctx.who.name}' replaces users; that user is not in the backup`);
  await ctx.svc.store.update((s) => withAudit(withoutOrphanCredentials({ ...restored, revision: s.revision }), actorName(ctx.who), 'state.restore', `revision ${restored.revision}`));
  return { status: 200, body: { servers: restored.servers.length, users: restored.users.length } };
}
