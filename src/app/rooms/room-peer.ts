import type { DepartureReason, Seq } from '../../domain/index.ts';
import type { Epoch, PresenceChange, RoomName } from '../../domain/rooms/index.ts';
import type { JoinResult } from './room-results.ts';

/** The rooms hub's handle on one connection, implemented by the transport that carries it. */
export interface RoomPeer {
  /** The transport's name (`ws`, `sse`, ...), for logs and metrics. */
  readonly transport: string;
  /** Who is at the other end, for logs. */
  readonly remote: string;
  /** It tells its client who comes and goes (`presence` is called only if so). */
  readonly showsPresence: boolean;
  /**
   * The connection is in `room` from `answer.seq` on: called as the join takes effect, before
   * any message of the room wakes it (the `joined` item goes out first).
   */
  joined(room: RoomName, answer: Extract<JoinResult, { kind: 'joined' }>): void;
  /** Messages of `room` up to `head` are pending: read them when the channel can take them. */
  wake(room: RoomName, head: Seq): void;
  /**
   * The numbering of `room` restarted (the engine lost the room): its messages carry on from
   * seq 1 of `epoch`, and what was pending of the old numbering is not delivered. Called before
   * the new epoch's first message wakes the connection.
   */
  renumbered(room: RoomName, epoch: Epoch): void;
  /** A name came to, or went from, a room the connection is in. */
  presence(change: PresenceChange): void;
  /** The hub removed this connection (its buffer overflowed, or the hub is shutting down). */
  close(reason: DepartureReason, detail?: string): void;
}
