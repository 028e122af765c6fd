import type { RoomName } from '../../domain/rooms/index.ts';
import type { Engine, RoomMessage } from '../ports/engine.port.ts';
import type { Logger } from '../ports/logger.port.ts';
import { RoomFeed } from './room-feed.ts';

type RoomHere = Readonly<{ epoch: string; head: number }>;

/** What the feeds do with the messages they hold (a gap, or a fault of the core, is logged). */
export type FeedsToCore = Readonly<{
  /** The core takes `message`. */
  deliver(message: RoomMessage): void;
  /** The engine left a gap before a message of `room` it could not fill: its members here go. */
  gap(room: RoomName): void;
  /**
   * While the room has a feed, the core follows its other processes' presence too: called as
   * the feed begins to listen, and what it returns as the feed is dropped.
   */
  watch(room: RoomName): () => void;
}>;

/**
 * The feeds of the rooms with members here, or with a join on its way: each listens to the
 * engine for its room (its messages, and its presence on the other processes) from the moment
 * it is made until it is dropped.
 */
export class RoomFeeds {
  private readonly feeds = new Map<RoomName, RoomFeed>();
  private readonly joining = new Map<RoomName, number>();
  private readonly unwatch = new Map<RoomName, () => void>();

  constructor(
    private readonly engine: Engine,
    private readonly capacity: number,
    private readonly logger: Logger,
    private readonly core: FeedsToCore,
  ) {}

  /** A message from the engine: held, then given to the core (unless it leaves a gap). */
  private received(feed: RoomFeed, message: RoomMessage): void {
    const { room, seq } = message;
    if (!feed.push(message)) {
      // What the feed held is of no use to anyone now: it starts again at this message.
      feed.forgetNumbering();
      feed.push(message);
      this.core.gap(room);
      return;
    }
    try {
      this.core.deliver(message);
    } catch (error) {
      // A fault of ours must not be thrown at the engine (and the publisher behind it).
      this.logger.error('delivery failed', { room, seq, error: String(error) });
    }
  }

  /** After a join took effect (the room here as `here()`): the core takes what the feed got meanwhile. */
  catchUp(room: RoomName, here: () => RoomHere | undefined): void {
    for (const message of this.after(room, here())) this.core.deliver(message);
  }

  get(room: RoomName): RoomFeed | undefined {
    return this.feeds.get(room);
  }

  /** The core's head of `room` moved: its members read up to there. */
  headMoved(room: RoomName, head: number): void {
    const feed = this.feeds.get(room);
    if (feed !== undefined) feed.delivered = head;
  }

  /** A join of `room` begins: its feed listens (before the engine is read) and is kept. */
  joinStarted(room: RoomName): void {
    if (!this.feeds.has(room)) {
      const feed = new RoomFeed(this.capacity);
      feed.unsubscribe = this.engine.subscribe(room, (message) => this.received(feed, message));
      this.feeds.set(room, feed);
      // Before the engine is read too: its `join` answers after the presence it has now.
      this.unwatch.set(room, this.core.watch(room));
    }
    this.joining.set(room, (this.joining.get(room) ?? 0) + 1);
  }

  joinEnded(room: RoomName): void {
    const left = (this.joining.get(room) ?? 1) - 1;
    if (left > 0) this.joining.set(room, left);
    else this.joining.delete(room);
  }

  /**
   * What the feed of `room` holds that the core has not taken: after the room's head here in
   * the same epoch, everything held in a new one.
   */
  private after(room: RoomName, here: RoomHere | undefined): readonly RoomMessage[] {
    const feed = this.feeds.get(room);
    if (feed === undefined || here === undefined || feed.epoch === undefined) return [];
    return feed.read(feed.epoch === here.epoch ? here.head : 0, feed.head);
  }

  /** Stops listening for `room` unless it has members here or a join on its way. */
  dropUnless(room: RoomName, hasMembers: boolean): void {
    if (hasMembers || this.joining.has(room)) return;
    this.feeds.get(room)?.unsubscribe();
    this.feeds.delete(room);
    this.unwatch.get(room)?.();
    this.unwatch.delete(room);
  }
}
