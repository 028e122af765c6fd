import { type ClientRequest, get, type IncomingMessage } from 'node:http';
import type { RunningServer } from '../../support/start-server.ts';
import { EventStreamParser, type StreamEvent } from './event-stream.ts';
import { waitUntil, within } from './ws-client.ts';

/** How an SSE session ended, as the client saw it. */
export type SseEnd = 'left' | 'too-large' | 'shutdown' | 'overflowed' | 'other';

/** An event as EventSource dispatches it; `id` is the last event id so far, if any. */
export type SseEvent = Readonly<{ id: string | undefined; event: string; data: string }>;

const END_EVENTS: Record<string, SseEnd> = { bye: 'shutdown', error: 'overflowed' };

/**
 * An SSE client like EventSource (without reconnecting): `GET /events` recorded from the moment
 * it connects, and `POST /send` for sending, one request at a time so messages keep their order.
 */
export class SseTestClient {
  /** Chat messages received (`message` events), in order. */
  readonly messages: string[] = [];
  /** Every event received, `bye` and `error` included. */
  readonly events: SseEvent[] = [];
  /** Comment lines received (keepalives), without the leading colon. */
  readonly comments: string[] = [];
  readonly closed: Promise<SseEnd>;
  id = '';
  /** Status codes of the POSTs answered so far. */
  readonly sendStatuses: number[] = [];
  #serverEnd: SseEnd | undefined;
  #ownEnd: SseEnd | undefined;
  readonly #parser = new EventStreamParser({
    event: (event) => this.#onEvent(event),
    comment: (text) => this.comments.push(text.trimStart()),
  });
  #sending: Promise<void> = Promise.resolve();

  constructor(
    readonly baseUrl: string,
    readonly request: ClientRequest,
    readonly response: IncomingMessage,
  ) {
    response.on('data', (chunk: Buffer) => this.#parser.push(chunk));
    response.on('error', () => {}); // a reset shows as 'close'; the end is what matters
    request.on('error', () => {});
    this.closed = new Promise((resolve) => {
      response.once('close', () => resolve(this.#serverEnd ?? this.#ownEnd ?? 'other'));
    });
  }

  /** Posts `text`; posts go out one after another. A 413 ends this client as `too-large`. */
  send(text: string): Promise<void> {
    this.#sending = this.#sending.then(() => this.#post(text));
    return this.#sending;
  }

  /** Closes the stream and waits for it to end. */
  async leave(): Promise<void> {
    this.#ownEnd ??= 'left';
    this.request.destroy();
    await within(this.closed, 'the event stream to close');
  }

  waitForMessages(count: number): Promise<string[]> {
    return waitUntil(
      () => (this.messages.length >= count ? this.messages : undefined),
      () => `${count} messages (have ${this.messages.length})`,
    );
  }

  async #post(text: string): Promise<void> {
    if (this.#ownEnd !== undefined) return;
    let status: number;
    try {
      const answer = await fetch(`${this.baseUrl}/send`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain; charset=utf-8' },
        body: text,
      });
      await answer.arrayBuffer();
      status = answer.status;
    } catch {
      status = 0;
    }
    this.sendStatuses.push(status);
    if (status === 413) {
      this.#ownEnd ??= 'too-large';
      this.request.destroy();
    }
  }

  #onEvent({ type, data, lastEventId }: StreamEvent): void {
    this.events.push({ id: lastEventId === '' ? undefined : lastEventId, event: type, data });
    if (type === 'message') this.messages.push(data);
    else if (type in END_EVENTS) this.#serverEnd ??= END_EVENTS[type];
  }
}

/** `GET /events` on its own connection; resolves with the open stream once it answered 200. */
export const openEventStream = async (
  baseUrl: string,
  query = '',
  headers: Readonly<Record<string, string>> = {},
): Promise<{ request: ClientRequest; response: IncomingMessage }> => {
  const request = get(`${baseUrl}/events${query}`, {
    agent: false,
    headers: { Accept: 'text/event-stream', ...headers },
  });
  const response = await within(
    new Promise<IncomingMessage>((resolve, reject) => {
      request.once('response', resolve);
      request.once('error', reject);
    }),
    `the event stream at ${baseUrl}`,
  );
  if (response.statusCode !== 200) {
    request.destroy();
    throw new Error(`GET /events answered ${response.statusCode}`);
  }
  return { request, response };
};

/** `query` (e.g. `?room=r&format=v2`) and `headers` (e.g. `Last-Event-ID`) go with the GET. */
export const connectSse = async (
  baseUrl: string,
  query = '',
  headers: Readonly<Record<string, string>> = {},
): Promise<SseTestClient> => {
  const { request, response } = await openEventStream(baseUrl, query, headers);
  return new SseTestClient(baseUrl, request, response);
};

/** Connects and returns the client with the hub's id for it; clients must connect one at a time. */
export const connectSseRegistered = async (server: RunningServer): Promise<SseTestClient> => {
  const registered = () =>
    server.events.flatMap((event) => (event.type === 'Registered' ? [event.connectionId] : []));
  const before = registered().length;
  const client = await connectSse(server.httpUrl);
  client.id = await waitUntil(() => registered()[before], 'the hub to register the connection');
  return client;
};
