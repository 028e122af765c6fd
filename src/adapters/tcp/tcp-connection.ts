import type { Socket } from 'node:net';
import type { Session, TransportEviction } from '../../app/session.ts';
import type { Encoding } from '../kit/outbound-cache.ts';
import { StreamConnection, type StreamConnectionSettings } from '../kit/stream-connection.ts';
import { decodeUtf8 } from '../kit/utf8.ts';
import { encodeLine, LineReader, ServerLine } from './line-codec.ts';

export type TcpConnectionSettings = StreamConnectionSettings &
  Readonly<{
    maxMessageBytes: number;
    /** Logs a socket error (`this` is the socket); one function for every connection. */
    onSocketError: (this: Socket, error: NodeJS.ErrnoException) => void;
  }>;

/** Each broadcast as one line. */
export const LINE: Encoding = {
  slot: 0,
  encode: (message) => Buffer.from(encodeLine(message.text)),
};

/** One TCP line-protocol client: the kit delivers to it; this reads its lines. */
export class TcpConnection extends StreamConnection<TcpConnectionSettings> {
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

  override attach(session: Session): void {
    super.attach(session);
    this.socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    this.socket.on('end', () => this.leave('left', 'client ended'));
  }

  /** Writes must progress within `writeTimeoutMs`; called by the transport's sweep. */
  checkTimers(now: number): void {
    if (!this.writeStalled(now)) return;
    this.leave('write_timeout', 'write not completed in time');
    this.socket.destroy();
  }

  /** Lines carry no epoch: an error line, and the client reconnects. */
  renumbered(): void {
    this.endRenumbered('room restarted', () => this.endWith(ServerLine.roomRestarted));
  }

  protected get stream(): Socket {
    return this.socket;
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
        // Strict: the text is the bytes sent, so the reader's byte count is the hub's too.
        const text = decodeUtf8(line);
        if (text === undefined) {
          this.#refuse('message is not valid UTF-8', ServerLine.notUtf8, 'invalid_message');
          return false;
        }
        const published = session.publish(text);
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
    this.endWith(line);
  }

  protected finish(line: string): void {
    if (!this.socket.writableEnded) this.socket.end(line);
  }

  #onClose(): void {
    this.onClosed();
    this.leave('dropped', 'connection closed');
  }
}
