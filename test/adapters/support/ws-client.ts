import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import { type ClientOptions, WebSocket } from 'ws';
import type { RecordedEvent as HubEvent, RunningServer } from '../../support/start-server.ts';

/** How long any wait in these tests may take before it fails: a safety net, not an assertion. */
export const SAFETY_MS = 8_000;

export type Closed = Readonly<{ code: number; reason: string }>;

/**
 * Polls `predicate` until it returns a value other than `undefined`/`false`, and resolves with
 * it. Rejects after `timeoutMs` with a message naming `what`, so a hang becomes a clear failure.
 */
export const waitUntil = async <T>(
  predicate: () => T | undefined | false,
  what: string | (() => string),
  timeoutMs = SAFETY_MS,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = predicate();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    }
    await sleep(5);
  }
};

/** Waits for a fixed time: for letting things happen (never for asserting how long they took). */
export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** Rejects with a clear message if `promise` does not settle within `timeoutMs`. */
export const within = <T>(promise: Promise<T>, what: string, timeoutMs = SAFETY_MS): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });

/** A `ws` client that records everything it receives from the moment it is created. */
export class TestClient {
  /** Text messages received, in order. */
  readonly messages: string[] = [];
  /** How many binary messages arrived (the hub should never send one). */
  binaryMessages = 0;
  pings = 0;
  readonly errors: Error[] = [];
  readonly closed: Promise<Closed>;
  #closedWith: Closed | undefined;
  /** The hub's id for this connection, when connected through `connectRegistered`. */
  id = '';

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      if (isBinary) this.binaryMessages++;
      else this.messages.push(String(data));
    });
    ws.on('ping', () => this.pings++);
    ws.on('error', (error) => this.errors.push(error));
    this.closed = new Promise((resolve) => {
      ws.once('close', (code, reason) => {
        this.#closedWith = { code, reason: reason.toString() };
        resolve(this.#closedWith);
      });
    });
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  get closedWith(): Closed | undefined {
    return this.#closedWith;
  }

  /** The TCP socket under the WebSocket, for pausing reads or cutting it off. */
  get socket(): Socket {
    return (this.ws as unknown as { _socket: Socket })._socket;
  }

  send(text: string): void {
    this.ws.send(text);
  }

  /**
   * Waits until at least `count` text messages have arrived; fails at once if the connection
   * closes first, saying how it closed.
   */
  waitForMessages(count: number, timeoutMs = SAFETY_MS): Promise<string[]> {
    return waitUntil(
      () => {
        if (this.messages.length >= count) return this.messages;
        const closed = this.#closedWith;
        if (closed !== undefined) {
          throw new Error(
            `the connection closed (${closed.code} ${closed.reason}) after ${this.messages.length} of ${count} messages`,
          );
        }
        return undefined;
      },
      () => `${count} messages (have ${this.messages.length})`,
      timeoutMs,
    );
  }

  /** Waits for the close handshake (or the socket ending) and returns its code and reason. */
  waitForClose(timeoutMs = SAFETY_MS): Promise<Closed> {
    return within(this.closed, 'the connection to close', timeoutMs);
  }

  /** Closes normally and waits until the connection has ended. */
  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    this.ws.close(1000);
    await within(this.closed, 'the client close').catch(() => this.ws.terminate());
  }
}

/** Opens a WebSocket and waits for the upgrade to complete; rejects on any failure first. */
export const connect = async (
  url: string,
  options: ClientOptions = {},
  protocols: readonly string[] = [],
): Promise<TestClient> => {
  const ws = new WebSocket(url, [...protocols], options);
  const client = new TestClient(ws);
  await within(
    new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('close', (code) => reject(new Error(`closed with ${code} before opening`)));
    }),
    `the WebSocket ${url} to open`,
  );
  return client;
};

const registeredIds = (server: RunningServer): string[] =>
  server.events.flatMap((event) => (event.type === 'Registered' ? [event.connectionId] : []));

