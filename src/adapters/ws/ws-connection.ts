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
  /** Bytes this connection may hold in user space before it waits for the socket to drain. */
  highWaterBytes: number;
};

const READ_BATCH = 64;
const NORMAL_CLOSE_CODES = new Set([1000, 1001, 1005]);

/**
 * One WebSocket client. It pulls broadcasts from the hub only while the socket accepts them
 * (at most `highWaterBytes` queued in user space), and acknowledges each batch once the socket
 * has flushed it, so a reader that stops reading shows up in the hub as pending broadcasts.
 */
export class WsConnection implements Peer {
  #session: Session | undefined;
  #sentUpTo: Seq = 0;
  #inFlight = 0;
  #pumping = false;
  #dropped = false;
  readonly #pingTimer: NodeJS.Timeout;
  readonly #pongDeadline: NodeJS.Timeout;
  #writeDeadline: NodeJS.Timeout | undefined;

  constructor(
    private readonly ws: WebSocket,
    private readonly settings: WsConnectionSettings,
    private readonly logger: Logger,
    private readonly remote: string,
  ) {
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
    } finally {
      this.#pumping = false;
    }
  }

  close(reason: DepartureReason): void {
    this.#clearTimersExceptWrite();
    if (reason === 'overflowed') {
      this.logger.warn('connection evicted', { remote: this.remote, reason });
      this.ws.close(CloseCode.PolicyViolation, CloseReason.sendBufferFull);
    } else {
      this.ws.close(CloseCode.GoingAway, CloseReason.shuttingDown);
    }
  }

  /**
   * Hands broadcasts to the socket while it holds less than `highWaterBytes`, acknowledging
   * each batch as it goes: a broadcast handed over has left the send buffer, as in the original
   * (where the write pump takes it off the channel). When the socket stops draining, the
   * window fills, this stops, and the hub sees pending grow.
   */
  #pump(): void {
    const session = this.#session;
    if (session === undefined || !session.isOpen || this.ws.readyState !== this.ws.OPEN) return;
    while (this.ws.bufferedAmount < this.settings.highWaterBytes) {
      const batch = session.read(this.#sentUpTo, READ_BATCH);
      const last = batch.at(-1);
      if (last === undefined) return;
      for (const message of batch) {
        // Only the last send of a batch needs a callback: the socket flushes in order.
        if (message === last) this.ws.send(message.text, (error) => this.#flushed(error));
        else this.ws.send(message.text);
      }
      this.#sentUpTo = last.seq;
      if (this.#inFlight++ === 0) this.#armWriteDeadline();
      session.acknowledge(last.seq);
    }
  }

  /** The socket flushed a batch to the kernel: progress for the write deadline, room for more. */
  #flushed(error: Error | null | undefined): void {
    this.#inFlight--;
    if (error) return; // the socket failed; 'close' follows
    if (this.#inFlight === 0) this.#disarmWriteDeadline();
    else this.#writeDeadline?.refresh();
    if (this.#session?.isOpen === true) this.wake();
  }

  #onMessage(data: Buffer, isBinary: boolean): void {
    const session = this.#session;
    if (session === undefined) return;
    if (isBinary) {
      this.logger.warn('binary message refused', { remote: this.remote });
      this.ws.close(CloseCode.UnsupportedData, CloseReason.binary);
      return;
    }
    // The ws library has already enforced --max-message-bytes (1009) and UTF-8 (1007).
    if (session.publish(data.toString('utf8')) === 'too-large') {
      this.ws.close(CloseCode.MessageTooBig, CloseReason.tooLarge);
    }
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
    this.#session?.leave('dropped', why);
    this.ws.terminate();
  }

  #onError(error: Error): void {
    // ws closes the connection itself with the matching code (1002, 1007, 1009, ...).
    const code = (error as NodeJS.ErrnoException).code;
    this.logger.warn('connection error', { remote: this.remote, code, error: error.message });
  }

  #onClose(code: number, reason: string): void {
    this.#clearTimersExceptWrite();
    this.#disarmWriteDeadline();
    const departure = NORMAL_CLOSE_CODES.has(code) ? 'left' : 'dropped';
    this.#session?.leave(departure, `close ${code}${reason === '' ? '' : ` ${reason}`}`);
  }

  #clearTimersExceptWrite(): void {
    clearInterval(this.#pingTimer);
    clearTimeout(this.#pongDeadline);
  }
}
