import type {
  ChatMessage,
  HubbubError,
  JoinedRoom,
  Member,
  Position,
  ServerItem,
} from './protocol.ts';

/**
 * Where the client is with a room: `joining` until the server's `joined` (again after every
 * reconnect), `joined`, or `refused` when a rejoin was refused (`refusal` says why): the room
 * is not joined again until `join` is called again.
 */
export type RoomState = 'joining' | 'joined' | 'refused';

export type { JoinedRoom };

type Deferred<T> = { resolve: (value: T) => void; reject: (error: Error) => void };

export type ClientRoom = {
  state: RoomState;
  refusal?: HubbubError;
  /** The last message the client has: where a rejoin resumes. */
  position?: Position;
  history: number;
  members: Member[];
  waiting: Deferred<JoinedRoom>[];
};

const byName = (a: Member, b: Member): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Whether `message` is new to a room that is at `position` (same epoch, a higher seq, or another epoch). */
const isNew = (position: Position | undefined, message: ChatMessage): boolean =>
  position === undefined || position.epoch !== message.epoch || message.seq > position.seq;

/** The rooms a client is in: where each is, its members, and the joins waiting for an answer. */
export class ClientRooms {
  private readonly rooms = new Map<string, ClientRoom>();

  entries(): IterableIterator<[string, ClientRoom]> {
    return this.rooms.entries();
  }

  get(room: string): ClientRoom | undefined {
    return this.rooms.get(room);
  }

  /** The room's entry, made with `history` on the first join; a refused room is joining again. */
  entry(room: string, history: number): ClientRoom {
    let entry = this.rooms.get(room);
    if (entry === undefined) {
      entry = { state: 'joining', history, members: [], waiting: [] };
      this.rooms.set(room, entry);
    } else if (entry.state === 'refused') {
      entry.state = 'joining';
      delete entry.refusal;
    }
    return entry;
  }

  /** The connection is lost: every room joined is to be joined again. */
  disconnected(): void {
    for (const entry of this.rooms.values()) if (entry.state === 'joined') entry.state = 'joining';
  }

  /**
   * A join of `room` was refused. The joins waiting for it reject, and the room is forgotten;
   * with none waiting it was a rejoin, and the room stays known, refused (true), until joined
   * again.
   */
  refused(room: string, error: HubbubError): boolean {
    const entry = this.rooms.get(room);
    if (entry === undefined) return false;
    const waiting = entry.waiting.splice(0);
    for (const join of waiting) join.reject(error);
    if (waiting.length > 0) {
      this.rooms.delete(room);
      return false;
    }
    entry.state = 'refused';
    entry.refusal = error;
    return true;
  }

  delete(room: string): ClientRoom | undefined {
    const entry = this.rooms.get(room);
    this.rooms.delete(room);
    return entry;
  }

  /** A live message: true when it is new, and the room moves on to it. */
  deliver(message: ChatMessage): boolean {
    const entry = this.rooms.get(message.room);
    if (entry === undefined || !isNew(entry.position, message)) return false;
    entry.position = { epoch: message.epoch, seq: message.seq };
    return true;
  }

  /** A `joined`: what of its messages the client did not have, the room moved to its position. */
  joined(item: Extract<ServerItem, { type: 'joined' }>): JoinedRoom | undefined {
    const entry = this.rooms.get(item.room);
    if (entry === undefined) return undefined;
    const fresh = item.messages.filter((message) => isNew(entry.position, message));
    entry.position = { epoch: item.epoch, seq: item.seq };
    entry.members = [...item.members].sort(byName);
    entry.state = 'joined';
    return this.answer(item, fresh, entry);
  }

  /**
   * A `joined` whose messages follow one by one (Server-Sent Events): the room moves only where
   * they will not start from where it was, to just before the history asked for.
   */
  entered(item: Extract<ServerItem, { type: 'joined' }>): JoinedRoom | undefined {
    const entry = this.rooms.get(item.room);
    if (entry === undefined) return undefined;
    if (item.recovered !== true) {
      const start = Math.max(0, item.seq - entry.history);
      const had = entry.position?.epoch === item.epoch ? entry.position.seq : 0;
      entry.position = { epoch: item.epoch, seq: Math.max(had, start) };
    }
    entry.members = [...item.members].sort(byName);
    entry.state = 'joined';
    return this.answer(item, [], entry);
  }

  private answer(
    item: Extract<ServerItem, { type: 'joined' }>,
    messages: readonly ChatMessage[],
    entry: ClientRoom,
  ): JoinedRoom {
    return {
      room: item.room,
      epoch: item.epoch,
      seq: item.seq,
      ...(item.recovered === undefined ? {} : { recovered: item.recovered }),
      messages,
      members: entry.members,
    };
  }

  /** `members`, `member_joined` or `member_left`: the room's members after it. */
  presence(
    item: Extract<ServerItem, { type: 'members' | 'member_joined' | 'member_left' }>,
  ): readonly Member[] | undefined {
    const entry = this.rooms.get(item.room);
    if (entry === undefined) return undefined;
    if (item.type === 'members') entry.members = [...item.members];
    else {
      entry.members = entry.members.filter((member) => member.name !== item.name);
      if (item.type === 'member_joined') entry.members.push({ name: item.name, connections: 1 });
    }
    entry.members.sort(byName);
    return entry.members;
  }
}
