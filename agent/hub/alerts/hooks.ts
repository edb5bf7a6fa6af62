/**
 * Named in-process hooks (`scale_up`, `failover`) that a rule's `hook` action calls. Other parts
 * of the hub subscribe with `hooks.on(name, fn)`; a handler gets every alert event of the rules
 * naming it, firing and resolved (check `event.alert.state`). Handlers run on the event loop:
 * they must return quickly and do slow work asynchronously. A handler that throws or rejects is
 * logged and never stops the others.
 */
import type { AlertHookName } from '../../protocol/types.js';
import type { AlertEvent } from './event.js';

export type HookHandler = (event: AlertEvent) => void | Promise<void>;

export class AlertHooks {
  private handlers = new Map<AlertHookName, Set<HookHandler>>();

  constructor(private readonly log: (msg: string) => void = () => {}) {}

  /** Subscribes `fn` to `name`; returns the function that unsubscribes it. */
  on(name: AlertHookName, fn: HookHandler): () => void {
    let set = this.handlers.get(name);
    if (!set) this.handlers.set(name, (set = new Set()));
    set.add(fn);
    return () => set.delete(fn);
  }

  /** Calls every handler of `name` with the event; returns how many there were. */
  emit(name: AlertHookName, event: AlertEvent): number {
    const set = this.handlers.get(name);
    if (!set) return 0;
    const fail = (e: unknown) => this.log(`alert ${event.alert.id}: hook ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
    for (const fn of set) {
      try {
        const r = fn(event);
        if (r && typeof r.then === 'function') r.then(undefined, fail);
      } catch (e) {
        fail(e);
      }
    }
    return set.size;
  }
}
