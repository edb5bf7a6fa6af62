/**
 * Runs async tasks with at most `concurrency` at once and at most `maxWaiting` queued. Beyond
 * that a task is refused (push returns false), so a dead notification target slows nothing and
 * cannot grow memory without bound.
 */
export type Task = () => Promise<void>;

export class TaskQueue {
  private running = 0;
  private waiting: Task[] = [];
  private idlers: (() => void)[] = [];

  constructor(readonly concurrency: number, readonly maxWaiting: number, private readonly onError: (e: unknown) => void = () => {}) {}

  push(task: Task): boolean {
    if (this.running < this.concurrency) {
      this.start(task);
      return true;
    }
    if (this.waiting.length >= this.maxWaiting) return false;
    this.waiting.push(task);
    return true;
  }

  /** Resolves once nothing runs or waits (tests, shutdown). */
  idle(): Promise<void> {
    if (!this.running && !this.waiting.length) return Promise.resolve();
    return new Promise((resolve) => this.idlers.push(resolve));
  }

  private start(task: Task): void {
    this.running++;
    void Promise.resolve()
      .then(task)
      .catch(this.onError)
      .finally(() => {
        this.running--;
        const next = this.waiting.shift();
        if (next) this.start(next);
        else if (!this.running) for (const resolve of this.idlers.splice(0)) resolve();
      });
  }
}
