import { connect, type Socket } from 'node:net';
import type { RunningServer } from '../../support/start-server.ts';
import { waitUntil, within } from './ws-client.ts';

/** How a TCP line-protocol connection ended, as the client saw it. */
export type TcpEnd = 'left' | 'too-large' | 'shutdown' | 'overflowed' | 'other';

const END_LINES: Record<string, TcpEnd> = {
  'error: message too large': 'too-large',
  'bye: server shutting down': 'shutdown',
  'error: send buffer full': 'overflowed',
  'error: room restarted: reconnect': 'other',
  'error: message is not valid UTF-8': 'other',
};

/** A line-protocol client: records every line received from the moment it connects. */
export class TcpTestClient {
  /** Chat lines received, in order (the server's error and bye lines are kept apart). */
  readonly messages: string[] = [];
  /** The server's last line when it was an error or bye line. */
  serverLine: string | undefined;
  readonly closed: Promise<TcpEnd>;
  id = '';
  #partial = '';
  #leaving = false;

  constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('error', () => {}); // a reset shows as 'close'; the end is what matters
    socket.on('data', (chunk: string) => {
      const lines = (this.#partial + chunk).split('\n');
      this.#partial = lines.pop() ?? '';
      for (const line of lines) {
        if (line in END_LINES) this.serverLine = line;
        else this.messages.push(line);
      }
    });
    this.closed = new Promise((resolve) => {
      socket.once('close', () => {
        const fromServer = this.serverLine === undefined ? undefined : END_LINES[this.serverLine];
        resolve(fromServer ?? (this.#leaving ? 'left' : 'other'));
      });
    });
  }

  /** Sends `text` followed by `\n`, or exactly `raw` bytes. */
  send(text: string): void {
    this.socket.write(`${text}\n`);
  }

  write(raw: string | Buffer): void {
    this.socket.write(raw);
  }

  /** Ends our side and waits for the server to close the connection. */
  async leave(): Promise<void> {
    this.#leaving = true;
    this.socket.end();
    await within(this.closed, 'the TCP connection to close');
  }

  waitForMessages(count: number): Promise<string[]> {
    return waitUntil(
      () => (this.messages.length >= count ? this.messages : undefined),
      () => `${count} lines (have ${this.messages.length})`,
    );
  }
}

export const connectTcp = async (port: number): Promise<TcpTestClient> => {
  const socket = connect(port, '127.0.0.1');
  const client = new TcpTestClient(socket);
  await within(
    new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    }),
    `the TCP connection to port ${port}`,
  );
  return client;
};

/** Connects and returns the client with the hub's id for it; clients must connect one at a time. */
export const connectTcpRegistered = async (server: RunningServer): Promise<TcpTestClient> => {
  const port = server.tcpPort;
  if (port === undefined) throw new Error('the server has no TCP port');
  const registered = () =>
    server.events.flatMap((event) => (event.type === 'Registered' ? [event.connectionId] : []));
  const before = registered().length;
  const client = await connectTcp(port);
  client.id = await waitUntil(() => registered()[before], 'the hub to register the connection');
  return client;
};
