import { randomBytes } from 'node:crypto';
import { connect as netConnect, type Socket } from 'node:net';
import { type DecodedFrame, FrameReader, maskedFrame, Opcode } from '../../support/ws-frames.ts';
import { SAFETY_MS, waitUntil, within } from './ws-client.ts';

export { Opcode };

export type Frame = DecodedFrame;

/**
 * A WebSocket client speaking raw frames over node:net, to see exactly what is on the wire
 * (how many frames, which opcodes) and to send frames the `ws` client would not.
 */
export class RawWsClient {
  readonly frames: Frame[] = [];
  readonly #reader = new FrameReader();
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
    const { head, rest } = await within(readHead(socket), 'the raw handshake');
    if (!head.startsWith('HTTP/1.1 101 ')) {
      socket.destroy();
      throw new Error(`upgrade refused: ${head.split('\r\n')[0]}`);
    }
    return new RawWsClient(socket, rest);
  }

  /** One client frame, masked as RFC 6455 requires of clients. */
  static maskedFrame(opcode: number, data: Buffer | string, fin = true): Buffer {
    return maskedFrame(opcode, data, fin);
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
    this.#reader.push(chunk);
    for (let frame = this.#reader.next(); frame !== undefined; frame = this.#reader.next()) {
      this.frames.push(frame);
    }
  }
}

/**
 * The head of the HTTP response on `socket` (up to the blank line, as latin1) and the bytes
 * that came after it; rejects if the socket closes first.
 */
export const readHead = (socket: Socket): Promise<{ head: string; rest: Buffer }> =>
  new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end === -1) return;
      socket.off('data', onData);
      socket.off('close', onClose);
      resolve({
        head: received.subarray(0, end).toString('latin1'),
        rest: received.subarray(end + 4),
      });
    };
    const onClose = (): void => reject(new Error('socket closed during the handshake'));
    socket.on('data', onData);
    socket.once('close', onClose);
  });
