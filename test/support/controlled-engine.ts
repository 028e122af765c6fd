import type {
  JoinAnswer,
  RoomMessage,
  SendDraft,
  Stored,
} from '../../src/app/ports/engine.port.ts';
import type { Seq } from '../../src/domain/index.ts';
import type { JoinRequest, RoomName } from '../../src/domain/rooms/index.ts';
import { DelegatingEngine } from './delegating-engine.ts';

type Subscription = { listener: (message: RoomMessage) => void; stop: () => void };

/**
 * The memory engine under a test's control. `lose(room)` does what a shared store that lost a
 * room (restarted without persistence, flushed, evicted) does, while the room has subscribers:
 * the room is numbered anew under a new epoch, from seq 1, and its subscribers get the new
 * epoch's messages. `holdJoins()` keeps the answers to joins until released (never, for an
 * engine that hangs). Each loss moves the room to a fresh room of the memory engine underneath.
 */
export class ControlledEngine extends DelegatingEngine {
  private readonly losses = new Map<RoomName, number>();
  private readonly subscriptions = new Map<RoomName, Set<Subscription>>();
  private joinsHeld: Promise<void> | undefined;
  /** Joins answered by the memory engine and held, not yet handed back. */
  joinsWaiting = 0;

  /** The room loses its messages and numbering: what is published next is seq 1 of a new epoch. */
  lose(room: RoomName): void {
    this.losses.set(room, (this.losses.get(room) ?? 0) + 1);
    for (const subscription of this.subscriptions.get(room) ?? []) {
      subscription.stop();
      subscription.stop = this.listen(room, subscription.listener);
    }
  }

  /** Joins from now on are answered only once the returned function is called. */
  holdJoins(): () => void {
    let release = () => {};
    this.joinsHeld = new Promise<void>((resolve) => {
      release = resolve;
    });
    return () => {
      this.joinsHeld = undefined;
      release();
    };
  }

  override async publish(draft: SendDraft): Promise<Stored> {
    const stored = await this.inner.publish({ ...draft, room: this.storedAs(draft.room) });
    return { ...stored, message: this.outside(draft.room, stored.message) };
  }

  override async join(room: RoomName, request: JoinRequest): Promise<JoinAnswer> {
    const answer = await this.inner.join(this.storedAs(room), request);
    if (this.joinsHeld !== undefined) {
      this.joinsWaiting++;
      await this.joinsHeld;
      this.joinsWaiting--;
    }
    return { ...answer, messages: answer.messages.map((m) => this.outside(room, m)) };
  }

  override async history(
    room: RoomName,
    limit: number,
    before?: Seq,
  ): Promise<readonly RoomMessage[]> {
    const messages = await this.inner.history(this.storedAs(room), limit, before);
    return messages.map((message) => this.outside(room, message));
  }

  override subscribe(room: RoomName, listener: (message: RoomMessage) => void): () => void {
    const subscription: Subscription = { listener, stop: this.listen(room, listener) };
    const subscriptions = this.subscriptions.get(room) ?? new Set();
    subscriptions.add(subscription);
    this.subscriptions.set(room, subscriptions);
    return () => {
      subscription.stop();
      subscriptions.delete(subscription);
    };
  }

  private listen(room: RoomName, listener: (message: RoomMessage) => void): () => void {
    return this.inner.subscribe(this.storedAs(room), (message) =>
      listener(this.outside(room, message)),
    );
  }

  /** The memory engine's room that holds `room` since its last loss. */
  private storedAs(room: RoomName): RoomName {
    const losses = this.losses.get(room) ?? 0;
    return losses === 0 ? room : `${room}~lost${losses}`;
  }

  private outside(room: RoomName, message: RoomMessage): RoomMessage {
    return message.room === room ? message : { ...message, room };
  }
}
