import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { Config } from '../../app/config.ts';
import type { Session, TransportEviction } from '../../app/session.ts';
import type { DepartureReason, Seq } from '../../domain/index.ts';
import { cutOffAfter } from '../kit/closing.ts';
import type { WriteDone } from '../kit/delivery.ts';
import { type JoinRefusal, joinRefusalText } from '../kit/join-hub.ts';
import { type ConnectionSettings, KitConnection } from '../kit/kit-connection.ts';
import type { Outbound } from '../kit/outbound-cache.ts';
import { CloseCode, CloseReason } from './close-codes.ts';
import { closeGoingAway } from './going-away.ts';
import { evictionOfWsError, readInbound } from './inbound.ts';
import { sizeOn, type WsWire, writeOutboxTo } from './ws-encodings.ts';

export type WsConnectionSettings = ConnectionSettings &
  Pick<Config, 'pingIntervalMs' | 'pongTimeoutMs' | 'maxMessageBytes'> &
  Readonly<{
    wire: WsWire;
    /** Logs a socket error (`this` is the socket); one function for every connection. */
    onSocketError: (this: Socket, error: NodeJS.ErrnoException) => void;
  }>;

const NORMAL_CLOSE_CODES = new Set([1000, 1001, 1005]);

/**
 * One WebSocket client: the kit delivers to it (`KitConnection`); this reads its messages,
 * keeps it alive, and closes it as RFC 6455 says.
 */
export class WsConnection extends KitConnection<WsConnectionSettings> {
  #dropped = false;
  /** Times on the `performance.now()` clock, checked by the transport's sweep (`checkTimers`). */
  #nextPingAt: number;
  /**
   * When the peer last sent anything (a pong answers every ping). Read from the socket's byte
   * count by the sweep rather than from a 'pong' listener: one listener fewer per connection.
   */
  #lastHeardAt: number;
  #bytesReadSeen = 0;
  /** Frames read before the connection joined its room (the socket is paused meanwhile). */
  #early: [Buffer, boolean][] | undefined;

  constructor(
    readonly ws: WebSocket,
    readonly socket: Socket,
    settings: WsConnectionSettings,
    address: string | undefined,
  ) {
    super(settings, address);
    // ws handles socket errors by destroying the socket; this only records why, once.
    socket.on('error', settings.onSocketError);
    ws.on('error', (error) => this.#onError(error));
    ws.on('close', (code, reason) => this.#onClose(code, reason.toString()));
    ws.on('message', (data, isBinary) => this.#onMessage(data as Buffer, isBinary));
    ws.pause();
    this.#lastHeardAt = Math.floor(performance.now());
    this.#nextPingAt = this.#lastHeardAt + settings.pingIntervalMs;
  }

  override attach(session: Session): void {
    super.attach(session);
    const early = this.#early ?? [];
    this.#early = undefined;
    for (const [data, isBinary] of early) this.#onMessage(data, isBinary);
    this.ws.resume();
  }

  /** The connection could not join its room: 1001 on shutdown, else 1013. */
  refuseJoin(why: JoinRefusal): void {
    this.ws.resume(); // to read the client's answer to the close
    if (why === 'shutdown') void this.closeAndWait();
    else this.#fail(CloseCode.TryAgainLater, joinRefusalText(why));
  }

  close(reason: DepartureReason): void {
    // What it has taken goes out before the close frame: taken means on its way. On shutdown
    // so does everything broadcast before it; an evicted client is not reading, so nothing
    // more is taken for it.
    this.finalDelivery(reason === 'shutdown');
    if (reason === 'send_buffer_full')
      this.#fail(CloseCode.PolicyViolation, CloseReason.sendBufferFull, true);
    else if (reason === 'shutdown') this.#closeWith(CloseCode.GoingAway, CloseReason.shuttingDown);
    else this.ws.terminate();
  }

  /** Plain and hubbub.v1 messages carry no epoch: 1012, and the client reconnects. */
  renumbered(): void {
    const [code, reason] = [CloseCode.ServiceRestart, CloseReason.roomRestarted];
    this.endRenumbered(`${code} ${reason}`, () => this.#closeWith(code, reason));
  }

  /** 1001, and the socket is cut if the client has not closed within the grace. */
  closeAndWait(): Promise<void> {
    return closeGoingAway(this.ws);
  }

  protected get bufferedBytes(): number {
    return this.ws.bufferedAmount;
  }

  protected get writable(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }

  protected sizeOf(outbound: Outbound): number {
    return sizeOn(this.settings.wire, outbound);
  }

  protected writeOutbox(outbox: readonly Outbound[], bytes: number, head: Seq, done: WriteDone) {
    return writeOutboxTo(this.ws, this.socket, this.settings.wire, outbox, bytes, head, done);
  }

  destroy(): void {
    this.ws.terminate();
  }

  #onMessage(data: Buffer, isBinary: boolean): void {
    const session = this.session;
    if (session === undefined && !this.ended) {
      this.#early ??= [];
      this.#early.push([data, isBinary]);
      return;
    }
    // Frames that arrive after the server began closing are not chat messages any more.
    if (session === undefined || this.deliveryStopped || !this.writable) return;
    if (!this.withinRate()) {
      this.#refuse(CloseCode.PolicyViolation, CloseReason.rateLimited, 'rate_limited');
      return;
    }
    const { wire, maxMessageBytes } = this.settings;
    const inbound = readInbound(data, isBinary, wire.protocol, maxMessageBytes);
    if (inbound.kind === 'refused') {
      this.#refuse(inbound.code, inbound.reason, inbound.eviction);
      return;
    }
    let result: ReturnType<typeof session.publish>;
    try {
      result = session.publish(inbound.text);
    } catch (error) {
      this.deliveryFailed(error);
      return;
    }
    if (result === 'published') this.settings.metrics.received(data.length);
    else if (result === 'too-large') {
      this.#refuse(CloseCode.MessageTooBig, CloseReason.tooLarge, 'message_too_large');
    }
  }

  /** Closes for a client fault; the connection leaves the hub at once, not after the handshake. */
  #refuse(code: number, reason: string, eviction: TransportEviction): void {
    this.finalDelivery(true);
    this.leave(eviction, `${code} ${reason}`);
    try {
      this.#fail(code, reason);
    } catch (error) {
      // A close that ws refuses (a reason over 123 bytes) must not take the process down.
      this.settings.logger.error('close failed', { remote: this.remote, error: String(error) });
      this.ws.terminate();
    }
  }

  /**
   * Sends a close frame. The close frame is a write like any other: if the handshake has not
   * completed within `writeTimeoutMs` (an evicted client that stopped reading never answers),
   * the sweep cuts the socket off, as the original closes the connection once its close
   * message is written or its write deadline passes.
   */
  #closeWith(code: number, reason: string): void {
    this.ws.close(code, reason);
    // No field of its own: once closing, the ping time is the cut-off time.
    this.#nextPingAt = Math.floor(performance.now()) + this.settings.writeTimeoutMs;
  }

  /**
   * Fails the connection (RFC 6455 7.1.7): the close frame is queued, then the TCP connection
   * is closed without waiting for the client's close frame. A client evicted for a full send
   * buffer does not read, and one whose close frame waits behind more than a socket buffer of
   * earlier writes has stopped: their socket is destroyed at once. A refused client that reads gets the close frame and a
   * FIN; what it still sends is read and dropped (closing on unread data would send a reset,
   * which can destroy the close frame before the client reads it), and the socket is cut
   * after a short grace. Either way its per-address place is free at once.
   */
  #fail(code: number, reason: string, evicted = false): void {
    this.#closeWith(code, reason);
    const { socket } = this;
    this.settings.releaseSocket(socket);
    if (evicted || socket.writableLength > socket.writableHighWaterMark) {
      socket.destroy();
      return;
    }
    // With compression ws may write the close frame later: ending now would refuse it.
    if (!this.settings.wire.deflate) socket.end();
    cutOffAfter(socket);
  }

