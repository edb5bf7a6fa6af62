/** Pure operations on alert rules: each takes the state and returns a new one (or throws HttpError). */
import { MAX_ALERT_RULES } from '../../protocol/alerts.js';
import type { AlertRule, AlertRuleCreate, AlertRuleInput, AlertRulePatch, State } from '../../protocol/types.js';
import { check, validators } from '../../protocol/validate.js';
import { badRequest, conflict, notFound } from '../errors.js';

export function findRule(state: Pick<State, 'alertRules'>, id: string): AlertRule {
  const rule = state.alertRules.find((r) => r.id === id);
  if (!rule) throw notFound(`no alert rule with id '${id}'`);
  return rule;
}

/** A free id made from a name: "CPU above 80 %" → "cpu-above-80" (then -2, -3 … when taken). */
export function ruleIdFromName(state: Pick<State, 'alertRules'>, name: string): string {
  const base = name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+|-+$/g, '').slice(0, 56) || 'rule';
  const taken = new Set(state.alertRules.map((r) => r.id));
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

/** The stored rule for an input body: `enabled` defaults to true, a "*" scope is left out. */
export function ruleFromInput(id: string, input: AlertRuleInput): AlertRule {
  const { scope, ...rest } = input;
  return { ...rest, id, enabled: input.enabled ?? true, ...(scope === undefined || scope === '*' ? {} : { scope }) };
}

export function addRule(state: State, input: AlertRuleCreate): { state: State; rule: AlertRule } {
  const { id: given, ...body } = input;
  const id = given ?? ruleIdFromName(state, input.name);
  if (state.alertRules.some((r) => r.id === id)) throw conflict(`an alert rule with id '${id}' already exists`);
  if (state.alertRules.length >= MAX_ALERT_RULES) throw conflict(`there are already ${MAX_ALERT_RULES} alert rules, the most a hub keeps`);
  const rule = ruleFromInput(id, body);
  return { state: { ...state, alertRules: [...state.alertRules, rule] }, rule };
}

/** Replaces a rule (PUT): its alerts keep firing while the new condition still holds. */
export function replaceRule(state: State, id: string, input: AlertRuleInput): { state: State; rule: AlertRule } {
  findRule(state, id);
  const rule = ruleFromInput(id, input);
  return { state: { ...state, alertRules: state.alertRules.map((r) => (r.id === id ? rule : r)) }, rule };
}

/**
 * A rule with some fields changed (PATCH): the result must be a whole valid rule. Moving to
 * `down` drops the threshold, which that metric has none of.
 */
export function patchRule(state: State, id: string, patch: AlertRulePatch): { state: State; rule: AlertRule } {
  const { id: _id, ...old } = findRule(state, id);
  const merged: Record<string, unknown> = { ...old, ...patch };
  if (merged['metric'] === 'down') delete merged['threshold'];
  const input = check(validators.alertRuleInput, merged);
  if (!input.ok) throw badRequest(`the changed rule is not valid: ${input.error}`, 'invalid_body');
  return replaceRule(state, id, input.value);
}

/** Removes a rule; the engine resolves its firing alerts on its next round. */
export function removeRule(state: State, id: string): State {
  findRule(state, id);
  return { ...state, alertRules: state.alertRules.filter((r) => r.id !== id) };
}
