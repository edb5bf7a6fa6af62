/**
 * /api/alert-rules (view to read; editClusters to change) and /api/alerts (view; a scoped user
 * sees only alerts of servers it can see).
 */
import type { AlertRule, State } from '../../protocol/types.js';
import { check, validators } from '../../protocol/validate.js';
import { requireFlag, visibleServerIds } from '../auth/acl.js';
import { redactRule, ruleEditable, ruleVisible } from '../alerts/rule-access.js';
import { addRule, findRule, patchRule, removeRule, replaceRule } from '../alerts/rules.js';
import { badRequest, forbidden, notFound } from '../errors.js';
import { readJson } from '../http/body.js';
import type { Reply } from '../http/router.js';
import type { AuditExtra } from '../audit/entries.js';
import { type ApiContext, commit } from './context.js';

const RULE_BODY_LIMIT = 64 * 1024;

/** The clusters a rule watches, for its audit entries (none for a rule over every server). */
const ruleRefs = (r: AlertRule): AuditExtra => ({ clusters: Array.isArray(r.scope) ? r.scope : [] });

export async function listRules(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'view');
  const rules = ctx.svc.store.state.alertRules.filter((r) => ruleVisible(ctx.who.acl, r));
  return { status: 200, body: ctx.who.acl.editClusters ? rules : rules.map(redactRule) };
}

function requireEditable(ctx: ApiContext, rule: AlertRule, what: string): void {
  if (!ruleEditable(ctx.who.acl, rule)) {
    throw forbidden(`${what} a rule for ${rule.scope === undefined || rule.scope === '*' ? 'every server' : 'clusters outside your scope'} needs access to all clusters`);
  }
}

/** The `:id` rule, once the caller may see it (else 404: not theirs to know). */
function visibleRule(ctx: ApiContext): AlertRule {
  const id = ctx.params['id']!;
  const rule = findRule(ctx.svc.store.state, id);
  if (!ruleVisible(ctx.who.acl, rule)) throw notFound(`no alert rule with id '${id}'`);
  return rule;
}

export async function createRule(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'editClusters');
  const input = await readJson(ctx.req, validators.alertRuleCreate, RULE_BODY_LIMIT);
  const rule = await commit<AlertRule>(ctx, 'alert-rule.create', (r) => r.id, (s) => {
    const r = addRule(s, input);
    requireEditable(ctx, r.rule, 'creating');
    return [r.state, r.rule];
  }, (_s, r) => ruleRefs(r));
  return { status: 201, body: rule };
}

/** Changes the `:id` rule: `change` makes the new one from the state and the request body. */
async function changeRule<B>(ctx: ApiContext, body: B, change: (s: State, id: string, body: B) => { state: State; rule: AlertRule }): Promise<Reply> {
  const old = visibleRule(ctx);
  const rule = await commit(ctx, 'alert-rule.update', old.id, (s) => {
    const r = change(s, old.id, body);
    requireEditable(ctx, r.rule, 'making');
    return [r.state, r.rule];
  }, (_s, r) => ({ clusters: [...ruleRefs(old).clusters ?? [], ...ruleRefs(r).clusters ?? []] }));
  return { status: 200, body: rule };
}

/** PATCH: some fields of the rule. */
export async function patchRuleRoute(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'editClusters');
  requireEditable(ctx, visibleRule(ctx), 'changing');
  return changeRule(ctx, await readJson(ctx.req, validators.alertRulePatch, RULE_BODY_LIMIT), patchRule);
}

/** PUT (kept for older clients of the hub's own port; miniserv refuses it): the whole rule. */
export async function replaceRuleRoute(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'editClusters');
  requireEditable(ctx, visibleRule(ctx), 'changing');
  return changeRule(ctx, await readJson(ctx.req, validators.alertRuleInput, RULE_BODY_LIMIT), replaceRule);
}

export async function deleteRule(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'editClusters');
  const rule = visibleRule(ctx);
  requireEditable(ctx, rule, 'deleting');
  await commit(ctx, 'alert-rule.delete', rule.id, (s) => [removeRule(s, rule.id), null], () => ruleRefs(rule));
  return { status: 204 };
}

/** GET /api/alerts[?state=firing|resolved]: newest first. */
export async function listAlerts(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'view');
  const query = check(validators.alertQuery, Object.fromEntries(ctx.query));
  if (!query.ok) throw badRequest(`give ?state=firing or ?state=resolved (or nothing): ${query.error}`, 'invalid_query');
  const state = ctx.svc.store.state;
  const visible = visibleServerIds(state, ctx.who.acl);
  const wanted = query.value.state;
  const out = [];
  for (let i = state.alerts.length - 1; i >= 0; i--) {
    const a = state.alerts[i]!;
    if ((!wanted || a.state === wanted) && (!visible || visible.has(a.serverId))) out.push(a);
  }
  return { status: 200, body: out };
}
