import type { Socket } from 'node:net';
import { WebSocket } from 'ws';
import { waitUntil, within } from './ws-client.ts';

export type V2ItemSeen = Readonly<Record<string, unknown> & { type: string }>;

/** A hubbub.v2 client for tests: every item received, in order, and commands sent as JSON. */
export class V2TestClient {
  readonly items: V2ItemSeen[] = [];
  closed: { code: number; reason: string } | undefined;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      for (const item of JSON.parse(String(data)) as V2ItemSeen[]) this.items.push(item);
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
    });
    ws.on('error', () => {});
  }

  static async open(wsUrl: string, query = ''): Promise<V2TestClient> {
    const ws = new WebSocket(`${wsUrl}${query}`, ['hubbub.v2']);
    const client = new V2TestClient(ws);
    await within(
      new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      }),
      'the v2 connection to open',
    );
    return client;
  }

  command(command: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(command));
  }

  /** Stops reading the socket, as a client that hangs would: the server's writes back up. */
  pauseReading(): void {
    this.socket.pause();
  }

  resumeReading(): void {
    this.socket.resume();
  }

  /** Items of one type (and room, when given), in order. */
  of(type: string, room?: string): V2ItemSeen[] {
    return this.items.filter(
      (item) => item.type === type && (room === undefined || item.room === room),
    );
  }

  /** Waits for the `count`-th item of `type` (in `room`), and returns it. */
  async next(type: string, room?: string, count = 1): Promise<V2ItemSeen> {
    return waitUntil(
      () => this.of(type, room)[count - 1],
      `${type} #${count}${room ? ` in ${room}` : ''}`,
    );
  }

  /** Joins and waits for `joined`. */
  async join(room: string, extra: Record<string, unknown> = {}): Promise<V2ItemSeen> {
    const before = this.of('joined', room).length;
    this.command({ type: 'join', room, ...extra });
    return this.next('joined', room, before + 1);
  }

  /** The texts of the messages of `room` received live, in order. */
  texts(room: string): string[] {
    return this.of('message', room).map((item) => String(item.text));
  }

  private get socket(): Socket {
    return (this.ws as unknown as { _socket: Socket })._socket;
  }

  close(): Promise<void> {
    if (this.ws.readyState === this.ws.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}
