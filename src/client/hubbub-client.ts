import type { ChatClient, ClientEvents } from './chat-client.ts';
import type {
  ClientOptions,
  ConnectionState,
  WebSocketConstructor,
  WebSocketLike,
} from './client-options.ts';
import { type ClientRoom, ClientRooms, type JoinedRoom } from './client-rooms.ts';
import { Emitter } from './emitter.ts';
import { guestName, Outbox } from './outbox.ts';
import {
  type ChatMessage,
  HubbubError,
  type Member,
  type ServerItem,
  type Welcome,
} from './protocol.ts';
import { RetryTimer } from './retry-timer.ts';

type Deferred<T> = { resolve: (value: T) => void; reject: (error: Error) => void };

const OPEN = 1;

/**
 * A hubbub.v2 client that loses nothing: it reconnects with backoff and jitter, rejoins every
 * room from where it was (`since`), drops what it already has by seq, keeps sends made while
 * offline and retries them under the same id (the server acknowledges a repeat once), and
 * resolves each `send` on its `ack`.
 */
export class HubbubClient implements ChatClient {
  private ws: WebSocketLike | undefined;
  private current: ConnectionState = 'connecting';
  private readonly retries: RetryTimer;
  private readonly rooms = new ClientRooms();
  private readonly outbox = new Outbox();
  private readonly histories = new Map<string, Deferred<readonly ChatMessage[]>[]>();
  private readonly events = new Emitter<ClientEvents>();
  /** Kept across reconnects: the server deduplicates retried sends by name, room and id. */
  private userName: string;
  private welcome: Welcome | undefined;
  private readonly WebSocketImpl: WebSocketConstructor;

  constructor(private readonly options: ClientOptions) {
    const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    const impl = options.WebSocket ?? global;
    if (impl === undefined) throw new Error('no WebSocket here: pass options.WebSocket (e.g. ws)');
    this.WebSocketImpl = impl;
    this.retries = new RetryTimer(options.backoff, () => this.random());
    this.userName = options.name ?? guestName(() => this.random());
    this.connect();
  }

  get state(): ConnectionState {
    return this.current;
  }

  get name(): string {
    return this.userName;
  }

  get limits(): Readonly<{ maxMessageBytes: number }> | undefined {
    return this.welcome === undefined
      ? undefined
      : { maxMessageBytes: this.welcome.maxMessageBytes };
  }

  on<K extends keyof ClientEvents>(event: K, listener: ClientEvents[K]): () => void {
    return this.events.on(event, listener);
  }

  /** Joins `room` (with the last `history` messages); rejoined by itself after a reconnect. */
  join(room: string, options: { history?: number } = {}): Promise<JoinedRoom> {
    const entry = this.rooms.entry(room, options.history ?? 0);
    return new Promise((resolve, reject) => {
      entry.waiting.push({ resolve, reject });
      if (this.isOpen) this.joinOnWire(room, entry);
    });
  }

  /** Stops following `room`; its unsent messages are refused. */
  leave(room: string): void {
    this.rooms.delete(room);
    if (this.isOpen) this.write({ type: 'leave', room });
    this.outbox.refuseRoom(room);
  }

  /** Sends `text` to `room`; resolves with its seq once stored, however many reconnects it takes. */
  send(room: string, text: string): Promise<{ seq: number }> {
    if (this.rooms.get(room) === undefined || this.current === 'closed')
      return Promise.reject(new HubbubError('not_joined', `join ${room} before sending to it`));
    return this.outbox.add(room, text, this.limits, (outgoing) => {
      if (this.isOpen && this.rooms.get(room)?.position !== undefined)
        this.write({ type: 'send', ...outgoing });
    });
  }

  /** Up to `limit` messages before `before` (the newest such), ascending. */
  history(
    room: string,
    options: { before?: number; limit?: number } = {},
  ): Promise<readonly ChatMessage[]> {
    return new Promise((resolve, reject) => {
      if (!this.isOpen) return reject(new HubbubError('offline', 'not connected'));
      const waiting = this.histories.get(room) ?? [];
      waiting.push({ resolve, reject });
      this.histories.set(room, waiting);
      this.write({ type: 'history', room, ...options });
    });
  }

