/**
 * Runs a rule's actions for one alert event without ever making the hub wait: webhooks and
 * e-mails go through bounded queues (a few at a time, a bounded backlog, then dropped with a log
 * line); named hooks are called directly (hooks.ts).
 */
import type { AlertAction } from '../../protocol/types.js';
import { publicEvent, type AlertEvent } from './event.js';
import type { AlertHooks } from './hooks.js';
import { alertMessage } from './mail-message.js';
import { type MailSettings, sendmail } from './sendmail.js';
import { TaskQueue } from './task-queue.js';
import { WEBHOOK_TIMEOUT_MS, postWebhook, urlForLog } from './webhook.js';

export interface ActionOptions {
  hooks: AlertHooks;
  mail: MailSettings;
  log: (msg: string) => void;
  webhookTimeoutMs?: number;
}

const WEBHOOKS_AT_ONCE = 8;
const MAILS_AT_ONCE = 2;
const MAX_WAITING = 1000;

export class AlertActions {
  private webhooks: TaskQueue;
  private mails: TaskQueue;

  constructor(private readonly o: ActionOptions) {
    const fail = (e: unknown) => o.log(`alert action failed: ${String(e)}`);
    this.webhooks = new TaskQueue(WEBHOOKS_AT_ONCE, MAX_WAITING, fail);
    this.mails = new TaskQueue(MAILS_AT_ONCE, MAX_WAITING, fail);
  }

  /** Starts every action of the event's rule and returns at once. */
  run(event: AlertEvent): void {
    for (const action of event.rule?.actions ?? []) this.start(action, event);
  }

  /** Resolves once no webhook or e-mail is running or waiting. */
  async idle(): Promise<void> {
    await Promise.all([this.webhooks.idle(), this.mails.idle()]);
  }

  private start(action: AlertAction, event: AlertEvent): void {
    switch (action.type) {
      case 'webhook':
        this.enqueue(this.webhooks, event, `webhook to ${urlForLog(action.url)}`,
          () => postWebhook(action.url, publicEvent(event), this.o.webhookTimeoutMs ?? WEBHOOK_TIMEOUT_MS));
        break;
      case 'email': {
        const { sendmail: program, from, timeoutMs } = this.o.mail;
        this.enqueue(this.mails, event, `e-mail to ${action.to}`,
          () => sendmail(program, alertMessage(event, action.to, from, new Date()), timeoutMs));
        break;
      }
      case 'hook':
        this.o.hooks.emit(action.name, event);
        break;
    }
  }

  private enqueue(queue: TaskQueue, event: AlertEvent, what: string, task: () => Promise<void>): void {
    const where = `alert ${event.alert.id} (${event.alert.state})`;
    const accepted = queue.push(() => task().catch((e: unknown) => {
      this.o.log(`${where}: ${what} failed: ${e instanceof Error ? e.message : String(e)}`);
    }));
    if (!accepted) this.o.log(`${where}: ${what} dropped: ${MAX_WAITING} notifications are already waiting`);
  }
}
