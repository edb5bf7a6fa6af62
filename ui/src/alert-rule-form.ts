/** The alert-rule form and a rule, both ways, and how a rule reads in the list: pure. */
import { THRESHOLD_METRICS } from '../../agent/protocol/alerts.js';
import type { Acl, AlertAction, AlertRule, AlertRuleInput } from '../../agent/protocol/types.js';
import { duration } from './format.js';

export type Metric = AlertRule['metric'];
export interface ActionRow { type: AlertAction['type']; value: string }
export interface RuleForm {
  name: string;
  metric: Metric;
  threshold: string;
  forSeconds: string;
  enabled: boolean;
  /** Every server (`*`), or the clusters in `scope`. */
  everyServer: boolean;
  scope: string[];
  actions: ActionRow[];
}

export const METRIC_LABEL: Record<Metric, string> = {
  cpu: 'CPU', mem: 'Memory', disk: 'Disk (fullest mount)', down: 'Server down',
  galera_non_primary: 'Galera node not Primary', galera_not_synced: 'Galera node not Synced', galera_flow_control: 'Galera flow control',
  gluster_brick_offline: 'Gluster brick offline', gluster_heal_stalled: 'Gluster heal not shrinking', gluster_split_brain: 'Gluster split-brain',
  gluster_brick_full: 'Gluster brick full',
};

/** Whether a metric is compared with a threshold (percent) or is a condition that holds or not. */
export const hasThreshold = (m: Metric): m is (typeof THRESHOLD_METRICS)[number] => (THRESHOLD_METRICS as readonly string[]).includes(m);

export function formFromRule(r: AlertRule | undefined): RuleForm {
  return {
    name: r?.name ?? '', metric: r?.metric ?? 'cpu', threshold: r && 'threshold' in r ? String(r.threshold) : '90',
    forSeconds: String(r?.forSeconds ?? 60), enabled: r?.enabled ?? true,
    everyServer: !r || r.scope === undefined || r.scope === '*', scope: r && Array.isArray(r.scope) ? [...r.scope] : [],
    actions: (r?.actions ?? []).map((a) => ({ type: a.type, value: a.type === 'webhook' ? a.url : a.type === 'email' ? a.to : a.name })),
  };
}

export type RuleErrors = Partial<Record<string, string>>;

export function ruleFrom(f: RuleForm): { ok: true; rule: AlertRuleInput } | { ok: false; errors: RuleErrors } {
  const e: RuleErrors = {};
  if (!f.name.trim()) e['name'] = 'Give the rule a name.';
  const threshold = Number(f.threshold), forSeconds = Number(f.forSeconds);
  if (hasThreshold(f.metric) && !(f.threshold.trim() !== '' && threshold >= 0 && threshold <= 100)) e['threshold'] = 'A percentage from 0 to 100.';
  if (!/^\d+$/.test(f.forSeconds.trim()) || forSeconds > 86400) e['forSeconds'] = 'Whole seconds, from 0 to 86400 (a day).';
  if (!f.everyServer && !f.scope.length) e['scope'] = 'Choose at least one cluster, or every server.';
  f.actions.forEach((a, i) => {
    const v = a.value.trim();
    if (a.type === 'webhook' && !/^https?:\/\/[^\s/]+/.test(v)) e[`actions.${i}`] = 'An http:// or https:// address.';
    if (a.type === 'email' && !/^[A-Za-z0-9._%+-]+(@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)?$/.test(v)) e[`actions.${i}`] = 'One address, user@domain or a local user such as root.';
    if (a.type === 'hook' && v !== 'scale_up' && v !== 'failover') e[`actions.${i}`] = 'scale_up or failover.';
  });
  if (Object.keys(e).length) return { ok: false, errors: e };
  const actions = f.actions.map((a): AlertAction => {
    const v = a.value.trim();
    return a.type === 'webhook' ? { type: 'webhook', url: v } : a.type === 'email' ? { type: 'email', to: v } : { type: 'hook', name: v as 'scale_up' | 'failover' };
  });
  const common = { name: f.name.trim(), forSeconds, enabled: f.enabled, actions, scope: f.everyServer ? '*' as const : f.scope };
  return { ok: true, rule: hasThreshold(f.metric) ? { ...common, metric: f.metric, threshold } : { ...common, metric: f.metric } };
}

/** `CPU ≥ 90 % for 2m 0s`, `Server down for 30s`. */
export function ruleCondition(r: AlertRule): string {
  const hold = r.forSeconds ? ` for ${duration(r.forSeconds)}` : '';
  return 'threshold' in r && hasThreshold(r.metric) ? `${METRIC_LABEL[r.metric]} ≥ ${r.threshold} %${hold}` : `${METRIC_LABEL[r.metric]}${hold}`;
}

export const ruleScope = (r: AlertRule) => (r.scope === undefined || r.scope === '*' ? 'every server' : r.scope.join(', '));

/** As the hub decides (agent/hub/alerts/rule-access.ts): a rule for every server needs a user of every cluster. */
export function ruleEditable(acl: Acl, r: AlertRule): boolean {
  if (!acl.editClusters) return false;
  if (acl.scope === '*') return true;
  const scope = acl.scope;
  return Array.isArray(r.scope) && r.scope.every((c) => scope.includes(c));
}
