/**
 * The probe list of each connected agent (the hub → agent `probe-targets` frame): one target per
 * connection its server starts, at the target server's address and service port. Follows the
 * model and returns only the lists that changed, so a model change reaches the agents it
 * concerns and no others. Cheap on the frequent changes (a hello rewrites its server's record):
 * those cost a pointer comparison per server; connections are re-indexed only when they change.
 */
import { MAX_PROBE_TARGETS } from '../../protocol/agent-messages.js';
import type { Connection, ProbeTarget, Server, State } from '../../protocol/types.js';
import { probePort } from './probe-port.js';

export interface TargetList {
  targets: ProbeTarget[];
  /** Connections the server starts: more than `targets.length` when the list was cut at MAX_PROBE_TARGETS. */
  total: number;
}

type ModelPart = Pick<State, 'servers' | 'connections'>;

const samePorts = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((p, i) => p === b[i]);

export class ProbeTargetTracker {
  private servers: readonly Server[] = [];
  private connections: readonly Connection[] = [];
  private byId = new Map<string, Server>();
  /** Server id → the connections it starts, in model order. */
  private outgoing = new Map<string, Connection[]>();
  /** Server id → the list last handed out for its agent (serialized). */
  private sent = new Map<string, string>();

  /**
   * The lists to send now: to every agent in `connected` that has none yet (just welcomed, even an
   * empty list) and to those whose list the model changed since the last call.
   */
  update(state: ModelPart, connected: Iterable<string>): Map<string, TargetList> {
    const out = new Map<string, TargetList>();
    const ids = [...connected];
    // With no agent to tell, the model is taken in when one connects (its state is newer then).
    if (!ids.length) return out;
    const changed = this.follow(state);
    for (const id of ids) {
      if (!changed && this.sent.has(id)) continue;
      const list = this.targetsOf(id);
      const key = JSON.stringify(list.targets);
      if (this.sent.get(id) === key) continue;
      this.sent.set(id, key);
      out.set(id, list);
    }
    return out;
  }

  /** The agent went away or reconnected: the next `update` gives it its whole list again. */
  forget(id: string): void {
    this.sent.delete(id);
  }

  /** The targets of server `id` in the model last given to `update`. */
  targetsOf(id: string): TargetList {
    const conns = this.outgoing.get(id) ?? [];
    const targets: ProbeTarget[] = [];
    for (const c of conns) {
      if (targets.length >= MAX_PROBE_TARGETS) break;
      const to = this.byId.get(c.to);
      if (to) targets.push({ connectionId: c.id, address: to.address, port: probePort(c.type, to.ports) });
    }
    return { targets, total: conns.length };
  }

  /** Takes in the model; true when something a target depends on may have changed. */
  private follow(state: ModelPart): boolean {
    let changed = false;
    if (state.connections !== this.connections) {
      this.connections = state.connections;
      this.outgoing = new Map();
      for (const c of state.connections) {
        const list = this.outgoing.get(c.from);
        if (list) list.push(c);
        else this.outgoing.set(c.from, [c]);
      }
      changed = true;
    }
    if (state.servers !== this.servers) {
      this.servers = state.servers;
      for (const s of state.servers) {
        const before = this.byId.get(s.id);
        if (before === s) continue;
        this.byId.set(s.id, s);
        // A new server has no connection yet unless the connections changed too (caught above).
        if (before && (before.address !== s.address || !samePorts(before.ports, s.ports))) changed = true;
      }
      // Every current id is in byId now, so a larger map holds removed servers.
      if (this.byId.size !== state.servers.length) {
        const ids = new Set(state.servers.map((s) => s.id));
        for (const id of this.byId.keys()) if (!ids.has(id)) this.byId.delete(id);
      }
    }
    return changed;
  }
}
