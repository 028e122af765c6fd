import { HubbubError, utf8Bytes } from './protocol.ts';

/** A message on its way: what goes on the wire (its id makes a retry harmless). */
export type Outgoing = Readonly<{ room: string; text: string; id: string }>;

type Pending = Outgoing &
  Readonly<{ resolve: (value: { seq: number }) => void; reject: (error: Error) => void }>;

/** A guest name like the server's, chosen once so that retries count as the same sender. */
export const guestName = (random: () => number): string =>
  `guest-${Math.floor(random() * 0xffffff)
    .toString(16)
    .padStart(6, '0')}`;

/**
 * The sends not yet acknowledged, in the order made: each resolves with its seq on its ack,
 * or rejects when refused. Ids are unique per client (time and a counter).
 */
export class Outbox {
  private readonly pending = new Map<string, Pending>();
  private nextId = 0;

  /** A new send, refused at once when over the server's limit; `write` tries it on the wire. */
  add(
    room: string,
    text: string,
    limits: Readonly<{ maxMessageBytes: number }> | undefined,
    write: (outgoing: Outgoing) => void,
  ): Promise<{ seq: number }> {
    const bytes = utf8Bytes(text);
    if (limits !== undefined && bytes > limits.maxMessageBytes) {
      const over = `${bytes} bytes, over the server's limit of ${limits.maxMessageBytes}`;
      return Promise.reject(new HubbubError('message_too_large', over));
    }
    const id = `${Date.now().toString(36)}-${(this.nextId++).toString(36)}`;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { room, text, id, resolve, reject });
      write({ room, text, id });
    });
  }

  /** The sends of `room` still waiting, oldest first. */
  *of(room: string): Iterable<Outgoing> {
    for (const { id, text, room: to } of this.pending.values())
      if (to === room) yield { room, text, id };
  }

  acknowledged(id: string, seq: number): void {
    this.pending.get(id)?.resolve({ seq });
    this.pending.delete(id);
  }

  /** True when a send with this id was waiting. */
  refuse(id: string, error: Error): boolean {
    const pending = this.pending.get(id);
    pending?.reject(error);
    this.pending.delete(id);
    return pending !== undefined;
  }

  /** Refuses every send of `room` still waiting: the room was left, or refused. */
  refuseRoom(
    room: string,
    error: Error = new HubbubError('not_joined', `left ${room}`, room),
  ): void {
    for (const { id } of this.of(room)) this.refuse(id, error);
  }

  refuseAll(error: Error): void {
    for (const id of [...this.pending.keys()]) this.refuse(id, error);
  }
}
