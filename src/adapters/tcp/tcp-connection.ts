import type { Socket } from 'node:net';
import type { TransportEviction } from '../../app/session.ts';
import type { DepartureReason } from '../../domain/index.ts';
import { closeWithin, cutOffAfter } from '../kit/closing.ts';
import type { WriteDone } from '../kit/delivery.ts';
import { type ConnectionSettings, KitConnection } from '../kit/kit-connection.ts';
import { type Encoding, encodedAs, type Outbound } from '../kit/outbound-cache.ts';
import { peerAddress } from '../kit/peer-address.ts';
import { writeEach } from '../kit/write-each.ts';
import { encodeLine, LineReader, ServerLine } from './line-codec.ts';

export type TcpConnectionSettings = ConnectionSettings &
  Readonly<{
    maxMessageBytes: number;
    /** Logs a socket error (`this` is the socket); one function for every connection. */
    onSocketError: (this: Socket, error: NodeJS.ErrnoException) => void;
  }>;

/** Each broadcast as one line. */
const LINE: Encoding = { slot: 0, encode: (message) => Buffer.from(encodeLine(message.text)) };

/** One TCP line-protocol client: the kit delivers to it; this reads its lines. */
export class TcpConnection extends KitConnection<TcpConnectionSettings> {
  readonly #reader: LineReader;

  constructor(
    readonly socket: Socket,
    settings: TcpConnectionSettings,
    address: string | undefined,
  ) {
    super(settings, address);
    this.#reader = new LineReader(settings.maxMessageBytes);
    socket.on('error', settings.onSocketError);
    socket.on('close', () => this.#onClose());
  }

  get transport(): string {
    return 'tcp';
  }

  get remote(): string {
    return peerAddress(this.socket);
  }

  override attach(session: Parameters<KitConnection['attach']>[0]): void {
    super.attach(session);
    this.socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    this.socket.on('end', () => this.leave('left', 'client ended'));
  }

  close(reason: DepartureReason): void {
    this.finalDelivery(reason === 'shutdown');
    if (reason === 'send_buffer_full') {
      // A reader that stopped reading will rarely see this line: it is written if possible.
      if (this.socket.writable) this.socket.write(ServerLine.sendBufferFull);
      this.socket.destroy();
    } else if (reason === 'shutdown') this.#end(ServerLine.shuttingDown);
    else this.socket.destroy();
  }

  /** Writes must progress within `writeTimeoutMs`; called by the transport's sweep. */
  checkTimers(now: number): void {
    if (!this.writeStalled(now)) return;
    this.leave('write_timeout', 'write not completed in time');
    this.socket.destroy();
  }

  closeAndWait(): Promise<void> {
    const { socket } = this;
    // Connections still registered were sent the shutdown line by the hub's shutdown.
    return closeWithin(
      socket,
      socket.destroyed,
      () => socket.destroy(),
      () => {
        if (!socket.writableEnded) socket.end(ServerLine.shuttingDown);
      },
    );
  }

  destroy(): void {
    this.socket.destroy();
  }

  protected get bufferedBytes(): number {
    return this.socket.writableLength;
  }

  protected get writable(): boolean {
    return this.socket.writable;
  }

  protected sizeOf(outbound: Outbound): number {
    return encodedAs(outbound, LINE).length;
  }

  protected writeOutbox(
    outbox: readonly Outbound[],
    bytes: number,
    _head: number,
    done: WriteDone,
  ) {
    writeEach(this.socket, outbox, LINE, done);
    return bytes;
  }

  #onData(chunk: Buffer): void {
    const session = this.session;
    if (session === undefined || this.deliveryStopped) return; // a closing one discards input
    try {
      const result = this.#reader.push(chunk, (line) => {
        if (!this.withinRate()) {
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
        return !this.deliveryStopped;
      });
      if (result === 'too-large') this.#refuseTooLarge();
    } catch (error) {
      this.deliveryFailed(error);
    }
  }

  /** The 1009 of this transport: an error line, then the connection is closed. */
  #refuseTooLarge(): void {
    this.#refuse('message too large', ServerLine.tooLarge, 'message_too_large');
  }

  #refuse(detail: string, line: string, eviction: TransportEviction): void {
    if (this.deliveryStopped) return;
    this.finalDelivery(true);
    this.leave(eviction, detail);
    this.#end(line);
  }

  /**
   * Sends a last line and ends the socket; input that still arrives is read and discarded, so
   * the line is not lost to a reset. A peer that does not close in time is destroyed.
   */
  #end(line: string): void {
    this.stopDelivery();
    if (this.socket.destroyed) return;
    this.socket.end(line);
    cutOffAfter(this.socket);
  }

  #onClose(): void {
    this.onClosed();
    this.leave('dropped', 'connection closed');
  }
}
