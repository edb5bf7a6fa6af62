/**
 * The alert state machine, per (rule, server): idle → pending when the condition starts to hold
 * → firing once it has held continuously for `forSeconds` → resolved (idle) when it clears.
 * Pure: time comes in as an argument, samples and statuses through a Probe, and transitions go
 * out as values; storing them and running actions is the caller's job (service.ts).
 *
 * - A pending condition that loses its data (the server stops reporting) starts over: it did
 *   not hold *continuously*. A firing alert without data stays firing: nobody saw it clear
 *   (the `down` rule speaks for a silent server).
 * - A firing alert resolves when its rule is deleted or disabled, its server is removed or leaves
 *   the rule's scope, or the rule is changed to watch another metric.
 * - Cost: one pass over rules × servers a second, with Map lookups (a rule whose source lists
 *   the servers it has data for visits only those, and the pairs it tracks); state is kept only
 *   for pending and firing pairs, so a healthy fleet allocates nothing.
 */
import type { Alert, AlertRule, Cluster, MetricsSample, Server, ServerStatus } from '../../protocol/types.js';
import { COUNT_METRICS } from '../../protocol/alerts.js';
import { CLEAR, NO_DATA, type MetricSource, conditionValue, thresholded } from './condition.js';

/** What the engine reads about a server (the hub's Live), and where metrics beyond samples come from. */
export interface Probe {
  status(id: string): ServerStatus;
  sample(id: string): MetricsSample | undefined;
  sources?: Readonly<Record<string, MetricSource>>;
}

export interface EngineInput {
  alertRules: readonly AlertRule[];
  servers: readonly Pick<Server, 'id'>[];
  clusters: readonly Cluster[];
}

export interface Transition {
  /** The alert as it is to be stored: a new firing one, or a resolved one (same id). */
  alert: Alert;
  /** The rule as last seen, whose actions run; undefined for an alert restored after its rule went. */
  rule: AlertRule | undefined;
}

interface Track {
  serverId: string;
  /** When (ms) the condition began to hold without a break. */
  since: number;
  /** Set while firing. */
  alert: Alert | undefined;
  rule: AlertRule | undefined;
  /** The evaluation round that last saw this pair in scope; pairs not seen are swept. */
  seen: number;
}

const NONE: readonly Transition[] = [];
const COUNTS: ReadonlySet<string> = new Set(COUNT_METRICS);

export function firingAlert(rule: AlertRule, serverId: string, value: number, now: number): Alert {
  return {
    id: `${rule.id}:${serverId}:${now}`, ruleId: rule.id, ruleName: rule.name, metric: rule.metric, serverId,
    state: 'firing', value, startedAt: new Date(now).toISOString(),
  };
}

export function resolvedAlert(alert: Alert, now: number): Alert {
  return { ...alert, state: 'resolved', resolvedAt: new Date(now).toISOString() };
}

export class AlertEngine {
  /** rule id → server id → track. */
  private tracks = new Map<string, Map<string, Track>>();
  private round = 0;
  /** Server ids a scoped rule covers, recomputed only when its scope or the clusters change. */
  private scopes = new Map<string, { scope: AlertRule['scope']; clusters: readonly Cluster[]; ids: ReadonlySet<string> }>();
  private scopesFor: readonly AlertRule[] | undefined;
  private models: { servers: EngineInput['servers']; ids: readonly string[]; set: ReadonlySet<string> } | undefined;

