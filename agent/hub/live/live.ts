/**
 * Live, in-memory view of the fleet: which agents are connected, their latest sample and each
 * server's derived status. Records what changed since the last `drain()` so the browser socket
 * can send only that. Every sample also goes into `history` (sparklines).
 */
import type { MetricsSample, ServerStatus, State } from '../../protocol/types.js';
import { FleetHistory } from '../metrics/fleet-history.js';
import { DEFAULT_THRESHOLDS, deriveStatus, type StatusThresholds } from './status.js';

interface Entry {
  connected: boolean;
  lastSeen?: number;
  sample?: MetricsSample;
}

export interface LiveChanges {
  metrics: Map<string, MetricsSample>;
  status: Map<string, ServerStatus>;
}

export class Live {
  private entries = new Map<string, Entry>();
  private statuses = new Map<string, ServerStatus>();
  private changedMetrics = new Map<string, MetricsSample>();
  private changedStatus = new Set<string>();
  /** Server id → whether its record carries agent info; kept in step with the store. */
  private servers = new Map<string, boolean>();
  /** Counts every change of a status, connection or sample (see `version`). */
  private changes = 0;
  /** The servers array syncModel last followed. */
  private synced?: Pick<State, 'servers'>['servers'];
  /** Per-server ring buffers of the recent samples; kept in step with the model like the rest. */
  readonly history = new FleetHistory();

  constructor(private readonly thresholds: StatusThresholds = DEFAULT_THRESHOLDS) {}

  /** Moves with every change of a status, connection or sample: what was derived at one value holds until it moves. */
  get version(): number {
    return this.changes;
  }

  /**
   * Follows the model: new servers get a status, removed ones are forgotten. Only a server that
   * is new or gained or lost its agent record is looked at again (the model says nothing else
   * about status), and a change that kept the servers as they were costs nothing.
   */
  syncModel(state: Pick<State, 'servers'>, now = Date.now()): void {
    const before = this.synced ?? [];
    if (state.servers === before) return;
    this.synced = state.servers;
    for (let i = 0; i < state.servers.length; i++) {
      const s = state.servers[i]!;
      if (before[i] === s) continue; // the same record at the same place: nothing to look at
      const hasAgent = s.agent !== undefined;
      if (this.servers.get(s.id) === hasAgent) continue;
      this.servers.set(s.id, hasAgent);
      this.refresh(s.id, now);
    }
    if (this.servers.size > state.servers.length) {
      const ids = new Set(state.servers.map((s) => s.id));
      for (const id of this.servers.keys()) if (!ids.has(id)) this.forget(id);
    }
  }

  connected(id: string, now = Date.now()): void {
    this.changes++;
    this.entry(id).connected = true;
    this.refresh(id, now);
  }

  disconnected(id: string, now = Date.now()): void {
    if (!this.servers.has(id)) {
      this.entries.delete(id);
      return;
    }
    this.changes++;
    this.entry(id).connected = false;
    this.refresh(id, now);
  }

  record(id: string, sample: MetricsSample, now = Date.now()): void {
    if (!this.servers.has(id)) return; // removed while its agent was still connected
    this.changes++;
    const e = this.entry(id);
    e.sample = sample;
    e.lastSeen = now;
    this.changedMetrics.set(id, sample);
    this.history.record(id, sample, now);
    this.refresh(id, now);
  }

  /** Forgets a removed server; only the fact that its agent is connected stays (it may come back). */
  private forget(id: string): void {
    this.changes++;
    this.servers.delete(id);
    if (this.entries.get(id)?.connected) this.entries.set(id, { connected: true });
    else this.entries.delete(id);
    this.statuses.delete(id);
    this.changedMetrics.delete(id);
    this.changedStatus.delete(id);
    this.history.drop(id);
  }

  sample(id: string): MetricsSample | undefined {
    return this.entries.get(id)?.sample;
  }

  /** When the hub received the latest sample (its clock) and the sample's own time (the agent's clock). */
  lastReport(id: string): { receivedAt: number; sampleTs: number } | undefined {
    const e = this.entries.get(id);
    return e?.sample && e.lastSeen !== undefined ? { receivedAt: e.lastSeen, sampleTs: e.sample.ts } : undefined;
  }

  isConnected(id: string): boolean {
    return this.entries.get(id)?.connected ?? false;
  }

  /** Connected agents of the servers in the model. */
  connectedCount(): number {
    let n = 0;
    for (const [id, e] of this.entries) if (e.connected && this.servers.has(id)) n++;
    return n;
  }

  status(id: string, now?: number): ServerStatus {
    // The clock only when the status is not known yet: lists ask this of every server.
    return this.statuses.get(id) ?? this.compute(id, now ?? Date.now());
  }

  /** Re-derives every status (called once a second: a silent agent goes stale without a frame). */
  tick(now = Date.now()): void {
    for (const id of this.servers.keys()) this.refresh(id, now);
  }

  /** Returns and clears what changed since the last call. */
  drain(): LiveChanges {
    const status = new Map<string, ServerStatus>();
    for (const id of this.changedStatus) {
      const st = this.statuses.get(id);
      if (st) status.set(id, st);
    }
    const metrics = this.changedMetrics;
    this.changedMetrics = new Map();
    this.changedStatus.clear();
    return { metrics, status };
  }

  private entry(id: string): Entry {
    let e = this.entries.get(id);
    if (!e) this.entries.set(id, (e = { connected: false }));
    return e;
  }

  private compute(id: string, now: number): ServerStatus {
    const e = this.entries.get(id);
    const hasAgent = this.servers.get(id) ?? false;
    return deriveStatus({ hasAgent, connected: e?.connected ?? false, lastSeen: e?.lastSeen, sample: e?.sample }, now, this.thresholds);
  }

  private refresh(id: string, now: number): void {
    if (!this.servers.has(id)) return;
    const next = this.compute(id, now);
    if (this.statuses.get(id) !== next) {
      this.changes++;
      this.statuses.set(id, next);
      this.changedStatus.add(id);
    }
  }
}
