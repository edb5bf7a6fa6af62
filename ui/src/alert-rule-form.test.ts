import { describe, expect, it } from 'vitest';
import type { AlertRule } from '../../agent/protocol/types.js';
import { formFromRule, ruleCondition, ruleEditable, ruleFrom, ruleScope } from './alert-rule-form.js';

const rule: AlertRule = {
  id: 'r1', name: 'Web CPU', metric: 'cpu', threshold: 90, forSeconds: 120, enabled: true, scope: ['shop'],
  actions: [{ type: 'webhook', url: 'https://hooks.example.com/x' }, { type: 'email', to: 'ops@example.com' }, { type: 'hook', name: 'scale_up' }],
};
const acl = { view: true, editServers: false, editConnections: false, editClusters: true, apply: false, scale: false, enroll: false, exportImport: false };

describe('the alert-rule form', () => {
  it('round-trips a rule (without its id) and reads it as a sentence', () => {
    const { id: _id, ...input } = rule;
    expect(ruleFrom(formFromRule(rule))).toEqual({ ok: true, rule: input });
    expect(ruleCondition(rule)).toBe('CPU ≥ 90 % for 2m 0s');
    expect(ruleScope(rule)).toBe('shop');
    expect(ruleCondition({ ...rule, metric: 'down', forSeconds: 30 } as AlertRule)).toBe('Server down for 30s');
  });

  it('makes a down rule without a threshold, for every server by default', () => {
    expect(ruleFrom({ ...formFromRule(undefined), name: 'Down', metric: 'down', forSeconds: '30' })).toEqual({
      ok: true, rule: { name: 'Down', metric: 'down', forSeconds: 30, enabled: true, actions: [], scope: '*' },
    });
  });

  it('names each mistake', () => {
    const r = ruleFrom({ ...formFromRule(undefined), name: ' ', threshold: '101', forSeconds: '1.5', everyServer: false, actions: [{ type: 'webhook', value: 'ftp://x' }, { type: 'hook', value: 'reboot' }] });
    expect(r.ok ? [] : Object.keys(r.errors).sort()).toEqual(['actions.0', 'actions.1', 'forSeconds', 'name', 'scope', 'threshold']);
  });

  it('lets a scoped user edit only rules wholly inside its scope, as the hub does', () => {
    expect(ruleEditable({ ...acl, scope: '*' }, { ...rule, scope: '*' })).toBe(true);
    expect(ruleEditable({ ...acl, scope: ['shop'] }, rule)).toBe(true);
    expect(ruleEditable({ ...acl, scope: ['shop'] }, { ...rule, scope: ['shop', 'data'] })).toBe(false);
    expect(ruleEditable({ ...acl, scope: ['shop'] }, { ...rule, scope: '*' })).toBe(false);
    expect(ruleEditable({ ...acl, editClusters: false, scope: '*' }, rule)).toBe(false);
  });
});
