import { randomBytes } from 'node:crypto';
import { connect as netConnect, type Socket } from 'node:net';
import { SAFETY_MS, waitUntil, within } from './ws-client.ts';

export type Frame = Readonly<{ fin: boolean; opcode: number; payload: Buffer }>;

export const Opcode = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const;

/**
 * A WebSocket client speaking raw frames over node:net, to see exactly what is on the wire
 * (how many frames, which opcodes) and to send frames the `ws` client would not.
 */
export class RawWsClient {
  readonly frames: Frame[] = [];
  #buffer: Buffer = Buffer.alloc(0);
  readonly ended: Promise<void>;

  private constructor(
    readonly socket: Socket,
    rest: Buffer,
  ) {
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    this.ended = new Promise((resolve) => socket.once('close', () => resolve()));
    this.#receive(rest);
  }

  /** Performs the opening handshake on `path` and resolves once the server answered 101. */
  static async open(port: number, path = '/ws'): Promise<RawWsClient> {
    const socket = netConnect(port, '127.0.0.1');
    socket.on('error', () => {});
    const key = randomBytes(16).toString('base64');
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\n` +
        `Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${key}\r\n\r\n`,
    );
    const { head, rest } = await within(
      new Promise<{ head: string; rest: Buffer }>((resolve, reject) => {
        let received = Buffer.alloc(0);
        const onData = (chunk: Buffer): void => {
          received = Buffer.concat([received, chunk]);
          const end = received.indexOf('\r\n\r\n');
          if (end === -1) return;
          socket.off('data', onData);
          resolve({
            head: received.subarray(0, end).toString('latin1'),
            rest: received.subarray(end + 4),
          });
        };
        socket.on('data', onData);
        socket.once('close', () => reject(new Error('socket closed during the handshake')));
      }),
      'the raw handshake',
    );
    if (!head.startsWith('HTTP/1.1 101 ')) {
      socket.destroy();
      throw new Error(`upgrade refused: ${head.split('\r\n')[0]}`);
    }
    return new RawWsClient(socket, rest);
  }

  /** One client frame, masked as RFC 6455 requires of clients. */
  static maskedFrame(opcode: number, data: Buffer | string, fin = true): Buffer {
    const payload = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const mask = randomBytes(4);
    const length = payload.length;
    const header =
      length < 126
        ? Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | length])
        : length < 65_536
          ? Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | 126, length >> 8, length & 0xff])
          : (() => {
              const h = Buffer.alloc(10);
              h[0] = (fin ? 0x80 : 0) | opcode;
              h[1] = 0x80 | 127;
              h.writeBigUInt64BE(BigInt(length), 2);
              return h;
            })();
    const masked = Buffer.from(payload);
    for (let i = 0; i < masked.length; i++) masked[i] = (masked[i] ?? 0) ^ (mask[i % 4] ?? 0);
    return Buffer.concat([header, mask, masked]);
  }

  /** Sends one client frame (masked, as RFC 6455 requires of clients). */
  sendFrame(opcode: number, payload: Buffer, fin = true): void {
    this.socket.write(RawWsClient.maskedFrame(opcode, payload, fin));
  }

  sendText(text: string): void {
    this.sendFrame(Opcode.text, Buffer.from(text, 'utf8'));
  }

  /** Data frames received so far (text, binary, continuation), in order. */
  get dataFrames(): Frame[] {
    return this.frames.filter((frame) => frame.opcode < Opcode.close);
  }

  waitForDataFrames(count: number, timeoutMs = SAFETY_MS): Promise<Frame[]> {
    return waitUntil(
      () => this.dataFrames.length >= count && this.dataFrames,
      () => `${count} data frames (have ${this.dataFrames.length})`,
      timeoutMs,
    );
  }

  destroy(): void {
    this.socket.destroy();
  }

  #receive(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const frame = this.#parseOne();
      if (frame === undefined) return;
      this.frames.push(frame);
    }
  }

  #parseOne(): Frame | undefined {
    const buffer = this.#buffer;
    if (buffer.length < 2) return undefined;
    const b0 = buffer[0] ?? 0;
    const b1 = buffer[1] ?? 0;
    let length = b1 & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (buffer.length < 4) return undefined;
      length = buffer.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (buffer.length < 10) return undefined;
      length = Number(buffer.readBigUInt64BE(2));
      offset = 10;
    }
    const masked = (b1 & 0x80) !== 0;
    const mask = masked ? buffer.subarray(offset, offset + 4) : undefined;
    if (masked) offset += 4;
    if (buffer.length < offset + length) return undefined;
    const payload = Buffer.from(buffer.subarray(offset, offset + length));
    if (mask !== undefined) {
      for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
    }
    this.#buffer = buffer.subarray(offset + length);
    return { fin: (b0 & 0x80) !== 0, opcode: b0 & 0x0f, payload };
  }
}
