/** A connection whose taken broadcasts go out when the batch window closes. */
export interface Flushable {
  flush(): void;
}

/**
 * The batch window of one transport: one timer for all its connections, started by the first
 * broadcast after a flush. When it fires, every connection woken since writes what it has, so
 * broadcasts made within the window go out in one write. With 0 ms, at the end of the turn.
 */
export class BatchWindow {
  #due = new Set<Flushable>();
  readonly #flushAll = (): void => {
    // A fresh set first: a connection woken during this pass is flushed by the next one.
    const due = this.#due;
    this.#due = new Set();
    for (const connection of due) connection.flush();
  };

  constructor(private readonly windowMs: number) {}

  /** `connection.flush()` when the window closes. */
  schedule(connection: Flushable): void {
    if (this.#due.size === 0) {
      if (this.windowMs > 0) setTimeout(this.#flushAll, this.windowMs);
      else setImmediate(this.#flushAll);
    }
    this.#due.add(connection);
  }
}
