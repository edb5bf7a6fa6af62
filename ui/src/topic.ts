/** Subscribers to one kind of frame: `publish` is given to the live socket, `on` to the views. */
export function topic<T>() {
  const listeners = new Set<(value: T) => void>();
  return {
    publish: (value: T) => { for (const l of listeners) l(value); },
    on(l: (value: T) => void): () => void {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}
