/**
 * Alerts in the running hub: once a second (the hub's ticker) the engine evaluates every rule
 * over Live's latest samples and statuses; the round's transitions go to the alert log in ONE
 * store update, then their actions run. `hooks` is where other parts of the hub subscribe.
 */
import type { Alert } from '../../protocol/types.js';
import type { Live } from '../live/live.js';
import type { Store } from '../store.js';
import { AlertActions } from './actions.js';
import { AlertEngine, type Probe, type Transition } from './engine.js';
import { AlertHooks } from './hooks.js';
import { recordAlerts } from './log.js';
import type { MailSettings } from './sendmail.js';

export interface AlertServiceOptions {
  store: Store;
  live: Live;
  mail: MailSettings;
  log: (msg: string) => void;
  webhookTimeoutMs?: number;
  /** Metrics other parts of the hub compute per server (Gluster). */
  external?: (metric: string, serverId: string, threshold: number | undefined) => number;
}

export class AlertService {
  readonly hooks: AlertHooks;
  private readonly engine = new AlertEngine();
  private readonly actions: AlertActions;
  /** The alert log the engine's state matches; another one (first tick, a restore) is re-read. */
  private synced: readonly Alert[] | undefined;
  private stopped = false;
  private readonly probe: Probe;

  constructor(private readonly o: AlertServiceOptions) {
    this.hooks = new AlertHooks(o.log);
    this.probe = { status: (id) => o.live.status(id), sample: (id) => o.live.sample(id), ...(o.external ? { external: o.external } : {}) };
    this.actions = new AlertActions({ hooks: this.hooks, mail: o.mail, log: o.log, webhookTimeoutMs: o.webhookTimeoutMs });
  }

  /** One evaluation round; the promise settles once its changes are stored and its actions started. */
  tick(now = Date.now()): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const state = this.o.store.state;
    if (state.alerts !== this.synced) {
      this.engine.restore(state.alerts, state.alertRules, now);
      this.synced = state.alerts;
    }
    const transitions = this.engine.evaluate(now, state, this.probe);
    if (!transitions.length) return Promise.resolve();
    return this.o.store.update((s) => recordAlerts(s, transitions.map((t) => t.alert))).then(
      (next) => { this.synced = next.alerts; },
      (e: unknown) => this.o.log(`cannot store ${transitions.length} alert change(s): ${e instanceof Error ? e.message : String(e)}`),
    ).then(() => this.dispatch(transitions));
  }

  /** Resolves once every started webhook and e-mail has finished (tests). */
  idle(): Promise<void> {
    return this.actions.idle();
  }

  stop(): void {
    this.stopped = true;
  }

  private dispatch(transitions: readonly Transition[]): void {
    if (this.stopped) return;
    const servers = this.o.store.state.servers;
    for (const t of transitions) {
      this.actions.run({ alert: t.alert, rule: t.rule, server: servers.find((s) => s.id === t.alert.serverId) });
    }
  }
}
