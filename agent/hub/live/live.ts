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
  /** Per-server ring buffers of the recent samples; kept in step with the model like the rest. */
  readonly history = new FleetHistory();

  constructor(private readonly thresholds: StatusThresholds = DEFAULT_THRESHOLDS) {}

  /** Follows the model: new servers get a status, removed ones are forgotten. */
  syncModel(state: Pick<State, 'servers'>, now = Date.now()): void {
    const ids = new Set<string>();
    for (const s of state.servers) {
      ids.add(s.id);
      this.servers.set(s.id, s.agent !== undefined);
    }
    for (const id of this.servers.keys()) if (!ids.has(id)) this.forget(id);
    this.tick(now);
  }

  connected(id: string, now = Date.now()): void {
    this.entry(id).connected = true;
    this.refresh(id, now);
  }

  disconnected(id: string, now = Date.now()): void {
    this.entry(id).connected = false;
    this.refresh(id, now);
  }

  record(id: string, sample: MetricsSample, now = Date.now()): void {
    if (!this.servers.has(id)) return; // removed while its agent was still connected
    const e = this.entry(id);
    e.sample = sample;
    e.lastSeen = now;
    this.changedMetrics.set(id, sample);
    this.history.record(id, sample, now);
    this.refresh(id, now);
  }

  private forget(id: string): void {
    this.servers.delete(id);
    this.entries.delete(id);
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

  connectedCount(): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.connected) n++;
    return n;
  }

  status(id: string, now = Date.now()): ServerStatus {
    return this.statuses.get(id) ?? this.compute(id, now);
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
      this.statuses.set(id, next);
      this.changedStatus.add(id);
    }
  }
}
