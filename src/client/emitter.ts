// biome-ignore lint/suspicious/noExplicitAny: listeners of any signature; each map names its own
type Listeners = Record<string, (...args: any[]) => void>;

/** Typed listeners by event name: `on` returns the function that removes the listener. */
export class Emitter<Events extends Listeners> {
  private readonly listeners = new Map<keyof Events, Set<Events[keyof Events]>>();

  on<K extends keyof Events>(event: K, listener: Events[K]): () => void {
    let set = this.listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  emit<K extends keyof Events>(event: K, ...args: Parameters<Events[K]>): void {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }
}
