import type { RoomMessage } from '../../app/ports/engine.port.ts';
import type { Peer } from '../../app/ports/transport.port.ts';
import type { Session } from '../../app/session.ts';
import type { DepartureReason, Seq } from '../../domain/index.ts';

export type MemoryCloseReason = DepartureReason | 'too-large';

/**
 * One in-process connection. It receives broadcasts a microtask after they are made, unless
 * stalled, in which case they stay pending in the hub (as for a reader that stopped reading).
 */
export class MemoryClient implements Peer {
  readonly received: RoomMessage[] = [];
  #session: Session | undefined;
  #deliveredUpTo: Seq = 0;
  #stalled = false;
  #scheduled = false;
  #closeReason: MemoryCloseReason | undefined;
  readonly #closeListeners = new Set<(reason: MemoryCloseReason) => void>();

  readonly transport = 'memory';
  readonly remote = 'in-process';

  attach(session: Session): void {
    this.#session = session;
    this.#deliveredUpTo = session.joinedAfter;
    // Messages the room got while the join was on its way woke no one.
    if (session.head > session.joinedAfter) this.wake();
  }

  get id(): string {
    return this.#required().id;
  }

  get closeReason(): MemoryCloseReason | undefined {
    return this.#closeReason;
  }

  get isStalled(): boolean {
    return this.#stalled;
  }

  /** Publishes a message; one over the size limit closes this client (the WebSocket 1009). */
  send(text: string): void {
    if (this.#closeReason !== undefined) throw new Error(`client closed (${this.#closeReason})`);
    if (this.#required().publish(text) === 'too-large') {
      this.#session?.leave('message_too_large', 'message too large');
      this.#closed('too-large');
    }
  }

  stall(): void {
    this.#stalled = true;
  }

  resume(): void {
    this.#stalled = false;
    this.wake();
  }

  leave(): void {
    if (this.#closeReason !== undefined) return;
    this.#required().leave('left');
    this.#closed('left');
  }

  onClose(listener: (reason: MemoryCloseReason) => void): void {
    this.#closeListeners.add(listener);
  }

  /** Delivery happens a microtask later, whatever `head` is by then. */
  wake(_head?: Seq): void {
    if (this.#scheduled || this.#stalled || this.#closeReason !== undefined) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      this.#deliver();
    });
  }

  /**
   * The room's numbering restarted: its messages carry their epoch, so the client follows it
   * from the new numbering's start (what it had not received of the old one is not delivered).
   */
  renumbered(): void {
    this.#deliveredUpTo = 0;
  }

  close(reason: DepartureReason): void {
    this.#closed(reason);
  }

  #deliver(): void {
    const session = this.#session;
    if (session === undefined || this.#stalled || this.#closeReason !== undefined) return;
    const messages = session.read(this.#deliveredUpTo, Number.MAX_SAFE_INTEGER);
    const last = messages.at(-1);
    if (last === undefined) return;
    this.received.push(...messages);
    this.#deliveredUpTo = last.seq;
    session.acknowledge(last.seq);
  }

  #closed(reason: MemoryCloseReason): void {
    if (this.#closeReason !== undefined) return;
    this.#closeReason = reason;
    for (const listener of this.#closeListeners) listener(reason);
  }

  #required(): Session {
    if (this.#session === undefined) throw new Error('client is not attached to the hub');
    return this.#session;
  }
}
