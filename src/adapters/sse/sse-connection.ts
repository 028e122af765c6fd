import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '../../app/ports/logger.port.ts';
import type { TransportMetrics } from '../../app/ports/metrics.port.ts';
import type { Peer } from '../../app/ports/transport.port.ts';
import type { Session, TransportDeparture } from '../../app/session.ts';
import type { DepartureReason, Seq } from '../../domain/index.ts';
import { peerAddress } from '../kit/peer-address.ts';
import { StreamDelivery } from '../kit/stream-delivery.ts';
import { encodeEvents, ServerEvent } from './sse-codec.ts';

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
  metrics: TransportMetrics;
}>;

/** One `GET /events` stream; delivery is a `StreamDelivery`, plus keepalive comments. */
export class SseConnection implements Peer {
  #session: Session | undefined;
  readonly #socket: Socket;
  readonly #delivery: StreamDelivery;

  constructor(
    readonly request: IncomingMessage,
    readonly response: ServerResponse,
    private readonly settings: SseConnectionSettings,
    private readonly logger: Logger,
    /** The client's address, as the connection limits counted it. */
    readonly address: string | undefined,
  ) {
    this.#socket = request.socket;
    this.#delivery = new StreamDelivery(response, settings, encodeEvents, (error) =>
      this.#fail(error),
    );
    response.on('error', (error: NodeJS.ErrnoException) =>
      logger.debug('event stream error', { remote: peerAddress(this.#socket), code: error.code }),
    );
    response.on('close', () => this.#onClose());
  }

  get transport(): string {
    return 'sse';
  }

  get remote(): string {
    return peerAddress(this.#socket);
  }

  attach(session: Session): void {
    this.#session = session;
    this.#delivery.attach(session);
    this.response.on('drain', this.#delivery.flush);
  }

  wake(head: Seq): void {
    this.#delivery.wake(head);
  }

  close(reason: DepartureReason): void {
    this.#delivery.stopFor(reason);
    switch (reason) {
      case 'send_buffer_full':
        // A reader that stopped reading will rarely see this event: it is written if possible.
        if (this.response.writable) this.response.write(ServerEvent.sendBufferFull);
        this.#socket.destroy();
        return;
      case 'shutdown':
        this.end(ServerEvent.shuttingDown);
        return;
      default:
        // The hub closes a connection for these two reasons only; anything else ends it.
        this.#socket.destroy();
        return;
    }
  }

  /** Write deadline and keepalive comments; called by the transport's sweep. */
  checkTimers(now: number): void {
    if (this.#delivery.stopped) return;
    if (this.#delivery.writeStalled(now)) {
      this.#leave('write_timeout', 'write not completed in time');
      this.#socket.destroy();
      return;
    }
    if (
      this.#delivery.idleFor(now) >= this.settings.keepaliveMs &&
      this.response.writableLength < this.settings.highWaterBytes
    ) {
      this.#delivery.write(ServerEvent.keepalive);
    }
  }

  /** Sends a last event and ends the stream and its socket; a slow peer is cut off in time. */
  end(last: string): void {
    this.#delivery.stop();
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

  /** A bug of ours while talking to the hub: it ends this connection only, and says so. */
  #fail(error: unknown): void {
    this.logger.error('connection failed', {
      remote: peerAddress(this.#socket),
      error: String(error),
    });
    this.#leave('dropped', 'internal error');
    this.#socket.destroy();
  }

  #onClose(): void {
    this.settings.closed(this);
    // The client went away (EventSource closed, tab gone): a normal departure.
    this.#leave('left', 'client closed the stream');
  }

  #leave(reason: TransportDeparture, detail: string): void {
    this.#delivery.stop();
    this.#session?.leave(reason, detail);
  }
}
