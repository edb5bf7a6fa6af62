import { describe, expect, it } from 'vitest';
import type { AlertRule, Cluster, MetricsSample, ServerStatus } from '../../protocol/types.js';
import { CLEAR, NO_DATA, conditionValue, withIds } from './condition.js';
import { AlertEngine, type Probe } from './engine.js';

const sample = (cpu: number, memUsed = 10, diskUsed = 10): MetricsSample => ({
  ts: 1, cpu, mem: { total: 100, used: memUsed, swapTotal: 0, swapUsed: 0 }, disks: [{ mount: '/', total: 100, used: diskUsed }],
  diskIO: { readBps: 0, writeBps: 0 }, net: { rxBps: 0, txBps: 0 }, load: [0, 0, 0], uptime: 1, tcp: 1,
});

const cpuRule = (over: Partial<AlertRule> = {}): AlertRule =>
  ({ id: 'cpu', name: 'CPU', metric: 'cpu', threshold: 80, forSeconds: 300, enabled: true, actions: [], ...over }) as AlertRule;
const downRule: AlertRule = { id: 'down', name: 'Down', metric: 'down', forSeconds: 30, enabled: true, actions: [] };

/** A fleet whose statuses and samples the test sets directly. */
class FakeProbe implements Probe {
  statuses = new Map<string, ServerStatus>();
  samples = new Map<string, MetricsSample>();
  set(id: string, status: ServerStatus, s?: MetricsSample) {
    this.statuses.set(id, status);
    if (s) this.samples.set(id, s);
    else this.samples.delete(id);
  }
  status(id: string) { return this.statuses.get(id) ?? 'unknown'; }
  sample(id: string) { return this.samples.get(id); }
}

const S = 1000;
const input = (rules: AlertRule[], ids = ['a'], clusters: Cluster[] = []) => ({ alertRules: rules, servers: ids.map((id) => ({ id })), clusters });

describe('conditionValue', () => {
  it('holds at or above the threshold (≥), not below', () => {
    expect(conditionValue(cpuRule(), 'active', sample(80))).toBe(80);
    expect(conditionValue(cpuRule(), 'warning', sample(99.5))).toBe(99.5);
    expect(conditionValue(cpuRule(), 'active', sample(79.99))).toBe(CLEAR);
  });
  it('reads memory and the fullest disk in percent', () => {
    expect(conditionValue(cpuRule({ metric: 'mem', threshold: 85 }), 'active', sample(0, 90))).toBe(90);
    expect(conditionValue(cpuRule({ metric: 'disk', threshold: 90 }), 'active', sample(0, 0, 95))).toBe(95);
  });
  it('has no data for a server that is not reporting; down holds only while inactive', () => {
    expect(conditionValue(cpuRule(), 'inactive', sample(99))).toBe(NO_DATA);
    expect(conditionValue(cpuRule(), 'active', undefined)).toBe(NO_DATA);
    expect(conditionValue(downRule, 'inactive', undefined)).toBe(0);
    expect(conditionValue(downRule, 'unknown', undefined)).toBe(CLEAR);
    expect(conditionValue(downRule, 'active', sample(1))).toBe(CLEAR);
  });
});

