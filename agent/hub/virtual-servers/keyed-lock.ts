/**
 * One holder per key at a time: work on a virtual server holds its clusters (and itself) until it
 * ends, so two domains set up at once on one cluster apply one after the other instead of the
 * second finding the first's files changed under its plan. A holder queues for all its keys at
 * once (synchronously), so holders are served in the order they asked and two holders of
 * overlapping sets never wait for each other.
 */
export class KeyedLock {
  private tails = new Map<string, Promise<void>>();

  async run<T>(keys: readonly string[], fn: () => Promise<T>): Promise<T> {
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const queued = [...new Set(keys)].map((key) => {
      const before = this.tails.get(key) ?? Promise.resolve();
      const tail = before.then(() => mine);
      this.tails.set(key, tail);
      return { key, before, tail };
    });
    try {
      await Promise.all(queued.map((q) => q.before));
      return await fn();
    } finally {
      release();
      for (const q of queued) if (this.tails.get(q.key) === q.tail) this.tails.delete(q.key);
    }
  }
}