/**
 * Connects to the server's /ws and returns the client with the hub's id for it. Only correct
 * when clients connect one at a time, which every caller here does.
 */
export const connectRegistered = async (
  server: RunningServer,
  options: ClientOptions = {},
): Promise<TestClient> => {
  const before = registeredIds(server).length;
  const client = await connect(server.wsUrl, options);
  client.id = await waitUntil(
    () => registeredIds(server)[before],
    'the hub to register the new connection',
  );
  return client;
};

/** Connects with the hubbub.v1 subprotocol, and fails unless the server selected it. */
export const connectV1 = async (server: RunningServer): Promise<TestClient> => {
  const client = await connect(server.wsUrl, {}, ['hubbub.v1']);
  if (client.ws.protocol !== 'hubbub.v1') throw new Error('hubbub.v1 was not selected');
  return client;
};

/** Connects `count` clients one after another. */
export const connectMany = async (server: RunningServer, count: number): Promise<TestClient[]> => {
  const clients: TestClient[] = [];
  for (let i = 0; i < count; i++) clients.push(await connectRegistered(server));
  return clients;
};

export type Refusal = Readonly<{ status: number; headers: IncomingHttpHeaders; body: string }>;

/** Attempts an upgrade that the server should refuse; resolves with the HTTP response it sent. */
export const refusal = (url: string, options: ClientOptions = {}): Promise<Refusal> => {
  const ws = new WebSocket(url, options);
  ws.on('error', () => {}); // the abort below reports one; the response is what matters
  return within(
    new Promise<Refusal>((resolve, reject) => {
      ws.once('open', () => {
        ws.terminate();
        reject(new Error(`the upgrade to ${url} was accepted`));
      });
      ws.once('unexpected-response', (_request, response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () => {
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body });
          ws.terminate();
        });
      });
    }),
    `the refusal of ${url}`,
  );
};

/** The first hub event so far that matches, waiting for it if there is none yet. */
export const waitForEvent = <E extends HubEvent>(
  server: RunningServer,
  predicate: (event: HubEvent) => event is E,
  what: string,
  timeoutMs = SAFETY_MS,
): Promise<E> => waitUntil(() => server.events.find(predicate), what, timeoutMs);

export type Unregistered = Extract<HubEvent, { type: 'Unregistered' }>;
export type Overflowed = Extract<HubEvent, { type: 'Overflowed' }>;

export const isUnregistered =
  (connectionId: string) =>
  (event: HubEvent): event is Unregistered =>
    event.type === 'Unregistered' && event.connectionId === connectionId;

export const isOverflowed =
  (connectionId?: string) =>
  (event: HubEvent): event is Overflowed =>
    event.type === 'Overflowed' &&
    (connectionId === undefined || event.connectionId === connectionId);

/** Waits until the hub has unregistered `connectionId`, and returns that event. */
export const waitForUnregistered = (
  server: RunningServer,
  connectionId: string,
  timeoutMs = SAFETY_MS,
): Promise<Unregistered> =>
  waitForEvent(
    server,
    isUnregistered(connectionId),
    `the hub to unregister ${connectionId}`,
    timeoutMs,
  );

/** Number of Broadcast events so far. */
export const broadcastCount = (server: RunningServer): number =>
  server.events.filter((event) => event.type === 'Broadcast').length;

/** A string of exactly `bytes` UTF-8 bytes made of multi-byte characters where possible. */
export const utf8OfBytes = (bytes: number, seed = ''): string => {
  let text = seed;
  while (Buffer.byteLength(text) + 4 <= bytes) text += '😀'; // 4 bytes
  while (Buffer.byteLength(text) + 3 <= bytes) text += '€'; // 3 bytes
  while (Buffer.byteLength(text) + 2 <= bytes) text += 'é'; // 2 bytes
  while (Buffer.byteLength(text) < bytes) text += 'a';
  if (Buffer.byteLength(text) !== bytes) throw new Error(`seed longer than ${bytes} bytes`);
  return text;
};