describe('AlertEngine', () => {
  it('fires only after the condition held for forSeconds, once, and resolves when it clears', () => {
    const engine = new AlertEngine();
    const probe = new FakeProbe();
    const rules = input([cpuRule()]);
    probe.set('a', 'warning', sample(95));
    expect(engine.evaluate(0, rules, probe)).toEqual([]);
    expect(engine.evaluate(299 * S, rules, probe)).toEqual([]);
    const fired = engine.evaluate(300 * S, rules, probe);
    expect(fired).toHaveLength(1);
    expect(fired[0]!.alert).toEqual({
      id: 'cpu:a:300000', ruleId: 'cpu', ruleName: 'CPU', metric: 'cpu', serverId: 'a', state: 'firing', value: 95,
      startedAt: new Date(300 * S).toISOString(),
    });
    expect(fired[0]!.rule?.id).toBe('cpu');
    expect(engine.evaluate(301 * S, rules, probe)).toEqual([]);
    probe.set('a', 'active', sample(10));
    const resolved = engine.evaluate(302 * S, rules, probe);
    expect(resolved.map((t) => t.alert)).toEqual([{ ...fired[0]!.alert, state: 'resolved', resolvedAt: new Date(302 * S).toISOString() }]);
    expect(engine.trackedCount()).toBe(0);
  });

  it('starts the wait over when the condition breaks while pending', () => {
    const engine = new AlertEngine();
    const probe = new FakeProbe();
    const rules = input([cpuRule({ forSeconds: 10 })]);
    probe.set('a', 'active', sample(90));
    engine.evaluate(0, rules, probe);
    probe.set('a', 'active', sample(50));
    engine.evaluate(5 * S, rules, probe);
    probe.set('a', 'active', sample(90));
    expect(engine.evaluate(6 * S, rules, probe)).toEqual([]);
    expect(engine.evaluate(15 * S, rules, probe)).toEqual([]);
    expect(engine.evaluate(16 * S, rules, probe)).toHaveLength(1);
  });

  it('fires at once with forSeconds 0', () => {
    const engine = new AlertEngine();
    const probe = new FakeProbe();
    probe.set('a', 'active', sample(90));
    expect(engine.evaluate(0, input([cpuRule({ forSeconds: 0 })]), probe)).toHaveLength(1);
  });

  it('treats lost data as a break while pending but keeps a firing alert firing', () => {
    const engine = new AlertEngine();
    const probe = new FakeProbe();
    const rules = input([cpuRule({ forSeconds: 0 })], ['a', 'b']);
    probe.set('a', 'active', sample(90));
    expect(engine.evaluate(0, rules, probe)).toHaveLength(1);
    const slow = input([cpuRule({ forSeconds: 10 })], ['a', 'b']);
    probe.set('b', 'active', sample(90));
    engine.evaluate(1 * S, slow, probe);
    probe.set('a', 'inactive', sample(90));
    probe.set('b', 'inactive', sample(90));
    expect(engine.evaluate(2 * S, slow, probe)).toEqual([]);
    expect(engine.trackedCount()).toBe(1); // a still firing, b's pending wait dropped
    probe.set('b', 'active', sample(90));
    expect(engine.evaluate(11 * S, slow, probe)).toEqual([]); // b waits anew from 11 s
    expect(engine.evaluate(21 * S, slow, probe).map((t) => t.alert.serverId)).toEqual(['b']);
  });

  it('fires down after the server was inactive for forSeconds, with that duration as its value', () => {
    const engine = new AlertEngine();
    const probe = new FakeProbe();
    probe.set('a', 'inactive');
    engine.evaluate(0, input([downRule]), probe);
    expect(engine.evaluate(29 * S, input([downRule]), probe)).toEqual([]);
    const [t] = engine.evaluate(30 * S, input([downRule]), probe);
    expect(t?.alert).toMatchObject({ metric: 'down', state: 'firing', value: 30 });
    probe.set('a', 'active', sample(1));
    expect(engine.evaluate(31 * S, input([downRule]), probe)[0]?.alert.state).toBe('resolved');
  });

  it('resolves firing alerts whose rule is deleted or disabled, or whose server is removed', () => {
    const engine = new AlertEngine();
    const probe = new FakeProbe();
    const rule = cpuRule({ forSeconds: 0 });
    for (const id of ['a', 'b', 'c']) probe.set(id, 'active', sample(99));
    expect(engine.evaluate(0, input([rule], ['a', 'b', 'c']), probe)).toHaveLength(3);
    const removed = engine.evaluate(1 * S, input([rule], ['a', 'b']), probe);
    expect(removed.map((t) => [t.alert.serverId, t.alert.state])).toEqual([['c', 'resolved']]);
    expect(removed[0]!.rule).toBe(rule); // its actions still get told
    const disabled = engine.evaluate(2 * S, input([{ ...rule, enabled: false }], ['a', 'b']), probe);
    expect(disabled.map((t) => t.alert.state)).toEqual(['resolved', 'resolved']);
    expect(engine.trackedCount()).toBe(0);
  });

  it('watches only the servers of the clusters in its scope, following membership changes', () => {
    const engine = new AlertEngine();
    const probe = new FakeProbe();
    const rule = cpuRule({ forSeconds: 0, scope: ['prod'] });
    for (const id of ['a', 'b']) probe.set(id, 'active', sample(99));
    const prod = (servers: string[]): Cluster[] => [{ name: 'prod', servers }, { name: 'dev', servers: ['b'] }];
    expect(engine.evaluate(0, input([rule], ['a', 'b'], prod(['a'])), probe).map((t) => t.alert.serverId)).toEqual(['a']);
    const moved = engine.evaluate(1 * S, input([rule], ['a', 'b'], prod(['b'])), probe);
    expect(moved.map((t) => [t.alert.serverId, t.alert.state])).toEqual([['b', 'firing'], ['a', 'resolved']]);
  });

  it('keeps an alert through a rule edit, but resolves it when the rule watches another metric', () => {
    const engine = new AlertEngine();
    const probe = new FakeProbe();
    probe.set('a', 'active', sample(99, 99));
    engine.evaluate(0, input([cpuRule({ forSeconds: 0 })]), probe);
    expect(engine.evaluate(1 * S, input([cpuRule({ forSeconds: 0, name: 'Renamed' })]), probe)).toEqual([]);
    const switched = engine.evaluate(2 * S, input([cpuRule({ forSeconds: 0, metric: 'mem' })]), probe);
    expect(switched.map((t) => [t.alert.metric, t.alert.state])).toEqual([['cpu', 'resolved'], ['mem', 'firing']]);
  });

  it('picks up alerts left firing by an earlier run: resolves them rather than firing again', () => {
    const engine = new AlertEngine();
    const probe = new FakeProbe();
    const rule = cpuRule({ forSeconds: 0 });
    const old = { id: 'cpu:a:5', ruleId: 'cpu', ruleName: 'CPU', metric: 'cpu' as const, serverId: 'a', state: 'firing' as const, value: 90, startedAt: new Date(5).toISOString() };
    engine.restore([old, { ...old, id: 'cpu:a:1', state: 'resolved' }], [rule]);
    probe.set('a', 'active', sample(99));
    expect(engine.evaluate(10 * S, input([rule]), probe)).toEqual([]);
    probe.set('a', 'active', sample(1));
    expect(engine.evaluate(11 * S, input([rule]), probe).map((t) => [t.alert.id, t.alert.state])).toEqual([['cpu:a:5', 'resolved']]);
  });

  it('allocates no tracking state for a healthy fleet', () => {
    const engine = new AlertEngine();
    const probe = new FakeProbe();
    const ids = Array.from({ length: 2000 }, (_, i) => `s${i}`);
    for (const id of ids) probe.set(id, 'active', sample(5));
    const rules = input([cpuRule(), cpuRule({ id: 'mem', metric: 'mem' }), downRule], ids);
    const first = engine.evaluate(0, rules, probe);
    expect(engine.evaluate(1 * S, rules, probe)).toBe(first); // the shared empty result
    expect(engine.trackedCount()).toBe(0);
  });

  it('asks a source that lists its servers about those only, and about the ones it tracks', () => {
    const engine = new AlertEngine();
    const asked: string[] = [];
    const values = new Map([['db1', 0], ['db2', CLEAR]]);
    const source = withIds((id: string) => { asked.push(id); return values.get(id) ?? NO_DATA; }, () => values.keys());
    const probe = Object.assign(new FakeProbe(), { sources: { galera_not_synced: source } });
    const rule = { id: 'sync', name: 'Not synced', metric: 'galera_not_synced', forSeconds: 0, enabled: true, actions: [] } as unknown as AlertRule;
    const fleet = input([rule], ['db1', 'db2', ...Array.from({ length: 1000 }, (_, i) => `web${i}`)]);
    expect(engine.evaluate(0, fleet, probe).map((t) => `${t.alert.serverId} ${t.alert.state}`)).toEqual(['db1 firing']);
    expect(asked.sort()).toEqual(['db1', 'db2']);
    // db1's status goes stale: the source no longer lists it, its firing alert is still visited and stays.
    values.delete('db1');
    asked.length = 0;
    expect(engine.evaluate(1 * S, fleet, probe)).toEqual([]);
    expect(asked.sort()).toEqual(['db1', 'db2']);
    // A server the model no longer has is not asked about; its alert resolves.
    values.set('db1', 0);
    asked.length = 0;
    expect(engine.evaluate(2 * S, input([rule], ['db2']), probe).map((t) => `${t.alert.serverId} ${t.alert.state}`)).toEqual(['db1 resolved']);
    expect(asked).toEqual(['db2']);
  });
});
