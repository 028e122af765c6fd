import type { Seq } from '../../domain/index.ts';
import type { Epoch } from '../../domain/rooms/index.ts';
import type { RoomMessage } from '../ports/engine.port.ts';

/**
 * This process's copy of the recent messages of one room with members here, as the engine
 * delivers them: what the members' transports read from. It holds the last `capacity`
 * messages of the current epoch, enough for any member (a member further behind is evicted).
 */
export class RoomFeed {
  private readonly ring: (RoomMessage | undefined)[];
  private epochNow: Epoch | undefined;
  private headNow: Seq = 0;
  /**
   * The room's head in the core: the latest message its members here are to read (the feed
   * may hold more while a first join is on its way). Kept by the rooms hub.
   */
  delivered: Seq = 0;
  /** Stops the engine's delivery to this feed. */
  unsubscribe: () => void = () => {};

  constructor(capacity: number) {
    this.ring = new Array(capacity);
  }

  /**
   * Drops what the feed holds: the engine left its numbering (it lost the room), or what follows
   * cannot join it (a gap). The next message starts it again.
   */
  forgetNumbering(): void {
    this.ring.fill(undefined);
    this.epochNow = undefined;
    this.headNow = 0;
  }

  get epoch(): Epoch | undefined {
    return this.epochNow;
  }

  /** The latest seq held (0 before any). */
  get head(): Seq {
    return this.headNow;
  }

  /**
   * Takes a message from the engine: the next of its epoch, or the first of a new epoch (the
   * numbering restarted). Repeats are dropped; false for a message that leaves a gap.
   */
  push(message: RoomMessage): boolean {
    if (message.epoch === this.epochNow) {
      if (message.seq <= this.headNow) return true;
      if (message.seq !== this.headNow + 1 && this.headNow !== 0) return false;
    } else {
      this.forgetNumbering();
      this.epochNow = message.epoch;
    }
    this.ring[message.seq % this.ring.length] = message;
    this.headNow = message.seq;
    return true;
  }

  /** The message with this seq, if the feed still holds it. */
  get(seq: Seq): RoomMessage | undefined {
    const message = this.ring[seq % this.ring.length];
    return message?.seq === seq && message.epoch === this.epochNow ? message : undefined;
  }

  /** Up to `max` messages after `after`, ascending, as far as the feed holds them without a gap. */
  read(after: Seq, max: number): readonly RoomMessage[] {
    const messages: RoomMessage[] = [];
    for (let seq = after + 1; seq <= this.headNow && messages.length < max; seq++) {
      const message = this.get(seq);
      if (message === undefined) break;
      messages.push(message);
    }
    return messages;
  }

  /** Up to `max` messages after `after` that the core has delivered: what a member reads. */
  readDelivered(after: Seq, max: number): readonly RoomMessage[] {
    return this.read(after, Math.min(max, this.delivered - after));
  }

  /** The feed holds every message of `epoch` after `seq` (a joiner there can be caught up). */
  holdsAfter(epoch: string, seq: Seq): boolean {
    return epoch !== this.epochNow || this.headNow - seq < this.ring.length;
  }
}
