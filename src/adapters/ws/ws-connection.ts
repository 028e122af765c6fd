import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { Config } from '../../app/config.ts';
import type { Logger } from '../../app/ports/logger.port.ts';
import type { Peer } from '../../app/ports/transport.port.ts';
import type { Session } from '../../app/session.ts';
import type { DepartureReason, Seq } from '../../domain/index.ts';
import { CloseCode, CloseReason } from './close-codes.ts';

export type WsConnectionSettings = Pick<
  Config,
  'pingIntervalMs' | 'pongTimeoutMs' | 'writeTimeoutMs'
> & {
  /** Bytes this connection may hold in user space before it waits for writes to complete. */
  highWaterBytes: number;
};

const READ_BATCH = 64;
const NORMAL_CLOSE_CODES = new Set([1000, 1001, 1005]);

/**
 * One WebSocket client. Broadcasts are handed to the socket as they are made, while it holds
 * less than `highWaterBytes` not yet written to the kernel, and acknowledged to the hub on
 * hand-off: like the original's write pump taking a message off the connection's channel.
 * A reader that stops reading stops the socket draining, the window fills, hand-offs stop,
 * and the hub sees its pending count grow until a broadcast finds it full.
 */
export class WsConnection implements Peer {
  #session: Session | undefined;
  #sentUpTo: Seq = 0;
  /** Messages handed to the socket whose write has not completed yet. */
  #inFlight = 0;
  #pumping = false;
  /** The pump stopped at the high-water mark; a completed write resumes it. */
  #blocked = false;
  #ended = false;
  #dropped = false;
  readonly #pingTimer: NodeJS.Timeout;
  readonly #pongDeadline: NodeJS.Timeout;
  #writeDeadline: NodeJS.Timeout | undefined;
  readonly #onWritten = (error?: Error | null): void => this.#written(error);

