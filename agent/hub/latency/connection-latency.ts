/**
 * The latest probe of every connection, in memory only (like live metrics: lost on restart, the
 * next round refills it), and what changed since the last `drain()` for the browser's deltas.
 * A result counts only when it comes from the agent of the connection's `from` server.
 */
import type { Connection, ConnectionLive, LatencyResult, State } from '../../protocol/types.js';
import { PROBE_FRESH_MS, type Probe, UNKNOWN_CONNECTION, connectionLive } from './connection-status.js';

export class ConnectionLatency {
  private probes = new Map<string, Probe>();
  /** The state last reported per connection (absent: unknown), to tell changes from repeats. */
  private shown = new Map<string, ConnectionLive>();
  private changed = new Set<string>();
  private connections: readonly Connection[] = [];
  private byId = new Map<string, Connection>();

  constructor(private readonly freshMs = PROBE_FRESH_MS) {}

  /** Follows the model: results for removed connections are forgotten. */
  syncModel(state: Pick<State, 'connections'>): void {
    if (state.connections === this.connections) return;
    this.connections = state.connections;
    this.byId = new Map(state.connections.map((c) => [c.id, c]));
    for (const id of this.probes.keys()) if (!this.byId.has(id)) this.forget(id);
  }

  /**
   * Takes one latency frame from the agent of server `from`. Returns the connection ids it
   * reported but does not start (ignored: a frame updates only its own server's connections).
   * Ids no longer in the model are skipped quietly: removed while the round ran.
   */
  record(from: string, results: readonly LatencyResult[], now = Date.now()): string[] {
    const refused: string[] = [];
    for (const r of results) {
      const c = this.byId.get(r.connectionId);
      if (!c) continue;
      if (c.from !== from) {
        refused.push(r.connectionId);
        continue;
      }
      this.probes.set(c.id, { at: now, ms: r.ms, ...(r.error === undefined ? {} : { error: r.error }) });
      this.refresh(c.id, now);
    }
    return refused;
  }

  /** The connection's status and latency now. */
  view(id: string, now = Date.now()): ConnectionLive {
    return connectionLive(this.probes.get(id), now, this.freshMs);
  }

  /** Every connection whose status is not `unknown`, with its state. */
  *known(now = Date.now()): IterableIterator<[string, ConnectionLive]> {
    for (const id of this.probes.keys()) {
      const v = this.view(id, now);
      if (v.status !== 'unknown') yield [id, v];
    }
  }

  /** Re-derives every status (once a second: a silent agent's connections turn unknown without a frame). */
  tick(now = Date.now()): void {
    for (const id of this.probes.keys()) this.refresh(id, now);
  }

  /** Returns and clears the connections whose status or latency changed since the last call. */
  drain(): Map<string, ConnectionLive> {
    const out = new Map<string, ConnectionLive>();
    for (const id of this.changed) out.set(id, this.shown.get(id) ?? UNKNOWN_CONNECTION);
    this.changed.clear();
    return out;
  }

  private refresh(id: string, now: number): void {
    const next = connectionLive(this.probes.get(id), now, this.freshMs);
    const prev = this.shown.get(id) ?? UNKNOWN_CONNECTION;
    if (prev.status !== next.status || prev.latencyMs !== next.latencyMs) this.changed.add(id);
    // A stale probe says nothing any more: drop it, so tick() walks only live ones.
    if (next.status === 'unknown') {
      this.probes.delete(id);
      this.shown.delete(id);
    } else {
      this.shown.set(id, next);
    }
  }

  private forget(id: string): void {
    this.probes.delete(id);
    this.shown.delete(id);
    this.changed.delete(id);
  }
}
