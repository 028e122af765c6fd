import type { Socket } from 'node:net';
import type { Logger } from '../../app/ports/logger.port.ts';
import type { Peer } from '../../app/ports/transport.port.ts';
import type { Session } from '../../app/session.ts';
import type { DepartureReason, Seq } from '../../domain/index.ts';
import { encodeLine, LineReader, ServerLine } from './line-codec.ts';

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
}>;

/**
 * One TCP line-protocol client. Inbound lines are published; broadcasts are taken from the
 * session while the socket holds less than `highWaterBytes`, written in one write and
 * acknowledged; 'drain' resumes taking. A reader that stops reading stops the socket draining,
 * taking stops, and the hub evicts it when its send buffer is full.
 */
export class TcpConnection implements Peer {
  #session: Session | undefined;
  #takenUpTo: Seq = 0;
  #scheduled = false;
  #ended = false;
  readonly #reader: LineReader;
  /** Writes handed to the socket whose callback has not come yet, for the write deadline. */
  #inFlight = 0;
  #writeProgressAt = 0;
  readonly #flush = (): void => {
    this.#scheduled = false;
    this.#guarded(() => this.#take());
  };
  readonly #written = (error?: Error | null): void => {
    this.#inFlight--;
    if (!error) this.#writeProgressAt = Math.floor(performance.now());
  };

  constructor(
    readonly socket: Socket,
    private readonly settings: TcpConnectionSettings,
    private readonly logger: Logger,
  ) {
    this.#reader = new LineReader(settings.maxMessageBytes);
    socket.on('error', settings.onSocketError);
    socket.on('close', () => this.#onClose());
  }

  attach(session: Session): void {
    this.#session = session;
    this.#takenUpTo = session.joinedAfter;
    this.socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    this.socket.on('drain', this.#flush);
    this.socket.on('end', () => this.#leave('left', 'client ended'));
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
        // A reader that stopped reading will rarely see this line: it is written if possible.
        if (this.socket.writable) this.socket.write(ServerLine.sendBufferFull);
        this.socket.destroy();
        return;
      case 'shutdown':
        this.#end(ServerLine.shuttingDown);
        return;
      case 'left':
      case 'dropped':
        this.socket.destroy();
        return;
      default: {
        const unknown: never = reason;
        throw new Error(`unknown departure ${String(unknown)}`);
      }
    }
  }

  /** Writes must progress within `writeTimeoutMs`; called by the transport's sweep. */
  checkTimers(now: number): void {
    if (this.#inFlight > 0 && now - this.#writeProgressAt >= this.settings.writeTimeoutMs) {
      this.logger.warn('connection dropped', {
        remote: this.#remote,
        reason: 'write not completed in time',
      });
      this.#leave('dropped', 'write not completed in time');
      this.socket.destroy();
    }
  }

  /** Takes what the socket has room for, writes it in one write, and acknowledges it. */
  #take(): void {
    const session = this.#session;
    if (session === undefined || this.#ended || !session.isOpen || !this.socket.writable) return;
    while (
      this.#takenUpTo < session.head &&
      this.socket.writableLength < this.settings.highWaterBytes
    ) {
      const messages = session.read(this.#takenUpTo, this.settings.sendBuffer);
      if (messages.length === 0) return;
      let lines = '';
      for (const message of messages) lines += encodeLine(message.text);
      if (this.#inFlight++ === 0) this.#writeProgressAt = Math.floor(performance.now());
      this.socket.write(lines, this.#written);
      this.#takenUpTo = (messages[messages.length - 1] as { seq: Seq }).seq;
      session.acknowledge(this.#takenUpTo);
    }
  }

  #onData(chunk: Buffer): void {
    const session = this.#session;
    if (session === undefined || this.#ended) return; // a closing connection discards input
    this.#guarded(() => {
      const result = this.#reader.push(chunk, (line) => {
        // Invalid UTF-8 is decoded with U+FFFD in place of the bad bytes.
        if (session.publish(line.toString('utf8')) === 'too-large') {
          this.#refuseTooLarge();
          return false;
        }
        return !this.#ended;
      });
      if (result === 'too-large') this.#refuseTooLarge();
    });
  }

  /** The 1009 of this transport: an error line, then the connection is closed. */
  #refuseTooLarge(): void {
    if (this.#ended) return;
    this.logger.warn('connection refused a message', {
      remote: this.#remote,
      reason: 'message too large',
    });
    this.#leave('dropped', 'message too large');
    this.#end(ServerLine.tooLarge);
  }

  /**
   * Sends a last line and ends the socket; input that still arrives is read and discarded, so
   * the line is not lost to a reset. A peer that does not close in time is destroyed.
   */
  #end(line: string): void {
    this.#ended = true;
    if (this.socket.destroyed) return;
    this.socket.end(line);
    const cutOff = setTimeout(() => this.socket.destroy(), this.settings.closeGraceMs);
    cutOff.unref();
    this.socket.once('close', () => clearTimeout(cutOff));
  }

  /** Runs a call into the hub; a bug of ours ends this connection only, and says so. */
  #guarded(call: () => void): void {
    try {
      call();
    } catch (error) {
      this.logger.error('connection failed', { remote: this.#remote, error: String(error) });
      this.#leave('dropped', 'internal error');
      this.socket.destroy();
    }
  }

  get #remote(): string {
    const { remoteAddress, remotePort } = this.socket;
    return remoteAddress === undefined ? 'unknown' : `${remoteAddress}:${remotePort}`;
  }

  #onClose(): void {
    this.settings.closed(this);
    this.#leave('dropped', 'connection closed');
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
