import { randomBytes } from 'node:crypto';
import { connect as netConnect, type Socket } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  close,
  decodeFrame,
  encodeFrame,
  type FrameSpec,
  Op,
  type ServerFrame,
  text,
} from './frames.ts';

export type { ServerFrame };

/** How long any wait here may take: a safety net against hangs, never an assertion on speed. */
export const SAFETY_MS = 5_000;

/**
 * A WebSocket client on a plain TCP socket: it sends whatever bytes it is given and records
 * every frame the server sends. Waits are event-driven (re-checked on every frame and on the
 * socket closing), so thousands of cases stay fast. Like a well-behaved client, it answers the
 * server's close frame with one of its own, so the server can end the TCP connection.
 */
export class RawConnection {
  readonly frames: ServerFrame[] = [];
  /** Resolves once the TCP connection has closed (both ways). */
  readonly closed: Promise<void>;
  #isClosed = false;
  #buffer: Buffer = Buffer.alloc(0);
  readonly #waiters = new Set<() => void>();

  private constructor(
    readonly socket: Socket,
    /** The handshake response head (status line and headers). */
    readonly head: string,
    rest: Buffer,
  ) {
    socket.setNoDelay(true);
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.#isClosed = true;
        this.#notify();
        resolve();
      }),
    );
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    this.#receive(rest);
  }

  /** Opens a TCP connection and performs the opening handshake on /ws (plus `extraHeaders`). */
  static async open(port: number, extraHeaders = ''): Promise<RawConnection> {
    const socket = netConnect(port, '127.0.0.1');
    socket.on('error', () => {}); // a reset shows up as 'close'; the frames tell the story
    const key = randomBytes(16).toString('base64');
    socket.write(
      `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\n` +
        `Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${key}\r\n` +
        `${extraHeaders}\r\n`,
    );
    const { head, rest } = await new Promise<{ head: string; rest: Buffer }>((resolve, reject) => {
      let received = Buffer.alloc(0);
      const timer = setTimeout(
        () => fail(new Error('timed out waiting for the handshake')),
        SAFETY_MS,
      );
      const onData = (chunk: Buffer): void => {
        received = Buffer.concat([received, chunk]);
        const end = received.indexOf('\r\n\r\n');
        if (end === -1) return;
        cleanUp();
        resolve({
          head: received.subarray(0, end).toString('latin1'),
          rest: received.subarray(end + 4),
        });
      };
      const onClose = (): void => fail(new Error('the socket closed during the handshake'));
      const cleanUp = (): void => {
        clearTimeout(timer);
        socket.off('data', onData);
        socket.off('close', onClose);
      };
      const fail = (error: Error): void => {
        cleanUp();
        socket.destroy();
        reject(error);
      };
      socket.on('data', onData);
      socket.once('close', onClose);
    });
    if (!head.startsWith('HTTP/1.1 101 ')) {
      socket.destroy();
      throw new Error(`upgrade refused: ${head.split('\r\n')[0]}`);
    }
    return new RawConnection(socket, head, rest);
  }

  get isClosed(): boolean {
    return this.#isClosed;
  }

  /** Payloads of the text frames received so far. */
  get texts(): Buffer[] {
    return this.frames.filter((f) => f.opcode === Op.text).map((f) => f.payload);
  }

  get pongs(): Buffer[] {
    return this.frames.filter((f) => f.opcode === Op.pong).map((f) => f.payload);
  }

  /** The first close frame the server sent, if any. */
  get closeFrame(): ServerFrame | undefined {
    return this.frames.find((f) => f.opcode === Op.close);
  }

  /** Writes raw bytes, unless the socket can no longer be written. */
  write(data: Buffer): void {
    if (this.socket.writable) this.socket.write(data);
  }

  /** Writes each chunk in turn; with `pause`, lets the event loop turn between chunks. */
  async writeChunks(chunks: readonly Buffer[], pause: boolean): Promise<void> {
    for (const [index, chunk] of chunks.entries()) {
      if (pause && index > 0) await nextTurn();
      this.write(chunk);
    }
  }

  send(...frames: FrameSpec[]): void {
    this.write(Buffer.concat(frames.map(encodeFrame)));
  }

  sendText(data: string | Buffer): void {
    this.send(text(data));
  }

  /**
   * Resolves with `check()`'s first value other than `undefined`, re-checked on every frame and
   * when the socket closes; rejects after `timeoutMs` naming `what` and what arrived.
   */
  until<T>(check: () => T | undefined, what: string, timeoutMs = SAFETY_MS): Promise<T> {
    const now = check();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise<T>((resolve, reject) => {
      const waiter = (): void => {
        const value = check();
        if (value === undefined) return;
        done();
        resolve(value);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting for ${what}; received ${this.describe()}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
      };
      this.#waiters.add(waiter);
    });
  }

  /** Waits for the TCP connection to close; rejects (and destroys it) if it stays open. */
  async waitClosed(what = 'the server to close the TCP connection'): Promise<void> {
    try {
      await this.until(() => (this.#isClosed ? true : undefined), what);
    } finally {
      this.socket.destroy();
    }
  }

  /** Sends a close frame and waits until the connection is closed. */
  async close(code = 1000): Promise<void> {
    if (this.#isClosed) return;
    this.send(close(code));
    await this.waitClosed('the close handshake to finish');
  }

  /** A short account of the frames received, for failure messages. */
  describe(): string {
    const shown = this.frames.map((f) => {
      const data = f.payload.length > 24 ? `${f.payload.length} bytes` : f.payload.toString('hex');
      return `${f.opcode}${f.fin ? '' : '~'}[${data}]`;
    });
    return `[${shown.join(' ')}]${this.#isClosed ? ' then TCP close' : ''}`;
  }

  destroy(): void {
    this.socket.destroy();
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }

  #receive(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    let parsed = false;
    for (;;) {
      const next = decodeFrame(this.#buffer);
      if (next === undefined) break;
      this.#buffer = this.#buffer.subarray(next.size);
      this.frames.push(next.frame);
      parsed = true;
      const { opcode, payload } = next.frame;
      if (opcode === Op.close && this.frames.filter((f) => f.opcode === Op.close).length === 1) {
        // Answer the server's close as a client must (echoing its code, if any).
        this.write(encodeFrame(close(payload.length >= 2 ? payload.readUInt16BE(0) : undefined)));
      }
    }
    if (parsed) this.#notify();
  }
}
