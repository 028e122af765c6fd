import type { Socket } from 'node:net';
import type { Logger } from '../../app/ports/logger.port.ts';
import type { TransportMetrics } from '../../app/ports/metrics.port.ts';
import type { Peer } from '../../app/ports/transport.port.ts';
import type { Session, TransportDeparture, TransportEviction } from '../../app/session.ts';
import type { DepartureReason, Seq } from '../../domain/index.ts';
import { peerAddress } from '../kit/peer-address.ts';
import { StreamDelivery } from '../kit/stream-delivery.ts';
import { bucketFor, type RateLimit, type TokenBucket } from '../kit/token-bucket.ts';
import { encodeLines, LineReader, ServerLine } from './line-codec.ts';

export type TcpConnectionSettings = Readonly<{
  maxMessageBytes: number;
  sendBuffer: number;
  writeTimeoutMs: number;
  /** Bytes the socket may hold in user space before taking stops until 'drain'. */
  highWaterBytes: number;
  /** Take at once (not at the end of the turn) when this many broadcasts are waiting. */
  takeEagerlyAfter: number;
  /** How long a closing socket may take before it is destroyed. */
  closeGraceMs: number;
  /** The socket has closed: the transport forgets this connection. */
  closed: (connection: TcpConnection) => void;
  /** Logs a socket error (`this` is the socket); one function for every connection. */
  onSocketError: (this: Socket, error: NodeJS.ErrnoException) => void;
  rateLimit: RateLimit;
  metrics: TransportMetrics;
}>;

/** One TCP line-protocol client: inbound lines are published; delivery is a `StreamDelivery`. */
export class TcpConnection implements Peer {
  #session: Session | undefined;
  readonly #reader: LineReader;
  readonly #delivery: StreamDelivery;
  #bucket: TokenBucket | undefined;

  constructor(
    readonly socket: Socket,
    private readonly settings: TcpConnectionSettings,
    private readonly logger: Logger,
    /** The client's address, as the connection limits counted it. */
    readonly address: string | undefined,
  ) {
    this.#reader = new LineReader(settings.maxMessageBytes);
    this.#delivery = new StreamDelivery(socket, settings, encodeLines, (error) =>
      this.#fail(error),
    );
    socket.on('error', settings.onSocketError);
    socket.on('close', () => this.#onClose());
  }

  get transport(): string {
    return 'tcp';
  }

  get remote(): string {
    return peerAddress(this.socket);
  }

  attach(session: Session): void {
    this.#session = session;
    this.#delivery.attach(session);
    this.socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    this.socket.on('drain', this.#delivery.flush);
    this.socket.on('end', () => this.#leave('left', 'client ended'));
  }

  wake(head: Seq): void {
    this.#delivery.wake(head);
  }

  close(reason: DepartureReason): void {
    this.#delivery.stopFor(reason);
    switch (reason) {
      case 'send_buffer_full':
        // A reader that stopped reading will rarely see this line: it is written if possible.
        if (this.socket.writable) this.socket.write(ServerLine.sendBufferFull);
        this.socket.destroy();
        return;
      case 'shutdown':
        this.#end(ServerLine.shuttingDown);
        return;
      default:
        // The hub closes a connection for these two reasons only; anything else ends it.
        this.socket.destroy();
        return;
    }
  }

  /** Writes must progress within `writeTimeoutMs`; called by the transport's sweep. */
  checkTimers(now: number): void {
    if (!this.#delivery.writeStalled(now)) return;
    this.#leave('write_timeout', 'write not completed in time');
    this.socket.destroy();
  }

  #onData(chunk: Buffer): void {
    const session = this.#session;
    if (session === undefined || this.#delivery.stopped) return; // a closing one discards input
    try {
      const result = this.#reader.push(chunk, (line) => {
        if (!this.#withinRate()) {
          this.#refuse('rate limit exceeded', ServerLine.rateLimited, 'rate_limited');
          return false;
        }
        // Invalid UTF-8 is decoded with U+FFFD in place of the bad bytes.
        const published = session.publish(line.toString('utf8'));
        if (published === 'too-large') {
          this.#refuseTooLarge();
          return false;
        }
        if (published === 'published') this.settings.metrics.received(line.length);
        return !this.#delivery.stopped;
      });
      if (result === 'too-large') this.#refuseTooLarge();
    } catch (error) {
      this.#fail(error);
    }
  }

  #withinRate(): boolean {
    const now = performance.now();
    this.#bucket ??= bucketFor(this.settings.rateLimit, now);
    return this.#bucket === undefined || this.#bucket.take(now);
  }

  /** The 1009 of this transport: an error line, then the connection is closed. */
  #refuseTooLarge(): void {
    this.#refuse('message too large', ServerLine.tooLarge, 'message_too_large');
  }

  #refuse(detail: string, line: string, eviction: TransportEviction): void {
    if (this.#delivery.stopped) return;
    this.#leave(eviction, detail);
    this.#end(line);
  }

  /**
   * Sends a last line and ends the socket; input that still arrives is read and discarded, so
   * the line is not lost to a reset. A peer that does not close in time is destroyed.
   */
  #end(line: string): void {
    this.#delivery.stop();
    if (this.socket.destroyed) return;
    this.socket.end(line);
    const cutOff = setTimeout(() => this.socket.destroy(), this.settings.closeGraceMs);
    cutOff.unref();
    this.socket.once('close', () => clearTimeout(cutOff));
  }

  /** A bug of ours while talking to the hub: it ends this connection only, and says so. */
  #fail(error: unknown): void {
    this.logger.error('connection failed', {
      remote: peerAddress(this.socket),
      error: String(error),
    });
    this.#leave('dropped', 'internal error');
    this.socket.destroy();
  }

  #onClose(): void {
    this.settings.closed(this);
    this.#leave('dropped', 'connection closed');
  }

  #leave(reason: TransportDeparture, detail: string): void {
    this.#delivery.stop();
    this.#session?.leave(reason, detail);
  }
}
