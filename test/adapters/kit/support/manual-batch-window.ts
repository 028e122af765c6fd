import { BatchWindow, type Flushable } from '../../../../src/adapters/kit/batch-window.ts';

/** A batch window the test closes itself, instead of a timer. */
export class ManualBatchWindow extends BatchWindow {
  #due = new Set<Flushable>();

  constructor() {
    super(0);
  }

  override schedule(connection: Flushable): void {
    this.#due.add(connection);
  }

  get scheduled(): number {
    return this.#due.size;
  }

  /**
   * The window closes: every connection scheduled so far flushes; one scheduled during this pass
   * waits for the next, as with the real window. Returns how many flushed.
   */
  close(): number {
    const due = this.#due;
    this.#due = new Set();
    for (const connection of due) connection.flush();
    return due.size;
  }
}
