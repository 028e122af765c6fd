import { connect as netConnect, type Socket } from 'node:net';
import { within } from './ws-client.ts';

/** A TCP client that writes what a test tells it to and records the answer until the close. */
export class RawClient {
  answer = '';
  readonly closedAt: Promise<number>;
  #closed = false;

  constructor(readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.answer += chunk;
    });
    // A write racing the server's close may fail (EPIPE, ECONNRESET): the close is what counts.
    socket.on('error', () => {});
    this.closedAt = new Promise((resolve) =>
      socket.once('close', () => {
        this.#closed = true;
        resolve(performance.now());
      }),
    );
  }

  static async open(port: number): Promise<RawClient> {
    const socket = netConnect(port, '127.0.0.1');
    const client = new RawClient(socket);
    await within(
      new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('error', reject);
      }),
      'the raw connection',
    );
    return client;
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  /** The status line of the answer, e.g. `HTTP/1.1 400 Bad Request`. */
  get statusLine(): string {
    return this.answer.split('\r\n', 1)[0] ?? '';
  }

  write(data: string): void {
    if (!this.#closed) this.socket.write(data);
  }

  destroy(): void {
    this.socket.destroy();
  }
}
