/**
 * Scheduled jobs (agent/hub/schedules): GET /api/schedules lists them with their next run, last
 * result and duration (`view`; a cluster's scheduled capacity only for a cluster in scope).
 * PATCH /api/schedules/{id} changes a hub-wide job's cron expression, time zone, catch-up and
 * retention (admin); POST /api/schedules/{id}/run runs one now: a hub-wide job as admin, a
 * scheduled capacity job with `scale` and its cluster in scope.
 */
import type { ScheduleSettings } from '../../protocol/types.js';
import { validators } from '../../protocol/validate.js';
import { clusterInScope, requireAdmin, requireFlag } from '../auth/acl.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { readJson } from '../http/body.js';
import type { Reply } from '../http/router.js';
import { HUB_JOBS } from '../schedules/jobs.js';
import { checkCron } from '../schedules/cron.js';
import { type ApiContext, commit } from './context.js';
import { actorName } from '../auth/authenticate.js';

export async function listSchedules(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'view');
  return { status: 200, body: ctx.svc.schedules.views().filter((v) => !v.cluster || clusterInScope(ctx.who.acl, v.cluster)) };
}

function scopedJob(ctx: ApiContext) {
  const def = ctx.svc.schedules.get(ctx.params['id']!);
  if (def.cluster && !clusterInScope(ctx.who.acl, def.cluster)) throw notFound(`no scheduled job '${def.id}'`);
  return def;
}

export async function patchSchedule(ctx: ApiContext): Promise<Reply> {
  requireAdmin(ctx.who.acl);
  const def = scopedJob(ctx);
  const hub = HUB_JOBS[def.id];
  if (!hub) throw conflict(`${def.title} follows its cluster's scaling policy: change it there`);
  const patch = await readJson(ctx.req, validators.schedulePatch, 4096);
  const settings: ScheduleSettings = { ...def.settings, ...patch };
  const problems = checkCron(settings.cron, settings.timeZone);
  if (problems.length) throw badRequest(`${problems.join('; ')}; nothing was changed`, 'invalid_schedule');
  await commit(ctx, 'schedule.change', def.id, (s) => [{ ...s, schedules: { ...s.schedules, [def.id]: { ...s.schedules?.[def.id], settings } } }, null]);
  return { status: 200, body: ctx.svc.schedules.views().find((v) => v.id === def.id) };
}

export async function runSchedule(ctx: ApiContext): Promise<Reply> {
  const def = scopedJob(ctx);
  if (def.cluster) requireFlag(ctx.who.acl, 'scale');
  else requireAdmin(ctx.who.acl);
  return { status: 200, body: await ctx.svc.schedules.runNow(def.id, actorName(ctx.who)) };
}
