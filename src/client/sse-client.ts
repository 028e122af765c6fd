import type { Backoff } from './backoff.ts';
import type { ChatClient } from './chat-client.ts';
import { ClientBase } from './client-base.ts';
import type { ConnectionState } from './client-options.ts';
import type { JoinedRoom } from './client-rooms.ts';
import type { Outgoing } from './outbox.ts';
import type { ChatMessage, ServerItem } from './protocol.ts';
import { type EventSourceConstructor, RoomStream } from './room-stream.ts';
import { postSend, sseAnswer } from './sse-requests.ts';

export type SseClientOptions = Readonly<{
  /** The server's HTTP origin, e.g. `http://localhost:8080`. */
  url: string;
  name?: string;
  /** Needed where there is no global EventSource. */
  EventSource?: EventSourceConstructor;
  backoff?: Backoff;
  random?: () => number;
}>;

/**
 * The same client over Server-Sent Events, for networks where WebSocket cannot connect: one
 * `GET /events` stream per room (resumed with `since` after every loss), `POST /send` with the
 * message's id (sent again until acknowledged, stored once), `GET /history` for older pages.
 */
export class SseClient extends ClientBase implements ChatClient {
  private readonly streams = new Map<string, RoomStream>();
  /** Each room's sends, one after another, so that they are stored in the order made. */
  private readonly posting = new Map<string, Promise<void>>();
  private readonly EventSourceImpl: EventSourceConstructor;

  constructor(private readonly options: SseClientOptions) {
    super(options.random ?? Math.random, options.name);
    const global = (globalThis as { EventSource?: EventSourceConstructor }).EventSource;
    const impl = options.EventSource ?? global;
    if (impl === undefined) throw new Error('no EventSource here: pass options.EventSource');
    this.EventSourceImpl = impl;
  }

  join(room: string, options: { history?: number } = {}): Promise<JoinedRoom> {
    const entry = this.rooms.entry(room, options.history ?? 0);
    return new Promise((resolve, reject) => {
      entry.waiting.push({ resolve, reject });
      if (!this.streams.has(room)) this.streams.set(room, this.stream(room));
    });
  }

  leave(room: string): void {
    this.streams.get(room)?.close();
    this.streams.delete(room);
    this.rooms.delete(room);
    this.outbox.refuseRoom(room);
    this.updateState();
  }

  send(room: string, text: string): Promise<{ seq: number }> {
    return (
      this.notJoined(room) ??
      this.outbox.add(room, text, this.limits, (outgoing) => {
        if (this.streams.get(room)?.state === 'connected') this.post(outgoing);
      })
    );
  }

  async history(
    room: string,
    options: { before?: number; limit?: number } = {},
  ): Promise<readonly ChatMessage[]> {
    const query = new URLSearchParams({ room });
    if (options.before !== undefined) query.set('before', String(options.before));
    if (options.limit !== undefined) query.set('limit', String(options.limit));
    const answer = await sseAnswer(fetch(`${this.options.url}/history?${query}`));
    return (answer as { messages: readonly ChatMessage[] }).messages;
  }

  reconnect(): void {
    for (const stream of this.streams.values()) stream.reconnect();
  }

  close(): void {
    for (const stream of this.streams.values()) stream.close();
    this.streams.clear();
    this.closeAll();
  }

  private stream(room: string): RoomStream {
    const url = (): string => {
      const entry = this.rooms.get(room);
      const query = new URLSearchParams({ room, name: this.userName, format: 'v2' });
      query.set('history', String(entry?.history ?? 0));
      if (entry?.position !== undefined)
        query.set('since', `${entry.position.epoch}:${entry.position.seq}`);
      return `${this.options.url}/events?${query}`;
    };
    const { backoff } = this.options;
    return new RoomStream(
      url,
      this.EventSourceImpl,
      { random: this.random, ...(backoff === undefined ? {} : { backoff }) },
      (item) => this.receive(item as ServerItem),
      () => this.updateState(),
    );
  }

  private receive(item: ServerItem): void {
    if (this.receiveShared(item) || item.type !== 'joined') return;
    const joined = this.rooms.entered(item);
    if (joined === undefined) return;
    this.announceJoined(joined);
    for (const outgoing of this.outbox.of(item.room)) this.post(outgoing);
  }

  /** Posts a send after the room's earlier ones; unanswered, it waits for the room's next stream. */
  private post(outgoing: Outgoing): void {
    const before = this.posting.get(outgoing.room) ?? Promise.resolve();
    const done = before.then(async () => {
      const answer = await postSend(this.options.url, this.userName, outgoing);
      if (answer.kind === 'stored') this.outbox.acknowledged(outgoing.id, answer.seq);
      else if (answer.kind === 'refused') this.outbox.refuse(outgoing.id, answer.error);
    });
    this.posting.set(outgoing.room, done);
  }

  /** The client is as connected as its least connected stream. */
  private updateState(): void {
    if (this.current === 'closed') return;
    const streams = [...this.streams.values()];
    const down = streams.filter((stream) => stream.state === 'reconnecting');
    let state: ConnectionState = 'connected';
    if (down.length > 0) state = 'reconnecting';
    else if (streams.length === 0 || streams.some((stream) => stream.state !== 'connected'))
      state = 'connecting';
    if (state === 'reconnecting') {
      const retryAt = Math.min(...down.map((stream) => stream.retryAt));
      this.setState(state, Math.max(0, retryAt - Date.now()));
    } else if (state !== this.current) this.setState(state);
  }
}
