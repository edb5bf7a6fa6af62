/**
 * Which rules a user may see and edit. A rule for every server ("*") is everyone's business to
 * see but only an all-clusters user's to edit; a scoped user sees the rules that can touch its
 * clusters and edits those whose scope lies wholly inside its own.
 */
import type { Acl, AlertRule } from '../../protocol/types.js';
import { clusterInScope } from '../auth/acl.js';

const global = (rule: AlertRule) => rule.scope === undefined || rule.scope === '*';

export function ruleVisible(acl: Acl, rule: AlertRule): boolean {
  if (acl.scope === '*' || global(rule)) return true;
  return (rule.scope as string[]).some((c) => clusterInScope(acl, c));
}

export function ruleEditable(acl: Acl, rule: AlertRule): boolean {
  if (acl.scope === '*') return true;
  return !global(rule) && (rule.scope as string[]).every((c) => clusterInScope(acl, c));
}

/**
 * A rule as shown to a user who may not edit rules: webhook URLs cut to scheme and host, since
 * their paths are often secrets (Slack, Teams and the like).
 */
export function redactRule(rule: AlertRule): AlertRule {
  if (!rule.actions.some((a) => a.type === 'webhook')) return rule;
  return {
    ...rule,
    actions: rule.actions.map((a) => {
      if (a.type !== 'webhook') return a;
      const u = new URL(a.url);
      return { type: 'webhook', url: `${u.protocol}//${u.host}/…` };
    }),
  };
}
