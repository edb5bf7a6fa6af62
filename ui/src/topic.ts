/**
 * Subscribers to one kind of frame: `publish` is given to the live socket, `on` to the views.
 * With `keyOf`, the latest value per key is kept and replayed to each new subscriber: a view
 * mounted after the snapshot still gets the state it carried (Galera statuses, sent on change only).
 */
export function topic<T>(keyOf?: (value: T) => string) {
  const listeners = new Set<(value: T) => void>();
  const latest = new Map<string, T>();
  return {
    publish: (value: T) => {
      if (keyOf) latest.set(keyOf(value), value);
      for (const l of listeners) l(value);
    },
    on(l: (value: T) => void): () => void {
      listeners.add(l);
      for (const v of latest.values()) l(v);
      return () => listeners.delete(l);
    },
  };
}
