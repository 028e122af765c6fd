import type { Session } from '../../app/session.ts';
import type { Seq } from '../../domain/index.ts';
import type { DeliverySettings } from './delivery-settings.ts';
import type { Outbound } from './outbound-cache.ts';

export type WriteDone = (error?: Error | null) => void;

/** Taken broadcasts worth writing at once rather than when the batch window closes. */
const WRITE_NOW_BYTES = 16 * 1024;

const NO_OUTBOX: Outbound[] = [];
const now = (): number => Math.floor(performance.now());

/**
 * How every transport delivers broadcasts: one policy, with the wire left to the transport.
 * A connection takes broadcasts from the hub into an outbox (references to shared, already
 * encoded messages) and acknowledges them, as the original's write pump takes messages off the
 * connection's channel; when the batch window closes it writes the whole outbox at once. It
 * takes only while its socket holds less than `highWaterBytes`: a reader that stops reading
 * stops the socket draining, taking stops, and the hub sees its pending count grow until a
 * broadcast finds it full. Completed writes resume taking and are progress for the write
 * deadline.
 */
export abstract class Delivery<S extends DeliverySettings = DeliverySettings> {
  #session: Session | undefined;
  /** Last broadcast taken into the outbox, and last one acknowledged to the hub. */
  #takenUpTo: Seq = 0;
  #acknowledgedUpTo: Seq = 0;
  /** Shared and empty until the first broadcast: idle connections allocate no outbox. */
  #outbox: Outbound[] = NO_OUTBOX;
  #outboxBytes = 0;
  #flushScheduled = false;
  /** Taking stopped at the high-water mark; a completed write resumes it. */
  #blocked = false;
  #stopped = false;
  /** Writes handed to the socket whose callback has not come yet. */
  #inFlight = 0;
  /** When the oldest write still in flight started, or the last one completed. */
  #writeProgressAt = 0;
  // Bound once, on the first write: idle connections never need it.
  #onWritten: WriteDone | undefined;

  constructor(protected readonly settings: S) {}

  /** Bytes handed to the socket and not yet written to the kernel. */
  protected abstract get bufferedBytes(): number;
  /** The socket still takes writes. */
  protected abstract get writable(): boolean;
  /** The bytes `outbound` adds to a write, in this connection's encoding. */
  protected abstract sizeOf(outbound: Outbound): number;
  /** Writes `outbox` (`bytes` as `sizeOf` counted them) with `done` on the last write; returns the bytes written. */
  protected abstract writeOutbox(
    outbox: readonly Outbound[],
    bytes: number,
    head: Seq,
    done: WriteDone,
  ): number;
  /** A call into the hub threw: a bug of ours, which ends this connection only. */
  protected abstract deliveryFailed(error: unknown): void;

  protected get session(): Session | undefined {
    return this.#session;
  }

  protected startDelivery(session: Session): void {
    this.#session = session;
    this.#takenUpTo = session.joinedAfter;
    this.#acknowledgedUpTo = session.joinedAfter;
    // Messages the room got between the join and now woke no one: they are pending already.
    if (session.head > session.joinedAfter) this.wake(session.head);
  }

  /** No more delivery: the connection is ending. */
  protected stopDelivery(): void {
    this.#stopped = true;
    this.#outbox = NO_OUTBOX;
    this.#outboxBytes = 0;
  }

  get deliveryStopped(): boolean {
    return this.#stopped;
  }

