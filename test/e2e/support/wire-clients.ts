// Clients that record exactly what the server put on the wire, for shutdown tests: a raw
// WebSocket client (either subprotocol) that notes every byte after the server's close frame, a
// raw TCP line client and an SSE stream reader that keep the whole byte stream.
import { createHash, randomBytes } from 'node:crypto';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { connect as netConnect, type Socket } from 'node:net';
import { readHead } from '../../adapters/support/raw-ws.ts';
import { openEventStream } from '../../adapters/support/sse-client.ts';
import { within } from '../../adapters/support/ws-client.ts';
import { type DecodedFrame, FrameReader, maskedFrame, Opcode } from '../../support/ws-frames.ts';

export type WireFrame = DecodedFrame;

/** What a raw client does when the server's close frame arrives. */
export type OnServerClose =
  /** Answers with a close frame at once, as RFC 6455 asks, and waits for the server's FIN. */
  | 'answer'
  /** Never answers: it keeps the connection open (and may keep sending) until cut off. */
  | 'ignore';

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** What both socket clients note about how their connection ended, and who ended it. */
abstract class WireSocketClient {
  /** The server ended the connection (FIN) before we closed it ourselves, and when. */
  endedByServer = false;
  endedAt: number | undefined;
  /** We destroyed the socket (teardown, or a failed handshake), not the server. */
  destroyedByUs = false;
  /** When the socket fully closed. */
  closedAt: number | undefined;
  readonly errors: Error[] = [];
  readonly ended: Promise<void>;
  #closed = false;

  constructor(readonly socket: Socket) {
    socket.on('end', () => {
      if (!this.destroyedByUs) this.endedByServer = true;
      this.endedAt = Date.now();
    });
    this.ended = new Promise((resolve) =>
      socket.once('close', () => {
        this.#closed = true;
        this.closedAt = Date.now();
        resolve();
      }),
    );
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  destroy(): void {
    if (!this.#closed) this.destroyedByUs = true;
    this.socket.destroy();
  }
}

/**
 * A WebSocket client on a bare socket. It records every frame, the server's close frame (code,
 * reason) and every byte that arrives after it, whether the server ended the TCP connection
 * (FIN) on its own, and how many frames it sent after the close frame arrived.
 */
export class WireWsClient extends WireSocketClient {
  /** Every frame the server sent before its close frame, in order. */
  readonly frames: WireFrame[] = [];
  /** The server's close frame, once it arrived. */
  closeFrame: WireFrame | undefined;
  closeFrameAt: number | undefined;
  /** Bytes received after the last byte of the server's close frame: must stay 0. */
  bytesAfterClose = 0;
  /** Frames that could be parsed from those bytes, to say what they were. */
  readonly framesAfterClose: WireFrame[] = [];
  /** Frames we wrote after the server's close frame arrived (pings and data). */
  sentAfterClose = 0;
  readonly #reader = new FrameReader();

  private constructor(
    readonly name: string,
    socket: Socket,
    readonly protocol: string | undefined,
    readonly onServerClose: OnServerClose,
    rest: Buffer,
  ) {
    super(socket);
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    this.#receive(rest);
  }

  /**
   * Opens `/ws` on 127.0.0.1:`port`, offering `protocol` when given, and resolves once the
   * server answered 101 with the right accept key and the protocol it should select.
   */
  static async open(
    port: number,
    options: Readonly<{ name: string; protocol?: string; onServerClose: OnServerClose }>,
  ): Promise<WireWsClient> {
    const socket = netConnect(port, '127.0.0.1');
    socket.setNoDelay(true);
    const errors: Error[] = [];
    socket.on('error', (error) => errors.push(error));
    const key = randomBytes(16).toString('base64');
    const offer =
      options.protocol === undefined ? '' : `Sec-WebSocket-Protocol: ${options.protocol}\r\n`;
    socket.write(
      `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\n` +
        `Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${key}\r\n${offer}\r\n`,
    );
    let head: string;
    let rest: Buffer;
    try {
      ({ head, rest } = await within(readHead(socket), `the handshake of ${options.name}`));
    } catch (error) {
      socket.destroy();
      throw error;
    }
    const fail = (why: string): never => {
      socket.destroy();
      throw new Error(`${options.name}: ${why}: ${head.split('\r\n')[0]}`);
    };
    if (!head.startsWith('HTTP/1.1 101 ')) fail('upgrade refused');
    const headers = parseHeaders(head);
    const accept = createHash('sha1')
      .update(key + WS_GUID)
      .digest('base64');
    if (headers.get('sec-websocket-accept') !== accept) fail('wrong Sec-WebSocket-Accept');
    if (headers.get('sec-websocket-protocol') !== options.protocol) {
      fail(`selected protocol ${headers.get('sec-websocket-protocol')}`);
    }
    if (headers.has('sec-websocket-extensions')) fail('an extension was negotiated');
    const client = new WireWsClient(
      options.name,
      socket,
      options.protocol,
      options.onServerClose,
      rest,
    );
    client.errors.push(...errors);
    socket.on('error', (error) => client.errors.push(error));
    return client;
  }

  /** The server's close code and reason, once its close frame arrived. */
  get close(): Readonly<{ code: number; reason: string }> | undefined {
    const payload = this.closeFrame?.payload;
    if (payload === undefined) return undefined;
    if (payload.length < 2) return { code: 1005, reason: '' };
    return { code: payload.readUInt16BE(0), reason: payload.subarray(2).toString('utf8') };
  }

  /** Whether a data frame may still be written: the socket is open and we sent no close. */
  get canSend(): boolean {
    if (this.isClosed || this.socket.destroyed || !this.socket.writable) return false;
    return this.closeFrame === undefined || this.onServerClose === 'ignore';
  }

  /** Sends one masked text frame; returns false (sending nothing) once it cannot. */
  sendText(text: string): boolean {
    return this.#send(Opcode.text, Buffer.from(text, 'utf8'));
  }

  /** Sends one masked ping; returns false (sending nothing) once it cannot. */
  ping(): boolean {
    return this.#send(Opcode.ping, Buffer.from('still here'));
  }

  #send(opcode: number, payload: Buffer): boolean {
    if (!this.canSend) return false;
    if (this.closeFrame !== undefined) this.sentAfterClose++;
    this.socket.write(maskedFrame(opcode, payload));
    return true;
  }

  #receive(chunk: Buffer): void {
    if (this.closeFrame !== undefined) this.bytesAfterClose += chunk.length;
    this.#reader.push(chunk);
    for (let frame = this.#reader.next(); frame !== undefined; frame = this.#reader.next()) {
      if (this.closeFrame !== undefined) {
        this.framesAfterClose.push(frame);
      } else if (frame.opcode === Opcode.close) {
        this.closeFrame = frame;
        this.closeFrameAt = Date.now();
        // Whatever followed the close frame in the same chunk came after it.
        this.bytesAfterClose += this.#reader.buffered;
        if (this.onServerClose === 'answer' && this.socket.writable) {
          const code = Buffer.alloc(2);
          code.writeUInt16BE(this.close?.code === 1005 ? 1000 : (this.close?.code ?? 1000));
          this.socket.write(maskedFrame(Opcode.close, code));
        }
      } else {
        this.frames.push(frame);
      }
    }
  }
}

