import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { Config } from '../../app/config.ts';
import type { Logger } from '../../app/ports/logger.port.ts';
import type { TransportMetrics } from '../../app/ports/metrics.port.ts';
import type { Peer } from '../../app/ports/transport.port.ts';
import type { Session, TransportDeparture, TransportEviction } from '../../app/session.ts';
import type { DepartureReason, Seq } from '../../domain/index.ts';
import { peerAddress } from '../kit/peer-address.ts';
import { bucketFor, type RateLimit, type TokenBucket } from '../kit/token-bucket.ts';
import { CloseCode, CloseReason } from './close-codes.ts';
import { evictionOfWsError, readInbound, type WireProtocol } from './inbound.ts';
import { type Outbound, type OutboundCache, plainFrameOf, v1ItemOf } from './outbound-cache.ts';

export type { WireProtocol } from './inbound.ts';

export type WsConnectionSettings = Pick<
  Config,
  'pingIntervalMs' | 'pongTimeoutMs' | 'writeTimeoutMs' | 'maxMessageBytes' | 'sendBuffer'
> & {
  protocol: WireProtocol;
  /** Bytes this connection may hold in user space before it waits for writes to complete. */
  highWaterBytes: number;
  cache: OutboundCache;
  /** Asks for `flush()` once the current turn of the event loop has made its broadcasts. */
  scheduleFlush: (connection: WsConnection) => void;
  /** The socket has closed: the transport stops sweeping this connection. */
  closed: (connection: WsConnection) => void;
  /**
   * Take at once when this far behind (a quarter of the send buffer), so a burst in one turn
   * never looks like a stall; a connection that keeps up also acknowledges every this many
   * broadcasts, not every turn: the hub then sees it at most half its buffer behind, never
   * full. One that stops taking acknowledges exactly, so its eviction comes at the true count.
   */
  takeEagerlyAfter: number;
  /** Logs a socket error (`this` is the socket); one function for every connection. */
  onSocketError: (this: Socket, error: NodeJS.ErrnoException) => void;
  rateLimit: RateLimit;
  metrics: TransportMetrics;
};

const NO_OUTBOX: Outbound[] = [];
const NORMAL_CLOSE_CODES = new Set([1000, 1001, 1005]);
/** Taken messages worth writing at once rather than at the end of the turn. */
const WRITE_NOW_BYTES = 16 * 1024;

/**
 * One WebSocket client. It takes broadcasts from the hub into an outbox (references to shared,
 * already encoded messages) and acknowledges them, as the original's write pump takes messages
 * off the connection's channel; at the end of the turn it writes the whole outbox in one corked
 * write (plain) or one frame (hubbub.v1). It takes only while its socket holds less than
 * `highWaterBytes`: a reader that stops reading stops the socket draining, taking stops, and the
 * hub sees its pending count grow until a broadcast finds it full.
 */
export class WsConnection implements Peer {
  #session: Session | undefined;
  /** Last broadcast taken into the outbox, and last one acknowledged to the hub. */
  #takenUpTo: Seq = 0;
  #acknowledgedUpTo: Seq = 0;
  /** Shared and empty until the first broadcast: idle connections allocate no outbox. */
  #outbox: Outbound[] = NO_OUTBOX;
  #outboxBytes = 0;
  #flushScheduled = false;
  /** Taking stopped at the high-water mark; a completed write resumes it. */
  #blocked = false;
  /** Writes handed to the socket whose callback has not come yet. */
  #inFlight = 0;
  #ended = false;
  #dropped = false;
  readonly #deflate: boolean;
  /** Times on the `performance.now()` clock, checked by the transport's sweep (`checkTimers`). */
  #nextPingAt: number;
  /**
   * When the peer last sent anything (a pong answers every ping). Read from the socket's byte
   * count by the sweep rather than from a 'pong' listener: one listener fewer per connection.
   */
  #lastHeardAt: number;
  #bytesReadSeen = 0;
  /** When the oldest write still in flight started, or the last one completed. */
  #writeProgressAt = 0;
  // A bound method: no per-connection closure of our own (tsx's keepNames makes those costly).
  #onWritten: ((error?: Error | null) => void) | undefined;
  /** Made on the first message: connections that only listen never need one. */
  #bucket: TokenBucket | undefined;

