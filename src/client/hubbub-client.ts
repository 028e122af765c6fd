import type { ChatClient } from './chat-client.ts';
import { ClientBase } from './client-base.ts';
import type { ClientOptions, WebSocketConstructor, WebSocketLike } from './client-options.ts';
import type { ClientRoom, JoinedRoom } from './client-rooms.ts';
import { type ChatMessage, HubbubError, type ServerItem } from './protocol.ts';
import { RetryTimer } from './retry-timer.ts';

type Deferred<T> = { resolve: (value: T) => void; reject: (error: Error) => void };

const OPEN = 1;

/**
 * A hubbub.v2 client that loses nothing: it reconnects with backoff and jitter, rejoins every
 * room from where it was (`since`), drops what it already has by seq, keeps sends made while
 * offline and retries them under the same id (the server acknowledges a repeat once), and
 * resolves each `send` on its `ack`.
 */
export class HubbubClient extends ClientBase implements ChatClient {
  private ws: WebSocketLike | undefined;
  private readonly retries: RetryTimer;
  private readonly histories = new Map<string, Deferred<readonly ChatMessage[]>[]>();
  private readonly WebSocketImpl: WebSocketConstructor;

  constructor(private readonly options: ClientOptions) {
    const random = options.random ?? Math.random;
    super(random, options.name);
    const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    const impl = options.WebSocket ?? global;
    if (impl === undefined) throw new Error('no WebSocket here: pass options.WebSocket (e.g. ws)');
    this.WebSocketImpl = impl;
    this.retries = new RetryTimer(options.backoff, random);
    this.connect();
  }

  /** Joins `room` (with the last `history` messages); rejoined by itself after a reconnect. */
  join(room: string, options: { history?: number } = {}): Promise<JoinedRoom> {
    const entry = this.rooms.entry(room, options.history ?? 0);
    return new Promise((resolve, reject) => {
      entry.waiting.push({ resolve, reject });
      if (this.isOpen) this.joinOnWire(room, entry);
    });
  }

  /** Stops following `room`; a join still waiting for its answer, and unsent messages, are refused. */
  leave(room: string): void {
    const entry = this.rooms.delete(room);
    if (this.isOpen && entry?.state !== 'refused') this.write({ type: 'leave', room });
    const left = new HubbubError('not_joined', `left ${room}`, room);
    for (const join of entry?.waiting.splice(0) ?? []) join.reject(left);
    this.outbox.refuseRoom(room, left);
  }

  /** Sends `text` to `room`; resolves with its seq once stored, however many reconnects it takes. */
  send(room: string, text: string): Promise<{ seq: number }> {
    return (
      this.notJoined(room) ??
      this.outbox.add(room, text, this.limits, (outgoing) => {
        // Otherwise it goes when the room is joined (again).
        if (this.isOpen && this.rooms.get(room)?.state === 'joined')
          this.write({ type: 'send', ...outgoing });
      })
    );
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

  reconnect(): void {
    this.retries.now();
  }

  /** Closes for good: no reconnect; unsent messages are refused. */
  close(): void {
    this.closeAll();
    this.retries.cancel();
    this.ws?.close(1000);
    this.failHistories(new HubbubError('closed', 'client closed'));
  }

  private get isOpen(): boolean {
    return this.ws?.readyState === OPEN && this.current === 'connected';
  }

  private connect(): void {
    if (this.current !== 'connecting') this.setState('connecting');
    const query = `?name=${encodeURIComponent(this.userName)}`;
    const ws = new this.WebSocketImpl(`${this.options.url}${query}`, ['hubbub.v2']);
    this.ws = ws;
    ws.onopen = () => {
      this.retries.succeeded();
      this.setState('connected');
      for (const [room, entry] of this.rooms.entries()) {
        if (entry.state !== 'refused') this.joinOnWire(room, entry);
      }
    };
    ws.onmessage = (event) => {
      for (const item of JSON.parse(String(event.data)) as ServerItem[]) this.receive(item);
    };
    ws.onerror = () => {};
    ws.onclose = () => {
      if (this.ws !== ws || this.current === 'closed') return;
      this.rooms.disconnected();
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
    if (this.receiveShared(item)) return;
    switch (item.type) {
      case 'joined': {
        const joined = this.rooms.joined(item);
        if (joined === undefined) return;
        this.announceJoined(joined);
        // Sends made offline, or not acknowledged before the connection was lost, go (again) now.
        for (const outgoing of this.outbox.of(item.room)) this.write({ type: 'send', ...outgoing });
        return;
      }
      case 'ack':
        this.outbox.acknowledged(item.id, item.seq);
        return;
      case 'history':
        this.histories.get(item.room)?.shift()?.resolve(item.messages);
        return;
      case 'error':
        this.refused(item);
        return;
    }
  }

  /** A refused command: the promise waiting for it rejects; with none, an `error` event. */
  private refused(item: Extract<ServerItem, { type: 'error' }>): void {
    const error = new HubbubError(item.reason, item.message, item.room);
    const { room } = item;
    if (item.for === 'send' && item.id !== undefined && this.outbox.refuse(item.id, error)) return;
    const page = item.for === 'history' && room !== undefined ? this.histories.get(room) : [];
    if (item.for === 'join' && room !== undefined && this.rooms.get(room) !== undefined) {
      this.outbox.refuseRoom(room, error);
      // A rejoin refused, with no join waiting to reject: the caller is told by the event.
      if (this.rooms.refused(room, error)) this.events.emit('error', error);
    } else if (page?.length) page.shift()?.reject(error);
    else this.events.emit('error', error);
  }

  private failHistories(error: HubbubError): void {
    for (const waiting of this.histories.values()) for (const { reject } of waiting) reject(error);
    this.histories.clear();
  }

  private write(command: Record<string, unknown>): void {
    this.ws?.send(JSON.stringify(command));
  }
}
