/** What every action of a rule receives when one of its alerts fires or resolves. */
import type { Alert, AlertRule, Server } from '../../protocol/types.js';

export interface AlertEvent {
  /** As stored: `state` says whether it fired or resolved. */
  alert: Alert;
  /** Undefined only for an alert restored after its rule was deleted. */
  rule: AlertRule | undefined;
  /** Undefined when the server was removed (which resolves its alerts). */
  server: Server | undefined;
}

/**
 * The event as sent outside the hub (webhook body): the rule without its actions, so one
 * receiver never learns another's webhook URL (often a secret) or address.
 */
export function publicEvent(e: AlertEvent): { alert: Alert; rule: Omit<AlertRule, 'actions'> | null; server: Server | null } {
  let rule: Omit<AlertRule, 'actions'> | null = null;
  if (e.rule) {
    const { actions: _actions, ...rest } = e.rule;
    rule = rest;
  }
  return { alert: e.alert, rule, server: e.server ?? null };
}