const parseHeaders = (head: string): Map<string, string> =>
  new Map(
    head
      .split('\r\n')
      .slice(1)
      .map((line) => {
        const colon = line.indexOf(':');
        return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
      }),
  );

/** A TCP line-protocol client that keeps every byte the server sent, as text. */
export class WireTcpClient extends WireSocketClient {
  received = '';

  private constructor(socket: Socket) {
    super(socket);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.received += chunk;
    });
    socket.on('error', (error) => this.errors.push(error));
  }

  static async open(port: number): Promise<WireTcpClient> {
    const socket = netConnect(port, '127.0.0.1');
    const client = new WireTcpClient(socket);
    await within(
      new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('close', () => reject(new Error(`TCP connect to ${port} failed`)));
      }),
      `the TCP connection to port ${port}`,
    );
    return client;
  }

  /** Complete lines received so far. */
  get lines(): string[] {
    const lines = this.received.split('\n');
    lines.pop();
    return lines;
  }

  /** Sends one line; returns false (sending nothing) once the connection is ending. */
  sendLine(text: string): boolean {
    if (this.isClosed || !this.socket.writable || this.endedByServer) return false;
    this.socket.write(`${text}\n`);
    return true;
  }
}

/** `GET /events`, the whole decoded body kept as text. */
export class WireSseClient {
  body = '';
  /** The response ended normally (its last chunk arrived), and when. */
  completed = false;
  completedAt: number | undefined;
  readonly errors: Error[] = [];
  readonly ended: Promise<void>;
  #closed = false;

  private constructor(
    readonly request: ClientRequest,
    readonly response: IncomingMessage,
  ) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      this.body += chunk;
    });
    response.on('end', () => {
      this.completed = true;
      this.completedAt = Date.now();
    });
    response.on('error', (error) => this.errors.push(error));
    request.on('error', (error) => this.errors.push(error));
    this.ended = new Promise((resolve) =>
      response.once('close', () => {
        this.#closed = true;
        resolve();
      }),
    );
  }

  static async open(port: number): Promise<WireSseClient> {
    const { request, response } = await openEventStream(`http://127.0.0.1:${port}`);
    return new WireSseClient(request, response);
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  /** Complete events so far (blocks ended by a blank line), each as its lines. */
  get blocks(): string[][] {
    const blocks = this.body.split('\n\n');
    blocks.pop(); // the part after the last blank line: incomplete, or empty
    return blocks.map((block) => block.split('\n'));
  }

  destroy(): void {
    this.request.destroy();
  }
}
