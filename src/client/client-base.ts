import type { ClientEvents } from './chat-client.ts';
import type { ConnectionState } from './client-options.ts';
import { ClientRooms, type JoinedRoom, type RoomState } from './client-rooms.ts';
import { Emitter } from './emitter.ts';
import { guestName, Outbox } from './outbox.ts';
import { HubbubError, type Member, type ServerItem, type Welcome } from './protocol.ts';

/**
 * What the WebSocket and the Server-Sent Events clients share: the rooms joined, the sends not
 * yet acknowledged, the listeners, the name and limits of the welcome, and the items both
 * receive alike.
 */
export abstract class ClientBase {
  protected readonly rooms = new ClientRooms();
  protected readonly outbox = new Outbox();
  protected readonly events = new Emitter<ClientEvents>();
  protected current: ConnectionState = 'connecting';
  /** Kept across reconnects: the server deduplicates retried sends by name, room and id. */
  protected userName: string;
  private welcome: Welcome | undefined;

  constructor(
    protected readonly random: () => number,
    name: string | undefined,
  ) {
    this.userName = name ?? guestName(random);
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

  /** The members of a room joined, as last heard. */
  members(room: string): readonly Member[] {
    return this.rooms.get(room)?.members ?? [];
  }

  roomState(room: string): RoomState | undefined {
    return this.rooms.get(room)?.state;
  }

  /** A send's refusal before it is queued: the room not joined (or refused), or the client closed. */
  protected notJoined(room: string): Promise<never> | undefined {
    const entry = this.rooms.get(room);
    if (entry?.refusal !== undefined) return Promise.reject(entry.refusal);
    if (entry !== undefined && this.current !== 'closed') return undefined;
    return Promise.reject(new HubbubError('not_joined', `join ${room} before sending to it`));
  }

  /** Handles the items both transports receive alike; false for the others. */
  protected receiveShared(item: ServerItem): boolean {
    switch (item.type) {
      case 'welcome':
        this.welcome = { name: item.name, maxMessageBytes: item.maxMessageBytes };
        this.userName = item.name;
        this.events.emit('welcome', this.welcome);
        return true;
      case 'message':
        if (this.rooms.deliver(item)) this.events.emit('message', item);
        return true;
      case 'members':
      case 'member_joined':
      case 'member_left': {
        const members = this.rooms.presence(item);
        if (members !== undefined) this.events.emit('members', item.room, members);
        return true;
      }
      default:
        return false;
    }
  }

  /** Tells the listeners and every join waiting for `joined.room`. */
  protected announceJoined(joined: JoinedRoom): void {
    this.events.emit('joined', joined);
    for (const message of joined.messages) this.events.emit('message', message);
    for (const waiting of this.rooms.get(joined.room)?.waiting.splice(0) ?? [])
      waiting.resolve(joined);
  }

  /** For good: every send and join still waiting is refused. */
  protected closeAll(): void {
    this.setState('closed');
    const closed = new HubbubError('closed', 'client closed');
    this.outbox.refuseAll(closed);
    for (const [, entry] of this.rooms.entries())
      for (const waiting of entry.waiting.splice(0)) waiting.reject(closed);
  }

  protected setState(state: ConnectionState, retryInMs?: number): void {
    this.current = state;
    this.events.emit('state', state, retryInMs);
  }
}
