import type { LoggedMessage } from '../../app/ports/message-log.port.ts';
import type { TransportMetrics } from '../../app/ports/metrics.port.ts';
import type { Session } from '../../app/session.ts';
import type { DepartureReason, Seq } from '../../domain/index.ts';

/** Where a stream transport writes its text: a socket, an HTTP response. */
export interface TextSink {
  readonly writable: boolean;
  readonly writableLength: number;
  write(chunk: string, callback: (error?: Error | null) => void): boolean;
}

export type StreamDeliverySettings = Readonly<{
  sendBuffer: number;
  writeTimeoutMs: number;
  /** Bytes the sink may hold in user space before taking stops until it drains. */
  highWaterBytes: number;
  /** Take at once (not at the end of the turn) when this many broadcasts are waiting. */
  takeEagerlyAfter: number;
  metrics: TransportMetrics;
}>;

/**
 * The delivery half of a transport that writes text to a Node stream (TCP lines, SSE events):
 * broadcasts are taken from the session while the sink holds less than `highWaterBytes`,
 * encoded and written in one write, and acknowledged; `flush` (on 'drain') resumes taking. A
 * reader that stops reading stops the sink draining, taking stops, and the hub evicts it when
 * its send buffer is full. Calls into the hub that throw go to `onFailure`.
 */
export class StreamDelivery {
  #session: Session | undefined;
  #takenUpTo: Seq = 0;
  #scheduled = false;
  #stopped = false;
  /** Writes handed to the sink whose callback has not come yet, for the write deadline. */
  #inFlight = 0;
  #writeProgressAt = 0;
  #lastWriteAt = Math.floor(performance.now());
  readonly #written = (error?: Error | null): void => {
    this.#inFlight--;
    if (!error) this.#writeProgressAt = Math.floor(performance.now());
  };
  /** Takes and writes what the sink has room for; for 'drain' and the end of the turn. */
  readonly flush = (): void => {
    this.#scheduled = false;
    this.#guarded();
  };

  constructor(
    private readonly sink: TextSink,
    private readonly settings: StreamDeliverySettings,
    private readonly encode: (messages: readonly LoggedMessage[]) => string,
    private readonly onFailure: (error: unknown) => void,
  ) {}

  attach(session: Session): void {
    this.#session = session;
    this.#takenUpTo = session.joinedAfter;
  }

  /** No more delivery: the connection is ending. */
  stop(): void {
    this.#stopped = true;
  }

  /**
   * The hub removed the connection: on shutdown everything broadcast before it still goes out
   * ahead of the goodbye; for any other reason delivery just stops.
   */
  stopFor(reason: DepartureReason): void {
    if (reason === 'shutdown') this.#drainAndStop();
    else this.stop();
  }

  /**
   * The last delivery before a goodbye: everything broadcast so far, past the high-water mark
   * if need be (at most a send buffer's worth), then no more.
   */
  #drainAndStop(): void {
    const session = this.#session;
    if (!this.#stopped && session !== undefined && this.sink.writable) {
      try {
        this.#takeUpTo(session, Number.POSITIVE_INFINITY);
      } catch (error) {
        this.onFailure(error);
      }
    }
    this.#stopped = true;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  wake(head: Seq): void {
    if (this.#stopped) return;
    if (head - this.#takenUpTo >= this.settings.takeEagerlyAfter) this.#guarded();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.flush);
    }
  }

  /** Writes `chunk` (a delivery, or a transport's own line such as a keepalive). */
  write(chunk: string): void {
    if (this.#inFlight++ === 0) this.#writeProgressAt = Math.floor(performance.now());
    this.#lastWriteAt = Math.floor(performance.now());
    this.sink.write(chunk, this.#written);
  }

  /** Writes are in flight and none has completed for `writeTimeoutMs`. */
  writeStalled(now: number): boolean {
    return this.#inFlight > 0 && now - this.#writeProgressAt >= this.settings.writeTimeoutMs;
  }

  /** Milliseconds since anything was written. */
  idleFor(now: number): number {
    return now - this.#lastWriteAt;
  }

  #guarded(): void {
    try {
      this.#take();
    } catch (error) {
      this.onFailure(error);
    }
  }

  #take(): void {
    const session = this.#session;
    if (session === undefined || this.#stopped || !session.isOpen || !this.sink.writable) return;
    this.#takeUpTo(session, this.settings.highWaterBytes);
  }

  #takeUpTo(session: Session, highWaterBytes: number): void {
    while (this.#takenUpTo < session.head && this.sink.writableLength < highWaterBytes) {
      const messages = session.read(this.#takenUpTo, this.settings.sendBuffer);
      const last = messages.at(-1);
      if (last === undefined) return;
      const encoded = this.encode(messages);
      this.write(encoded);
      this.settings.metrics.delivered(messages.length, Buffer.byteLength(encoded));
      this.#takenUpTo = last.seq;
      session.acknowledge(last.seq);
    }
  }
}
