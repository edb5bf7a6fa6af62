/**
 * Every server's history, by server id. A server's rings are allocated on its first sample, so
 * servers without an agent cost nothing, and dropped when the server leaves the model.
 */
import type { HistoryBody, HistoryWindow, MetricsSample } from '../../protocol/types.js';
import { ServerHistory, emptyHistory } from './server-history.js';

export class FleetHistory {
  private readonly byServer = new Map<string, ServerHistory>();

  /** Servers holding history (those that sent a sample since they joined the model). */
  get size(): number {
    return this.byServer.size;
  }

  record(id: string, sample: MetricsSample, now: number): void {
    let h = this.byServer.get(id);
    if (!h) this.byServer.set(id, (h = new ServerHistory()));
    h.record(sample, now);
  }

  drop(id: string): void {
    this.byServer.delete(id);
  }

  /** The window of `id` as of hub time `now`; all gaps for a server without samples. */
  read(id: string, window: HistoryWindow, now: number): HistoryBody {
    return this.byServer.get(id)?.read(window, now) ?? emptyHistory(window, now);
  }
}