  constructor(
    private readonly ws: WebSocket,
    socket: Socket,
    private readonly settings: WsConnectionSettings,
    private readonly logger: Logger,
    private readonly remote: string,
  ) {
    // ws handles socket errors by destroying the socket; this only records why, once.
    socket.once('error', (error: NodeJS.ErrnoException) =>
      this.logger.warn('connection socket error', { remote, code: error.code }),
    );
    ws.on('error', (error) => this.#onError(error));
    ws.on('close', (code, reason) => this.#onClose(code, reason.toString()));
    ws.on('pong', () => this.#pongDeadline.refresh());
    this.#pingTimer = setInterval(() => this.#ping(), settings.pingIntervalMs);
    this.#pongDeadline = setTimeout(() => this.#drop('no pong in time'), settings.pongTimeoutMs);
  }

  attach(session: Session): void {
    this.#session = session;
    this.#sentUpTo = session.joinedAfter;
    this.ws.on('message', (data, isBinary) => this.#onMessage(data as Buffer, isBinary));
    this.wake();
  }

  // Writes at once: a burst of broadcasts read from one network chunk must reach the sockets
  // as it is made, or every client would look `sendBuffer` behind before any write happened.
  wake(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      this.#pump();
    } catch (error) {
      this.#fail('delivery failed', error);
    } finally {
      this.#pumping = false;
    }
  }

  close(reason: DepartureReason): void {
    this.#ended = true;
    this.#stopKeepalive();
    switch (reason) {
      case 'overflowed':
        this.logger.warn('connection evicted', { remote: this.remote, reason });
        this.ws.close(CloseCode.PolicyViolation, CloseReason.sendBufferFull);
        return;
      case 'shutdown':
        this.ws.close(CloseCode.GoingAway, CloseReason.shuttingDown);
        return;
      case 'left':
      case 'dropped':
        this.ws.terminate();
        return;
      default: {
        const unknown: never = reason;
        throw new Error(`unknown departure ${String(unknown)}`);
      }
    }
  }

  #pump(): void {
    const session = this.#session;
    if (session === undefined || !session.isOpen || this.ws.readyState !== this.ws.OPEN) return;
    for (;;) {
      const batch = session.read(this.#sentUpTo, READ_BATCH);
      if (batch.length === 0) return;
      const before = this.#sentUpTo;
      for (const message of batch) {
        if (this.ws.bufferedAmount >= this.settings.highWaterBytes) break;
        this.ws.send(message.text, this.#onWritten);
        this.#sentUpTo = message.seq;
        if (this.#inFlight++ === 0) this.#armWriteDeadline();
      }
      if (this.#sentUpTo > before) session.acknowledge(this.#sentUpTo);
      if (this.ws.bufferedAmount >= this.settings.highWaterBytes) {
        this.#blocked = true;
        return;
      }
    }
  }

  /** A write reached the kernel: progress for the write deadline, and room for more. */
  #written(error: Error | null | undefined): void {
    this.#inFlight--;
    if (error) return; // the socket failed; 'close' follows
    if (this.#inFlight === 0) this.#disarmWriteDeadline();
    else this.#writeDeadline?.refresh();
    if (this.#blocked && this.ws.bufferedAmount < this.settings.highWaterBytes / 2) {
      this.#blocked = false;
      this.wake();
    }
  }

  #onMessage(data: Buffer, isBinary: boolean): void {
    const session = this.#session;
    // Frames that arrive after the server began closing are not chat messages any more.
    if (session === undefined || this.#ended || this.ws.readyState !== this.ws.OPEN) return;
    if (isBinary) {
      this.#refuse(CloseCode.UnsupportedData, CloseReason.binary);
      return;
    }
    try {
      // The ws library has already enforced --max-message-bytes (1009) and UTF-8 (1007).
      if (session.publish(data.toString('utf8')) === 'too-large') {
        this.#refuse(CloseCode.MessageTooBig, CloseReason.tooLarge);
      }
    } catch (error) {
      this.#fail('publish failed', error);
    }
  }

  /** Closes for a client fault; the connection leaves the hub at once, not after the handshake. */
  #refuse(code: number, reason: string): void {
    this.logger.warn('connection refused a message', { remote: this.remote, code, reason });
    this.#leave('dropped', `${code} ${reason}`);
    this.ws.close(code, reason);
  }

  #ping(): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.ping();
  }

  #armWriteDeadline(): void {
    this.#writeDeadline ??= setTimeout(
      () => this.#drop('write not completed in time'),
      this.settings.writeTimeoutMs,
    );
    this.#writeDeadline.refresh();
  }

  #disarmWriteDeadline(): void {
    if (this.#writeDeadline !== undefined) clearTimeout(this.#writeDeadline);
    this.#writeDeadline = undefined;
  }

  /** The peer is unresponsive: a close frame would not get through, so cut the socket. */
  #drop(why: string): void {
    if (this.#dropped) return;
    this.#dropped = true;
    this.logger.warn('connection dropped', { remote: this.remote, reason: why });
    this.#leave('dropped', why);
    this.ws.terminate();
  }

  /** A bug of ours, not the client's: end this connection only, and say so. */
  #fail(what: string, error: unknown): void {
    this.logger.error(what, { remote: this.remote, error: String(error) });
    this.#leave('dropped', what);
    this.ws.terminate();
  }

  #onError(error: Error): void {
    // ws closes the connection itself with the matching code (1002, 1007, 1009, ...).
    const code = (error as NodeJS.ErrnoException).code;
    this.logger.warn('connection protocol error', {
      remote: this.remote,
      code,
      error: error.message,
    });
    this.#leave('dropped', code ?? error.message);
  }

  #onClose(code: number, reason: string): void {
    this.#stopKeepalive();
    this.#disarmWriteDeadline();
    const departure = NORMAL_CLOSE_CODES.has(code) ? 'left' : 'dropped';
    this.#leave(departure, `close ${code}${reason === '' ? '' : ` ${reason}`}`);
  }

  #leave(reason: 'left' | 'dropped', detail: string): void {
    this.#ended = true;
    try {
      this.#session?.leave(reason, detail);
    } catch (error) {
      this.logger.error('leaving the hub failed', { remote: this.remote, error: String(error) });
    }
  }

  #stopKeepalive(): void {
    clearInterval(this.#pingTimer);
    clearTimeout(this.#pongDeadline);
  }
}
