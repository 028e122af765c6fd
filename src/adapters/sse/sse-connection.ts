import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Session } from '../../app/session.ts';
import type { DepartureReason } from '../../domain/index.ts';
import { closeWithin, cutOffAfter } from '../kit/closing.ts';
import type { WriteDone } from '../kit/delivery.ts';
import { type ConnectionSettings, KitConnection } from '../kit/kit-connection.ts';
import { type Encoding, encodedAs, type Outbound } from '../kit/outbound-cache.ts';
import { peerAddress } from '../kit/peer-address.ts';
import { writeEach } from '../kit/write-each.ts';
import { encodeEvent, ServerEvent, SSE_HEADERS } from './sse-codec.ts';

export type SseConnectionSettings = ConnectionSettings & Readonly<{ keepaliveMs: number }>;

/** Each broadcast as one event, its sequence number as the event id. */
const EVENT: Encoding = {
  slot: 0,
  encode: (message) => Buffer.from(encodeEvent(message.seq, message.text)),
};

const now = (): number => Math.floor(performance.now());

/** One `GET /events` stream: the kit delivers to it; this adds keepalive comments. */
export class SseConnection extends KitConnection<SseConnectionSettings> {
  readonly socket: Socket;
  #lastWriteAt = now();

  constructor(
    readonly request: IncomingMessage,
    readonly response: ServerResponse,
    settings: SseConnectionSettings,
    address: string | undefined,
  ) {
    super(settings, address);
    this.socket = request.socket;
    response.on('error', (error: NodeJS.ErrnoException) =>
      settings.logger.debug('event stream error', { remote: this.remote, code: error.code }),
    );
    response.on('close', () => this.#onClose());
  }

  get transport(): string {
    return 'sse';
  }

  get remote(): string {
    return peerAddress(this.socket);
  }

  /** The stream begins once the connection has joined the hub. */
  override attach(session: Session): void {
    this.response.writeHead(200, SSE_HEADERS);
    this.response.flushHeaders();
    this.socket.setNoDelay(true);
    super.attach(session);
  }

  close(reason: DepartureReason): void {
    this.finalDelivery(reason === 'shutdown');
    if (reason === 'send_buffer_full') {
      // A reader that stopped reading will rarely see this event: it is written if possible.
      if (this.response.writable) this.response.write(ServerEvent.sendBufferFull);
      this.socket.destroy();
    } else if (reason === 'shutdown') this.end(ServerEvent.shuttingDown);
    else this.socket.destroy();
  }

  /** Write deadline and keepalive comments; called by the transport's sweep. */
  checkTimers(at: number): void {
    if (this.deliveryStopped) return;
    if (this.writeStalled(at)) {
      this.leave('write_timeout', 'write not completed in time');
      this.socket.destroy();
      return;
    }
    const { keepaliveMs, highWaterBytes } = this.settings;
    if (at - this.#lastWriteAt >= keepaliveMs && this.bufferedBytes < highWaterBytes) {
      this.#lastWriteAt = at;
      this.response.write(ServerEvent.keepalive, this.trackedWrite());
    }
  }

  closeAndWait(): Promise<void> {
    const { socket } = this;
    // Streams still registered were sent `bye` by the hub's shutdown.
    return closeWithin(
      socket,
      socket.destroyed,
      () => socket.destroy(),
      () => this.end(''),
    );
  }

  /** Sends a last event and ends the stream and its socket; a slow peer is cut off in time. */
  end(last: string): void {
    this.stopDelivery();
    const { socket } = this;
    if (socket.destroyed) return;
    if (!this.response.writableEnded) this.response.end(last, () => socket.end());
    else socket.end();
    cutOffAfter(socket);
  }

  destroy(): void {
    this.response.destroy();
  }

  protected get bufferedBytes(): number {
    return this.response.writableLength;
  }

  protected get writable(): boolean {
    return this.response.writable;
  }

  protected sizeOf(outbound: Outbound): number {
    return encodedAs(outbound, EVENT).length;
  }

  protected writeOutbox(
    outbox: readonly Outbound[],
    bytes: number,
    _head: number,
    done: WriteDone,
  ) {
    this.#lastWriteAt = now();
    writeEach(this.response, outbox, EVENT, done);
    return bytes;
  }

  #onClose(): void {
    this.onClosed();
    // The client went away (EventSource closed, tab gone): a normal departure.
    this.leave('left', 'client closed the stream');
  }
}
