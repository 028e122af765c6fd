import type { NodePresence, RoomMessage } from '../../app/ports/engine.port.ts';
import type { Epoch, RoomName } from '../../domain/rooms/index.ts';
import { ChannelPresence } from './channel-presence.ts';
import { type ChannelPayload, decodePayload } from './message-codec.ts';

/** Where a room is in Redis, with its messages after a seq; undefined when Redis has no such room. */
export type RoomWhere = Readonly<{
  epoch: Epoch;
  latest: number;
  messages: readonly RoomMessage[];
}>;

/** What a channel reads from Redis to close gaps and to learn who is elsewhere. */
export type ChannelReader = Readonly<{
  /** The room's epoch and latest seq, and its messages after `after` up to `upto` (the latest when omitted). */
  readAfter(room: RoomName, after: number, upto?: number): Promise<RoomWhere | undefined>;
  /** The other processes' live presence entries in the room. */
  presenceOf(room: RoomName): Promise<readonly NodePresence[]>;
}>;

const NOTHING_AFTER = Number.MAX_SAFE_INTEGER;
/** How soon a failed read to close a gap is tried again (Redis may be coming back). */
const RETRY_MS = 1_000;

/**
 * One room's PUB/SUB channel on this process: it hands its listeners every message of the room
 * once, in seq order, without gaps. A message that arrives after a jump in seq, and every
 * return of the subscriber connection, first reads what was missed from the history stream;
 * a new epoch's messages are handed over from seq 1. Presence changes of other processes pass
 * through, with a fresh snapshot after each return of the connection (`ChannelPresence`).
 */
export class RoomChannel {
  readonly messageListeners = new Set<(message: RoomMessage) => void>();
  readonly presenceListeners: Set<(presence: NodePresence) => void>;
  /** Resolves once the channel is subscribed and knows where the room is, and who is elsewhere. */
  readonly ready: Promise<void>;
  private last: { epoch: Epoch; seq: number } | undefined;
  private work: Promise<void>;
  private readonly presence: ChannelPresence;
  private retry: NodeJS.Timeout | undefined;
  private closed = false;
  private failing = false;
  /** Tasks waiting or under way (the first read counts from the start). */
  private queued = 1;

  constructor(
    private readonly room: RoomName,
    private readonly node: string,
    private readonly reader: ChannelReader,
    subscribe: (listener: (raw: string) => void) => Promise<unknown>,
    private readonly fault: (error: unknown) => void,
    presenceTtlMs: number,
  ) {
    this.presence = new ChannelPresence(presenceTtlMs, () =>
      this.enqueue(async () => {
        if (!this.closed) this.presence.settle(await this.reader.presenceOf(this.room));
      }),
    );
    this.presenceListeners = this.presence.listeners;
    // Where the room is as the channel is made (read before any later command of this process,
    // which shares the connection): everything stored after it is the listeners'.
    const baseline = reader.readAfter(room, NOTHING_AFTER);
    const subscribed = subscribe(this.received);
    this.ready = Promise.all([baseline, subscribed]).then(([where]) => {
      if (where !== undefined) this.last = { epoch: where.epoch, seq: where.latest };
      return this.sync();
    });
    this.work = this.ready
      .catch((error: unknown) => this.failed(error))
      .then(() => {
        this.queued -= 1;
      });
  }

  /**
   * A payload from the channel (the listener it subscribed with). The next message in order,
   * with nothing else under way, is handed over at once; anything else waits its turn.
   */
  readonly received = (raw: string): void => {
    const payload = decodePayload(this.room, raw);
    if (this.queued === 0 && !this.closed && this.isNext(payload)) {
      this.deliver([payload.message]);
      return;
    }
    this.enqueue(() => this.handle(payload));
  };

  private isNext(payload: ChannelPayload): payload is ChannelPayload & { kind: 'message' } {
    const last = this.last;
    return (
      payload.kind === 'message' &&
      last?.epoch === payload.message.epoch &&
      payload.message.seq === last.seq + 1
    );
  }

  /** The subscriber connection came back: what was published meanwhile is read. */
  resubscribed(): void {
    this.enqueue(() => this.sync());
  }

  get idle(): boolean {
    return this.messageListeners.size === 0 && this.presenceListeners.size === 0;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retry);
    this.presence.close();
  }

  private enqueue(task: () => Promise<void>): void {
    this.queued += 1;
    this.work = this.work
      .then(task)
      .catch((error: unknown) => this.failed(error))
      .then(() => {
        this.queued -= 1;
      });
  }

  private failed(error: unknown): void {
    // Told once per outage: the retry below comes every second while Redis is away.
    if (!this.failing) this.fault(error);
    this.failing = true;
    if (this.closed || this.retry !== undefined) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.resubscribed();
    }, RETRY_MS);
    this.retry.unref();
  }

  private async handle(payload: ChannelPayload): Promise<void> {
    if (this.closed) return;
    if (payload.kind === 'presence') {
      if (payload.presence.node !== this.node) this.presence.changed(payload.presence);
      return;
    }
    const message = payload.message;
    const last = this.last;
    if (last?.epoch === message.epoch) {
      if (message.seq <= last.seq) return;
      if (message.seq === last.seq + 1) return this.deliver([message]);
      return this.repair(message, last.seq);
    }
    return this.repair(message, 0); // a new epoch (or the first news of the room): from seq 1
  }

  /**
   * Delivers what `message` leaves out after `after`, then `message`. A message of another epoch
   * than the last is only taken once Redis confirms the room is in that epoch: one still on its
   * way from before the room was lost must not take the room back to its old numbering.
   */
  private async repair(message: RoomMessage, after: number): Promise<void> {
    const missing = message.seq - 1 > after;
    const read = missing || message.epoch !== this.last?.epoch;
    const where = read ? await this.reader.readAfter(this.room, after, message.seq - 1) : undefined;
    // The room was made anew since this message: its own epoch's messages will follow.
    if (read && where?.epoch !== message.epoch) return;
    this.deliver([...(where?.messages ?? []), message]);
  }

  /**
   * Reads what was stored since the last message handed over (with none, since the room was
   * made), so nothing published before the subscription took effect, or while the connection
   * was away, is missed.
   */
  private async sync(): Promise<void> {
    if (this.closed) return;
    const last = this.last;
    const where = await this.reader.readAfter(this.room, last?.seq ?? 0);
    if (where !== undefined && (last === undefined || where.epoch === last.epoch)) {
      this.deliver(where.messages);
    } else if (where !== undefined) {
      // A new epoch: the room was lost and made again meanwhile.
      this.deliver((await this.reader.readAfter(this.room, 0))?.messages ?? []);
    }
    this.presence.snapshot(await this.reader.presenceOf(this.room));
    this.failing = false;
  }

  private deliver(messages: readonly RoomMessage[]): void {
    for (const message of messages) {
      if (this.closed) return;
      const last = this.last;
      if (last?.epoch === message.epoch && message.seq <= last.seq) continue;
      this.last = { epoch: message.epoch, seq: message.seq };
      for (const listener of this.messageListeners) listener(message);
    }
  }
}
