import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '../../app/ports/logger.port.ts';
import type { Peer } from '../../app/ports/transport.port.ts';
import type { Session } from '../../app/session.ts';
import type { DepartureReason, Seq } from '../../domain/index.ts';
import { encodeEvent, ServerEvent } from './sse-codec.ts';

export type SseConnectionSettings = Readonly<{
  sendBuffer: number;
  writeTimeoutMs: number;
  keepaliveMs: number;
  /** Bytes the response may hold in user space before taking stops until 'drain'. */
  highWaterBytes: number;
  /** Take at once (not at the end of the turn) when this many broadcasts are waiting. */
  takeEagerlyAfter: number;
  /** How long a closing stream may take before its socket is destroyed. */
  closeGraceMs: number;
  /** The stream has closed: the transport forgets this connection. */
  closed: (connection: SseConnection) => void;
}>;

/**
 * One `GET /events` stream. Broadcasts are taken from the session while the response holds
 * less than `highWaterBytes`, written in one write and acknowledged; 'drain' resumes taking.
 * A reader that stops reading stops the response draining, taking stops, and the hub evicts it
 * when its send buffer is full.
 */
export class SseConnection implements Peer {
  #session: Session | undefined;
  #takenUpTo: Seq = 0;
  #scheduled = false;
  #ended = false;
  #inFlight = 0;
  #writeProgressAt = 0;
  #lastWriteAt = 0;
  readonly #socket: Socket;
  readonly #flush = (): void => {
    this.#scheduled = false;
    this.#guarded(() => this.#take());
  };
  readonly #written = (error?: Error | null): void => {
    this.#inFlight--;
    if (!error) this.#writeProgressAt = Math.floor(performance.now());
  };

  constructor(
    readonly request: IncomingMessage,
    readonly response: ServerResponse,
    private readonly settings: SseConnectionSettings,
    private readonly logger: Logger,
  ) {
    this.#socket = request.socket;
    this.#lastWriteAt = Math.floor(performance.now());
    response.on('error', (error: NodeJS.ErrnoException) =>
      logger.debug('event stream error', { remote: this.#remote, code: error.code }),
    );
    response.on('close', () => this.#onClose());
  }

  attach(session: Session): void {
    this.#session = session;
    this.#takenUpTo = session.joinedAfter;
    this.response.on('drain', this.#flush);
  }

  wake(head: Seq): void {
    if (this.#ended) return;
    if (head - this.#takenUpTo >= this.settings.takeEagerlyAfter) {
      this.#guarded(() => this.#take());
    } else if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#flush);
    }
  }

  close(reason: DepartureReason): void {
    this.#ended = true;
    switch (reason) {
      case 'overflowed':
        this.logger.warn('connection evicted', { remote: this.#remote, reason });
        // A reader that stopped reading will rarely see this event: it is written if possible.
        if (this.response.writable) this.response.write(ServerEvent.sendBufferFull);
        this.#socket.destroy();
        return;
      case 'shutdown':
        this.end(ServerEvent.shuttingDown);
        return;
      case 'left':
      case 'dropped':
        this.#socket.destroy();
        return;
      default: {
        const unknown: never = reason;
        throw new Error(`unknown departure ${String(unknown)}`);
      }
    }
  }

  /** Write deadline and keepalive comments; called by the transport's sweep. */
  checkTimers(now: number): void {
    if (this.#ended) return;
    if (this.#inFlight > 0 && now - this.#writeProgressAt >= this.settings.writeTimeoutMs) {
      this.logger.warn('connection dropped', {
        remote: this.#remote,
        reason: 'write not completed in time',
      });
      this.#leave('dropped', 'write not completed in time');
      this.#socket.destroy();
      return;
    }
    if (
      now - this.#lastWriteAt >= this.settings.keepaliveMs &&
      this.response.writableLength < this.settings.highWaterBytes
    ) {
      this.#write(ServerEvent.keepalive);
    }
  }

  /** Sends a last event and ends the stream and its socket; a slow peer is cut off in time. */
  end(last: string): void {
    this.#ended = true;
    if (this.#socket.destroyed) return;
    const socket = this.#socket;
    if (!this.response.writableEnded) this.response.end(last, () => socket.end());
    else socket.end();
    const cutOff = setTimeout(() => socket.destroy(), this.settings.closeGraceMs);
    cutOff.unref();
    socket.once('close', () => clearTimeout(cutOff));
  }

  get socket(): Socket {
    return this.#socket;
  }

  #write(chunk: string): void {
    if (this.#inFlight++ === 0) this.#writeProgressAt = Math.floor(performance.now());
    this.#lastWriteAt = Math.floor(performance.now());
    this.response.write(chunk, this.#written);
  }

  /** Takes what the response has room for, writes it in one write, and acknowledges it. */
  #take(): void {
    const session = this.#session;
    if (session === undefined || this.#ended || !session.isOpen || !this.response.writable) return;
    while (
      this.#takenUpTo < session.head &&
      this.response.writableLength < this.settings.highWaterBytes
    ) {
      const messages = session.read(this.#takenUpTo, this.settings.sendBuffer);
      if (messages.length === 0) return;
      let events = '';
      for (const message of messages) events += encodeEvent(message.seq, message.text);
      this.#write(events);
      this.#takenUpTo = (messages[messages.length - 1] as { seq: Seq }).seq;
      session.acknowledge(this.#takenUpTo);
    }
  }

  /** Runs a call into the hub; a bug of ours ends this connection only, and says so. */
  #guarded(call: () => void): void {
    try {
      call();
    } catch (error) {
      this.logger.error('connection failed', { remote: this.#remote, error: String(error) });
      this.#leave('dropped', 'internal error');
      this.#socket.destroy();
    }
  }

  get #remote(): string {
    const { remoteAddress, remotePort } = this.#socket;
    return remoteAddress === undefined ? 'unknown' : `${remoteAddress}:${remotePort}`;
  }

  #onClose(): void {
    this.settings.closed(this);
    // The client went away (EventSource closed, tab gone): a normal departure.
    this.#leave('left', 'client closed the stream');
  }

  #leave(reason: 'left' | 'dropped', detail: string): void {
    this.#ended = true;
    try {
      this.#session?.leave(reason, detail);
    } catch (error) {
      this.logger.error('leaving the hub failed', { remote: this.#remote, error: String(error) });
    }
  }
}