  /**
   * Keepalive and write deadline, called by the transport's sweep: a ping every
   * `pingIntervalMs`; nothing heard (not even a pong) for `pongTimeoutMs`, or writes in flight
   * with no progress for `writeTimeoutMs`, and the socket is cut.
   */
  checkTimers(now: number): void {
    if (this.#dropped) return;
    if (this.ws.readyState === this.ws.CLOSING) {
      // A close frame went out and the peer has not finished the handshake: cut it off by the
      // write deadline (ws itself would wait 30 s, holding the socket and its buffers).
      if (now >= this.#nextPingAt) this.ws.terminate();
      return;
    }
    if (this.ws.readyState !== this.ws.OPEN) return;
    const bytesRead = this.socket.bytesRead;
    if (bytesRead !== this.#bytesReadSeen) {
      this.#bytesReadSeen = bytesRead;
      this.#lastHeardAt = now;
    }
    if (now - this.#lastHeardAt >= this.settings.pongTimeoutMs) {
      this.#drop('no pong in time', 'pong_timeout');
    } else if (this.writeStalled(now)) {
      this.#drop('write not completed in time', 'write_timeout');
    } else if (now >= this.#nextPingAt) {
      this.#nextPingAt = now + this.settings.pingIntervalMs;
      this.ws.ping();
    }
  }

  /** The peer is unresponsive: a close frame would not get through, so cut the socket. */
  #drop(why: string, eviction: TransportEviction): void {
    if (this.#dropped) return;
    this.#dropped = true;
    this.leave(eviction, why);
    this.ws.terminate();
  }

  #onError(error: Error): void {
    // ws closes the connection itself with the matching code (1002, 1007, 1009, ...) and ends
    // the socket; as for the failures decided here, the place is free at once and a client that
    // does not close its side is cut after a short grace, not ws's own 30 s.
    const code = (error as NodeJS.ErrnoException).code ?? '';
    this.leave(evictionOfWsError(code), `${code} ${error.message}`.trim());
    this.settings.releaseSocket(this.socket);
    cutOffAfter(this.socket);
  }

  #onClose(code: number, reason: string): void {
    this.onClosed();
    const departure = NORMAL_CLOSE_CODES.has(code) ? 'left' : 'dropped';
    this.leave(departure, `close ${code}${reason === '' ? '' : ` ${reason}`}`);
  }
}