  /** Broadcasts up to `head` are pending (the `Peer` port). */
  wake(head: Seq): void {
    if (this.#stopped) return;
    if (head - this.#takenUpTo >= this.settings.takeEagerlyAfter) this.#guarded(false);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      this.settings.batch.schedule(this);
    }
  }

  /** The batch window closed: take what is new and write everything taken. */
  flush(): void {
    this.#flushScheduled = false;
    this.#guarded(true);
  }

  /**
   * The last delivery before a goodbye: what is taken, and with `everything` all that was
   * broadcast before now (still in the batch window, or past the high-water mark): the hub
   * accepted those messages, and the original too drains a client's channel before closing.
   */
  protected finalDelivery(everything: boolean): void {
    const session = this.#session;
    if (session !== undefined && !this.#stopped && this.writable) {
      try {
        this.#write(session);
        // A send buffer's worth at a time (the outbox holds no more), up to the head.
        while (everything && this.#takenUpTo < session.head) {
          this.#take(session, Number.POSITIVE_INFINITY);
          this.#write(session);
        }
      } catch (error) {
        this.deliveryFailed(error);
      }
    }
    this.stopDelivery();
  }

  /**
   * The room's numbering restarted: what is taken (of the old numbering) goes out, then the
   * transport's `notice`, and delivery carries on from the new numbering's start. What was not
   * taken of the old numbering is not delivered.
   */
  protected restartDelivery(notice: () => void): void {
    const session = this.#session;
    if (session === undefined || this.#stopped || !this.writable) return;
    try {
      this.#write(session);
      notice();
    } catch (error) {
      this.deliveryFailed(error);
      return;
    }
    this.#takenUpTo = 0;
    this.#acknowledgedUpTo = 0;
    if (session.head > 0) this.wake(session.head);
  }

  /** A write of the transport's own (a keepalive), tracked for the write deadline. */
  protected trackedWrite(): WriteDone {
    if (this.#inFlight++ === 0) this.#writeProgressAt = now();
    return this.#writeCallback();
  }

  /** Writes are in flight and none has completed for `writeTimeoutMs`. */
  writeStalled(at: number): boolean {
    return this.#inFlight > 0 && at - this.#writeProgressAt >= this.settings.writeTimeoutMs;
  }

  #guarded(endOfTurn: boolean): void {
    try {
      this.#takeAndWrite(endOfTurn);
    } catch (error) {
      this.deliveryFailed(error);
    }
  }

  /**
   * Takes what is new and writes it: always when the window closes; before that as soon as a
   * quarter of the send buffer or 16 KiB has been taken, so that a burst of any size read in
   * one turn goes out as it is made, and only a socket that stops draining stops it.
   */
  #takeAndWrite(endOfTurn: boolean): void {
    const session = this.#session;
    if (session === undefined || this.#stopped || !session.isOpen || !this.writable) return;
    const { highWaterBytes, takeEagerlyAfter } = this.settings;
    for (;;) {
      this.#take(session, highWaterBytes - this.bufferedBytes);
      const enough =
        this.#outbox.length >= takeEagerlyAfter || this.#outboxBytes >= WRITE_NOW_BYTES;
      if (this.#outbox.length === 0 || !(endOfTurn || enough)) return;
      this.#write(session);
      if (this.#takenUpTo >= session.head || this.bufferedBytes >= highWaterBytes) return;
    }
  }

  #take(session: Session, room: number): void {
    const { cache, sendBuffer, takeEagerlyAfter } = this.settings;
    const head = session.head;
    let seq = this.#takenUpTo;
    const wanted = Math.min(head - seq, sendBuffer - this.#outbox.length);
    if (wanted > 0 && this.#outboxBytes < room) {
      for (const message of session.read(seq, wanted)) {
        if (message.seq !== seq + 1) throw new RangeError(`message ${seq + 1} is no longer held`);
        seq = message.seq;
        const outbound = cache.of(message);
        if (this.#outbox === NO_OUTBOX) this.#outbox = [];
        this.#outbox.push(outbound);
        this.#outboxBytes += this.sizeOf(outbound);
        if (this.#outboxBytes >= room) break;
      }
      if (seq === this.#takenUpTo) throw new RangeError(`message ${seq + 1} is no longer held`);
    }
    this.#blocked = seq < head;
    this.#takenUpTo = seq;
    if (
      seq - this.#acknowledgedUpTo >= takeEagerlyAfter ||
      (this.#blocked && seq > this.#acknowledgedUpTo)
    ) {
      this.#acknowledgedUpTo = seq;
      session.acknowledge(seq);
    }
  }

  #write(session: Session): void {
    const outbox = this.#outbox;
    if (outbox.length === 0) return;
    const bytes = this.writeOutbox(outbox, this.#outboxBytes, session.head, this.#writeCallback());
    this.settings.metrics.delivered(outbox.length, bytes);
    outbox.length = 0;
    this.#outboxBytes = 0;
    if (this.#inFlight++ === 0) this.#writeProgressAt = now();
  }

  #writeCallback(): WriteDone {
    this.#onWritten ??= this.#written.bind(this);
    return this.#onWritten;
  }

  /** A write reached the kernel: progress for the write deadline, and room for more. */
  #written(error: Error | null | undefined): void {
    this.#inFlight--;
    if (error) return; // the socket failed; 'close' follows
    if (this.#inFlight > 0) this.#writeProgressAt = now();
    if (this.#blocked && this.bufferedBytes < this.settings.highWaterBytes / 2) {
      this.#blocked = false;
      this.flush();
    }
  }
}