  /** The members of a room joined, as last heard. */
  members(room: string): readonly Member[] {
    return this.rooms.get(room)?.members ?? [];
  }

  reconnect(): void {
    this.retries.now();
  }

  /** Closes for good: no reconnect; unsent messages are refused. */
  close(): void {
    this.setState('closed');
    this.retries.cancel();
    this.ws?.close(1000);
    const closed = new HubbubError('closed', 'client closed');
    this.outbox.refuseAll(closed);
    for (const [, entry] of this.rooms.entries())
      for (const waiting of entry.waiting.splice(0)) waiting.reject(closed);
    this.failHistories(closed);
  }

  private get isOpen(): boolean {
    return this.ws?.readyState === OPEN && this.current === 'connected';
  }

  private random(): number {
    return (this.options.random ?? Math.random)();
  }

  private connect(): void {
    if (this.current !== 'connecting') this.setState('connecting');
    const query = `?name=${encodeURIComponent(this.userName)}`;
    const ws = new this.WebSocketImpl(`${this.options.url}${query}`, ['hubbub.v2']);
    this.ws = ws;
    ws.onopen = () => {
      this.retries.succeeded();
      this.setState('connected');
      for (const [room, entry] of this.rooms.entries()) this.joinOnWire(room, entry);
    };
    ws.onmessage = (event) => {
      for (const item of JSON.parse(String(event.data)) as ServerItem[]) this.receive(item);
    };
    ws.onerror = () => {};
    ws.onclose = () => {
      if (this.ws !== ws || this.current === 'closed') return;
      this.failHistories(new HubbubError('offline', 'connection lost'));
      this.setState(
        'reconnecting',
        this.retries.schedule(() => this.connect()),
      );
    };
  }

  private joinOnWire(room: string, entry: ClientRoom): void {
    const since = entry.position === undefined ? {} : { since: entry.position };
    this.write({ type: 'join', room, history: entry.history, ...since });
  }

  private receive(item: ServerItem): void {
    switch (item.type) {
      case 'welcome':
        this.welcome = { name: item.name, maxMessageBytes: item.maxMessageBytes };
        this.userName = item.name;
        this.events.emit('welcome', this.welcome);
        return;
      case 'message':
        if (this.rooms.deliver(item)) this.events.emit('message', item);
        return;
      case 'joined':
        this.joined(item);
        return;
      case 'ack':
        this.outbox.acknowledged(item.id, item.seq);
        return;
      case 'history':
        this.histories.get(item.room)?.shift()?.resolve(item.messages);
        return;
      case 'members':
      case 'member_joined':
      case 'member_left': {
        const members = this.rooms.presence(item);
        if (members !== undefined) this.events.emit('members', item.room, members);
        return;
      }
      case 'error':
        this.refused(item);
        return;
      case 'left':
        return;
    }
  }

  private joined(item: Extract<ServerItem, { type: 'joined' }>): void {
    const joined = this.rooms.joined(item);
    if (joined === undefined) return;
    this.events.emit('joined', joined);
    for (const message of joined.messages) this.events.emit('message', message);
    for (const waiting of this.rooms.get(item.room)?.waiting.splice(0) ?? [])
      waiting.resolve(joined);
    // Sends made offline, or not acknowledged before the connection was lost, go (again) now.
    for (const outgoing of this.outbox.of(item.room)) this.write({ type: 'send', ...outgoing });
  }

  private refused(item: Extract<ServerItem, { type: 'error' }>): void {
    const error = new HubbubError(item.reason, item.message);
    if (item.id !== undefined && item.for === 'send') {
      this.outbox.refuse(item.id, error);
    } else if (item.for === 'join' && item.room !== undefined) {
      for (const waiting of this.rooms.delete(item.room)?.waiting ?? []) waiting.reject(error);
    } else if (item.for === 'history' && item.room !== undefined) {
      this.histories.get(item.room)?.shift()?.reject(error);
    }
  }

  private failHistories(error: HubbubError): void {
    for (const waiting of this.histories.values()) for (const { reject } of waiting) reject(error);
    this.histories.clear();
  }

  private setState(state: ConnectionState, retryInMs?: number): void {
    this.current = state;
    this.events.emit('state', state, retryInMs);
  }

  private write(command: Record<string, unknown>): void {
    this.ws?.send(JSON.stringify(command));
  }
}
