import { backoffDelay, DEFAULT_BACKOFF } from './backoff.ts';
import type {
  ClientOptions,
  ConnectionState,
  WebSocketConstructor,
  WebSocketLike,
} from './client-options.ts';
import { type ClientRoom, ClientRooms, type JoinedRoom } from './client-rooms.ts';
import { type ChatMessage, HubbubError, type Member, type ServerItem } from './protocol.ts';

type Events = {
  message: (message: ChatMessage) => void;
  joined: (joined: JoinedRoom) => void;
  members: (room: string, members: readonly Member[]) => void;
  state: (state: ConnectionState, retryInMs?: number) => void;
};

type Deferred<T> = { resolve: (value: T) => void; reject: (error: Error) => void };
type Outgoing = Deferred<{ seq: number }> & { room: string; text: string; id: string };

const OPEN = 1;

/**
 * A hubbub.v2 client that loses nothing: it reconnects with backoff and jitter, rejoins every
 * room from where it was (`since`), drops what it already has by seq, keeps sends made while
 * offline and retries them under the same id (the server acknowledges a repeat once), and
 * resolves each `send` on its `ack`.
 */
export class HubbubClient {
  private ws: WebSocketLike | undefined;
  private current: ConnectionState = 'connecting';
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly rooms = new ClientRooms();
  private readonly outbox = new Map<string, Outgoing>();
  private readonly histories = new Map<string, Deferred<readonly ChatMessage[]>[]>();
  private readonly listeners: { [K in keyof Events]: Set<Events[K]> } = {
    message: new Set(),
    joined: new Set(),
    members: new Set(),
    state: new Set(),
  };
  private nextId = 0;
  /** Kept across reconnects: the server deduplicates retried sends by name, room and id. */
  private readonly name: string;
  private readonly WebSocketImpl: WebSocketConstructor;

  constructor(private readonly options: ClientOptions) {
    const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    const impl = options.WebSocket ?? global;
    if (impl === undefined) throw new Error('no WebSocket here: pass options.WebSocket (e.g. ws)');
    this.WebSocketImpl = impl;
    this.name =
      options.name ??
      `guest-${Math.floor(this.random() * 0xffffff)
        .toString(16)
        .padStart(6, '0')}`;
    this.connect();
  }

  get state(): ConnectionState {
    return this.current;
  }

  on<K extends keyof Events>(event: K, listener: Events[K]): () => void {
    this.listeners[event].add(listener);
    return () => this.listeners[event].delete(listener);
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
    for (const [id, outgoing] of this.outbox) {
      if (outgoing.room !== room) continue;
      outgoing.reject(new HubbubError('not_joined', `left ${room}`));
      this.outbox.delete(id);
    }
  }

  /** Sends `text` to `room`; resolves with its seq once stored, however many reconnects it takes. */
  send(room: string, text: string): Promise<{ seq: number }> {
    const id = `${Date.now().toString(36)}-${(this.nextId++).toString(36)}`;
    return new Promise((resolve, reject) => {
      if (this.rooms.get(room) === undefined || this.current === 'closed') {
        reject(new HubbubError('not_joined', `join ${room} before sending to it`));
        return;
      }
      this.outbox.set(id, { room, text, id, resolve, reject });
      if (this.isOpen && this.rooms.get(room)?.position !== undefined)
        this.write({ type: 'send', room, text, id });
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

  /** Closes for good: no reconnect; unsent messages are refused. */
  close(): void {
    this.setState('closed');
    clearTimeout(this.timer);
    this.ws?.close(1000);
    const closed = new HubbubError('closed', 'client closed');
    for (const outgoing of this.outbox.values()) outgoing.reject(closed);
    this.outbox.clear();
    for (const [, entry] of this.rooms.entries())
      for (const waiting of entry.waiting.splice(0)) waiting.reject(closed);
    for (const waiting of this.histories.values()) for (const { reject } of waiting) reject(closed);
    this.histories.clear();
  }

  private get isOpen(): boolean {
    return this.ws?.readyState === OPEN && this.current === 'connected';
  }

  private random(): number {
    return (this.options.random ?? Math.random)();
  }

  private connect(): void {
    const query = `?name=${encodeURIComponent(this.name)}`;
    const ws = new this.WebSocketImpl(`${this.options.url}${query}`, ['hubbub.v2']);
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.setState('connected');
      for (const [room, entry] of this.rooms.entries()) this.joinOnWire(room, entry);
    };
    ws.onmessage = (event) => {
      for (const item of JSON.parse(String(event.data)) as ServerItem[]) this.receive(item);
    };
    ws.onerror = () => {};
    ws.onclose = () => {
      if (this.ws !== ws || this.current === 'closed') return;
      for (const waiting of this.histories.values()) {
        for (const { reject } of waiting) reject(new HubbubError('offline', 'connection lost'));
      }
      this.histories.clear();
      const delay = backoffDelay(this.options.backoff ?? DEFAULT_BACKOFF, this.attempt++, () =>
        this.random(),
      );
      this.setState('reconnecting', delay);
      this.timer = setTimeout(() => this.connect(), delay);
    };
  }

  private joinOnWire(room: string, entry: ClientRoom): void {
    const since = entry.position === undefined ? {} : { since: entry.position };
    this.write({ type: 'join', room, history: entry.history, ...since });
  }

  private receive(item: ServerItem): void {
    switch (item.type) {
      case 'message':
        if (this.rooms.deliver(item)) this.emit('message', item);
        return;
      case 'joined':
        this.joined(item);
        return;
      case 'ack':
        this.outbox.get(item.id)?.resolve({ seq: item.seq });
        this.outbox.delete(item.id);
        return;
      case 'history':
        this.histories.get(item.room)?.shift()?.resolve(item.messages);
        return;
      case 'members':
      case 'member_joined':
      case 'member_left': {
        const members = this.rooms.presence(item);
        if (members !== undefined) this.emit('members', item.room, members);
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
    this.emit('joined', joined);
    for (const message of joined.messages) this.emit('message', message);
    for (const waiting of this.rooms.get(item.room)?.waiting.splice(0) ?? [])
      waiting.resolve(joined);
    // Sends made offline, or not acknowledged before the connection was lost, go (again) now.
    for (const outgoing of this.outbox.values()) {
      if (outgoing.room !== item.room) continue;
      this.write({ type: 'send', room: item.room, text: outgoing.text, id: outgoing.id });
    }
  }

  private refused(item: Extract<ServerItem, { type: 'error' }>): void {
    const error = new HubbubError(item.reason, item.message);
    if (item.id !== undefined && item.for === 'send') {
      this.outbox.get(item.id)?.reject(error);
      this.outbox.delete(item.id);
    } else if (item.for === 'join' && item.room !== undefined) {
      for (const waiting of this.rooms.delete(item.room)?.waiting ?? []) waiting.reject(error);
    } else if (item.for === 'history' && item.room !== undefined) {
      this.histories.get(item.room)?.shift()?.reject(error);
    }
  }

  private setState(state: ConnectionState, retryInMs?: number): void {
    this.current = state;
    this.emit('state', state, retryInMs);
  }

  private emit<K extends keyof Events>(event: K, ...args: Parameters<Events[K]>): void {
    for (const listener of this.listeners[event])
      (listener as (...a: Parameters<Events[K]>) => void)(...args);
  }

  private write(command: Record<string, unknown>): void {
    this.ws?.send(JSON.stringify(command));
  }
}