  /** Evaluates every enabled rule against every server in its scope; returns what changed. */
  evaluate(now: number, input: EngineInput, probe: Probe): readonly Transition[] {
    const round = ++this.round;
    let out: Transition[] | undefined;
    const emit = (t: Transition) => (out ??= []).push(t);
    if (input.alertRules !== this.scopesFor) {
      this.scopes.clear();
      this.scopesFor = input.alertRules;
    }
    for (const rule of input.alertRules) {
      if (!rule.enabled) continue;
      const inScope = this.scopeIds(rule, input.clusters);
      let byServer = this.tracks.get(rule.id);
      const source = probe.sources?.[rule.metric];
      for (const id of source?.ids ? this.candidates(source.ids(), byServer, input.servers) : this.model(input.servers).ids) {
        if (inScope && !inScope.has(id)) continue;
        // A source's metric needs neither the status nor the sample: 10,000 servers a second.
        const value = source ? thresholded(rule, source(id)) : conditionValue(rule, probe.status(id), probe.sample(id));
        let track = byServer?.get(id);
        if (track?.alert && track.alert.metric !== rule.metric) {
          emit({ alert: resolvedAlert(track.alert, now), rule: track.rule });
          byServer!.delete(id);
          track = undefined;
        }
        if (track) {
          track.rule = rule;
          track.seen = round;
        }
        if (value === CLEAR || value === NO_DATA) {
          if (track?.alert && value === CLEAR) emit({ alert: resolvedAlert(track.alert, now), rule });
          if (track && (value === CLEAR || !track.alert)) byServer!.delete(id);
          continue;
        }
        if (!track) {
          if (!byServer) this.tracks.set(rule.id, (byServer = new Map()));
          track = { serverId: id, since: now, alert: undefined, rule, seen: round };
          byServer.set(id, track);
        }
        if (!track.alert && now - track.since >= rule.forSeconds * 1000) {
          // A condition without a threshold is shown as how long it has held, unless it counts something.
          const shown = 'threshold' in rule || COUNTS.has(rule.metric) ? value : Math.round((now - track.since) / 1000);
          track.alert = firingAlert(rule, id, shown, now);
          emit({ alert: track.alert, rule });
        }
      }
    }
    this.sweep(round, now, emit);
    return out ?? NONE;
  }

  /**
   * Starts from the alerts a previous run left firing (after a restart or a restore), so they
   * resolve rather than fire a second time.
   */
  restore(alerts: readonly Alert[], rules: readonly AlertRule[], now = Date.now()): void {
    this.tracks.clear();
    for (const alert of alerts) {
      if (alert.state !== 'firing') continue;
      let byServer = this.tracks.get(alert.ruleId);
      if (!byServer) this.tracks.set(alert.ruleId, (byServer = new Map()));
      const since = Date.parse(alert.startedAt);
      byServer.set(alert.serverId, {
        serverId: alert.serverId, since: Number.isFinite(since) ? since : now, alert,
        rule: rules.find((r) => r.id === alert.ruleId), seen: this.round,
      });
    }
  }

  /** The pairs being tracked (pending or firing): for tests and diagnostics. */
  trackedCount(): number {
    let n = 0;
    for (const byServer of this.tracks.values()) n += byServer.size;
    return n;
  }

  /** Forgets pairs this round did not reach (rule gone or disabled, server gone or out of scope). */
  private sweep(round: number, now: number, emit: (t: Transition) => void): void {
    for (const [ruleId, byServer] of this.tracks) {
      for (const track of byServer.values()) {
        if (track.seen === round) continue;
        if (track.alert) emit({ alert: resolvedAlert(track.alert, now), rule: track.rule });
        byServer.delete(track.serverId);
      }
      if (!byServer.size) this.tracks.delete(ruleId);
    }
  }

  /** The model's server ids, kept while the servers array is the same (the state is immutable). */
  private model(servers: EngineInput['servers']): { ids: readonly string[]; set: ReadonlySet<string> } {
    if (this.models?.servers !== servers) {
      const ids = servers.map((s) => s.id);
      this.models = { servers, ids, set: new Set(ids) };
    }
    return this.models;
  }

  /** The servers a source has data for and those tracked for its rule, that the model still has. */
  private candidates(withData: Iterable<string>, tracked: Map<string, Track> | undefined, servers: EngineInput['servers']): string[] {
    const { set } = this.model(servers);
    const out = new Set<string>();
    for (const id of withData) if (set.has(id)) out.add(id);
    if (tracked) for (const id of tracked.keys()) if (set.has(id)) out.add(id);
    return [...out];
  }

  private scopeIds(rule: AlertRule, clusters: readonly Cluster[]): ReadonlySet<string> | null {
    const scope = rule.scope;
    if (scope === undefined || scope === '*') return null;
    const cached = this.scopes.get(rule.id);
    if (cached && cached.scope === scope && cached.clusters === clusters) return cached.ids;
    const names = new Set(scope);
    const ids = new Set<string>();
    for (const c of clusters) if (names.has(c.name)) for (const s of c.servers) ids.add(s);
    this.scopes.set(rule.id, { scope, clusters, ids });
    return ids;
  }
}