  constructor(
    readonly ws: WebSocket,
    private readonly socket: Socket,
    private readonly settings: WsConnectionSettings,
    private readonly logger: Logger,
    /** The client's address, as the connection limits counted it. */
    readonly address: string | undefined,
  ) {
    // Compressed connections need ws's encoder; all others get the shared, prebuilt frames.
    this.#deflate = ws.extensions.includes('permessage-deflate');
    // ws handles socket errors by destroying the socket; this only records why, once.
    socket.on('error', settings.onSocketError);
    ws.on('error', (error) => this.#onError(error));
    ws.on('close', (code, reason) => this.#onClose(code, reason.toString()));
    this.#lastHeardAt = Math.floor(performance.now());
    this.#nextPingAt = this.#lastHeardAt + settings.pingIntervalMs;
  }

  get transport(): string {
    return 'ws';
  }

  get remote(): string {
    return peerAddress(this.socket);
  }

  attach(session: Session): void {
    this.#session = session;
    this.#takenUpTo = session.joinedAfter;
    this.#acknowledgedUpTo = session.joinedAfter;
    this.ws.on('message', (data, isBinary) => this.#onMessage(data as Buffer, isBinary));
  }

  wake(head: Seq): void {
    if (this.#ended) return;
    if (head - this.#takenUpTo >= this.settings.takeEagerlyAfter)
      this.#guarded(() => this.#takeAndWrite(false));
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      this.settings.scheduleFlush(this);
    }
  }

  /** End of the turn: take what is new and write everything taken. */
  flush(): void {
    this.#flushScheduled = false;
    this.#guarded(() => this.#takeAndWrite(true));
  }

  close(reason: DepartureReason): void {
    // What it has taken goes out before the close frame: taken means on its way. On shutdown
    // so does everything broadcast before it (see #writeBeforeClosing); an evicted client is
    // not reading, so nothing more is taken for it.
    this.#writeBeforeClosing(reason === 'shutdown');
    this.#ended = true;
    switch (reason) {
      case 'send_buffer_full':
        this.#fail(CloseCode.PolicyViolation, CloseReason.sendBufferFull);
        return;
      case 'shutdown':
        this.#closeWith(CloseCode.GoingAway, CloseReason.shuttingDown);
        return;
      default:
        // The hub closes a connection for these two reasons only; anything else ends it.
        this.ws.terminate();
        return;
    }
  }

  /**
   * Takes what is new and writes it: always at the end of the turn; during a turn as soon as a
   * quarter of the send buffer or 16 KiB has been taken, so that a burst of any size read in
   * one turn goes out as it is made, and only a socket that stops draining stops it.
   */
  #takeAndWrite(endOfTurn: boolean): void {
    const session = this.#session;
    if (session === undefined || !session.isOpen || this.ws.readyState !== this.ws.OPEN) return;
    for (;;) {
      this.#take(session);
      const enough =
        this.#outbox.length >= this.settings.takeEagerlyAfter ||
        this.#outboxBytes >= WRITE_NOW_BYTES;
      if (this.#outbox.length === 0 || !(endOfTurn || enough)) return;
      this.#write(session);
      const caughtUp = this.#takenUpTo >= session.head;
      if (caughtUp || this.ws.bufferedAmount >= this.settings.highWaterBytes) return;
    }
  }

  #take(session: Session, room = this.settings.highWaterBytes - this.ws.bufferedAmount): void {
    const head = session.head;
    let seq = this.#takenUpTo;
    while (
      seq < head &&
      this.#outboxBytes < room &&
      this.#outbox.length < this.settings.sendBuffer
    ) {
      seq += 1;
      const outbound = this.settings.cache.get(seq, head, session);
      if (this.#outbox === NO_OUTBOX) this.#outbox = [];
      this.#outbox.push(outbound);
      this.#outboxBytes += this.#sizeOf(outbound);
    }
    this.#blocked = seq < head;
    this.#takenUpTo = seq;
    if (
      seq - this.#acknowledgedUpTo >= this.settings.takeEagerlyAfter ||
      (this.#blocked && seq > this.#acknowledgedUpTo)
    ) {
      this.#acknowledgedUpTo = seq;
      session.acknowledge(seq);
    }
  }

  #sizeOf(outbound: Outbound): number {
    if (this.#deflate) return Buffer.byteLength(outbound.text) + 2;
    return this.settings.protocol === 'plain'
      ? plainFrameOf(outbound).length
      : v1ItemOf(outbound).length + 1;
  }

  #write(session: Session): void {
    const outbox = this.#outbox;
    if (outbox.length === 0) return;
    // Bytes before compression, with a deflated connection.
    let bytes = this.#outboxBytes;
    if (this.#deflate) this.#writeThroughWs(outbox);
    else if (this.settings.protocol === 'hubbub.v1') {
      const itemBytes = this.#outboxBytes - outbox.length;
      const frame = this.settings.cache.v1Frame(outbox, itemBytes, session.head);
      bytes = frame.length;
      this.socket.write(frame, this.#writeCallback());
    } else if (outbox.length === 1) {
      this.socket.write(plainFrameOf(outbox[0] as Outbound), this.#writeCallback());
    } else {
      this.socket.cork();
      const last = outbox.length - 1;
      for (let i = 0; i < last; i++) this.socket.write(plainFrameOf(outbox[i] as Outbound));
      this.socket.write(plainFrameOf(outbox[last] as Outbound), this.#writeCallback());
      this.socket.uncork();
    }
    this.settings.metrics.delivered(outbox.length, bytes);
    outbox.length = 0;
    this.#outboxBytes = 0;
    if (this.#inFlight++ === 0) this.#writeProgressAt = Math.floor(performance.now());
  }

  #writeThroughWs(outbox: readonly Outbound[]): void {
    if (this.settings.protocol === 'hubbub.v1') {
      const items = outbox.map((outbound) => v1ItemOf(outbound).toString());
      this.ws.send(`[${items.join(',')}]`, this.#writeCallback());
      return;
    }
    const last = outbox.length - 1;
    for (let i = 0; i < last; i++) this.ws.send((outbox[i] as Outbound).text);
    this.ws.send((outbox[last] as Outbound).text, this.#writeCallback());
  }

  /** A write reached the kernel: progress for the write deadline, and room for more. */
  #written(error: Error | null | undefined): void {
    this.#inFlight--;
    if (error) return; // the socket failed; 'close' follows
    if (this.#inFlight > 0) this.#writeProgressAt = Math.floor(performance.now());
    if (this.#blocked && this.ws.bufferedAmount < this.settings.highWaterBytes / 2) {
      this.#blocked = false;
      this.flush();
    }
  }

  #onMessage(data: Buffer, isBinary: boolean): void {
    const session = this.#session;
    // Frames that arrive after the server began closing are not chat messages any more.
    if (session === undefined || this.#ended || this.ws.readyState !== this.ws.OPEN) return;
    if (!this.#withinRate()) {
      this.#refuse(CloseCode.PolicyViolation, CloseReason.rateLimited, 'rate_limited');
      return;
    }
    const { protocol, maxMessageBytes } = this.settings;
    const inbound = readInbound(data, isBinary, protocol, maxMessageBytes);
    if (inbound.kind === 'refused') {
      this.#refuse(inbound.code, inbound.reason, inbound.eviction);
      return;
    }
    this.#guarded(() => {
      const result = session.publish(inbound.text);
      if (result === 'published') this.settings.metrics.received(data.length);
      else if (result === 'too-large') {
        this.#refuse(CloseCode.MessageTooBig, CloseReason.tooLarge, 'message_too_large');
      }
    });
  }

  #withinRate(): boolean {
    const now = performance.now();
    this.#bucket ??= bucketFor(this.settings.rateLimit, now);
    return this.#bucket === undefined || this.#bucket.take(now);
  }

  /** Closes for a client fault; the connection leaves the hub at once, not after the handshake. */
  #refuse(code: number, reason: string, eviction: TransportEviction): void {
    this.#writeBeforeClosing(true);
    this.#leave(eviction, `${code} ${reason}`);
    try {
      this.#fail(code, reason);
    } catch (error) {
      // A close that ws refuses (a reason over 123 bytes) must not take the process down.
      this.logger.error('close failed', { remote: peerAddress(this.socket), error: String(error) });
      this.ws.terminate();
    }
  }

  /**
   * Writes what is taken, and with `everything` all that was broadcast before now (still in the
   * batch window, or past the high-water mark), ahead of a close frame: the hub accepted those
   * messages, and the original too drains a client's send channel before its close message.
   */
  #writeBeforeClosing(everything: boolean): void {
    const session = this.#session;
    if (session === undefined || this.#ended || this.ws.readyState !== this.ws.OPEN) return;
    this.#guarded(() => {
      if (everything) this.#take(session, Number.POSITIVE_INFINITY);
      this.#write(session);
    });
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
   * Fails the connection (RFC 6455 7.1.7): the close frame, then the TCP connection is closed
   * at once, without waiting for the client's close frame or processing anything more it sends
   * (ws would otherwise keep reading, and wait for the client's close, a partial frame
   * included). Without compression ws has written the close frame by now, so the FIN follows
   * it; with compression it may still be queued, and the sweep's cut-off ends the socket.
   */
  #fail(code: number, reason: string): void {
    this.#closeWith(code, reason);
    if (!this.#deflate) this.socket.end();
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
    } else if (this.#inFlight > 0 && now - this.#writeProgressAt >= this.settings.writeTimeoutMs) {
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
    this.#leave(eviction, why);
    this.ws.terminate();
  }

  /** Runs a call into the hub; a bug of ours ends this connection only, and says so. */
  #guarded(call: () => void): void {
    try {
      call();
    } catch (error) {
      this.logger.error('connection failed', {
        remote: peerAddress(this.socket),
        error: String(error),
      });
      this.#leave('dropped', 'internal error');
      this.ws.terminate();
    }
  }

  #onError(error: Error): void {
    // ws closes the connection itself with the matching code (1002, 1007, 1009, ...).
    const code = (error as NodeJS.ErrnoException).code ?? '';
    this.#leave(evictionOfWsError(code), `${code} ${error.message}`.trim());
  }

  /** Made on the first write: idle connections never need it. */
  #writeCallback(): (error?: Error | null) => void {
    this.#onWritten ??= this.#written.bind(this);
    return this.#onWritten;
  }

  #onClose(code: number, reason: string): void {
    this.settings.closed(this);
    const departure = NORMAL_CLOSE_CODES.has(code) ? 'left' : 'dropped';
    this.#leave(departure, `close ${code}${reason === '' ? '' : ` ${reason}`}`);
  }

  #leave(reason: TransportDeparture, detail: string): void {
    this.#ended = true;
    this.#outbox = NO_OUTBOX;
    this.#session?.leave(reason, detail);
  }
}
