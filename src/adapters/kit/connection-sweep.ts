/** A connection whose deadlines (keepalive, write progress) a sweep checks. */
export interface Swept {
  checkTimers(now: number): void;
  /** Says goodbye and resolves once the connection has closed, cut off after a grace. */
  closeAndWait(): Promise<void>;
}

/**
 * The open connections of one transport and the one timer that checks their deadlines, so a
 * connection costs no timers of its own. The timer runs every quarter of the shortest
 * deadline, at most every second: each deadline fires within that much of its setting.
 */
export class ConnectionSweep<C extends Swept = Swept> {
  readonly #connections = new Set<C>();
  #timer: NodeJS.Timeout | undefined;
  readonly #sweep = (): void => {
    const now = Math.floor(performance.now());
    for (const connection of this.#connections) connection.checkTimers(now);
  };

  add(connection: C): void {
    this.#connections.add(connection);
  }

  delete(connection: C): void {
    this.#connections.delete(connection);
  }

  has(connection: C): boolean {
    return this.#connections.has(connection);
  }

  /** Closes every connection; resolves once all have closed (or were cut off). */
  async closeAll(): Promise<void> {
    await Promise.all([...this.#connections].map((connection) => connection.closeAndWait()));
  }

  start(...deadlinesMs: readonly number[]): void {
    this.stop();
    const interval = Math.max(5, Math.min(1_000, Math.min(...deadlinesMs) / 4));
    this.#timer = setInterval(this.#sweep, interval);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
