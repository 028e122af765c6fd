import type { ConnectionId, DepartureReason, EvictionReason, Seq } from '../domain/index.ts';
import type { RoomName } from '../domain/rooms/index.ts';
import type { RoomMessage } from './ports/engine.port.ts';
import type { Joined, RoomRefusal } from './rooms/room-results.ts';

export type PublishResult = 'published' | 'too-large' | 'closed';

/** Why a transport ends a connection; the hub alone decides overflow and shutdown. */
export type TransportDeparture = Exclude<DepartureReason, 'send_buffer_full' | 'shutdown'>;

/** Why a transport throws a client out. */
export type TransportEviction = Exclude<EvictionReason, 'send_buffer_full'>;

/** What a transport holds for one connection in one room (plain, hubbub.v1, SSE, TCP). */
export interface Session {
  readonly id: ConnectionId;
  readonly room: RoomName;
  /** The user name the connection speaks as. */
  readonly name: string;
  /**
   * Where the room was when the connection joined, with the messages (and members) the join
   * asked for: handed over once, then forgotten, since it may hold a page of history.
   */
  takeEntry(): Joined | undefined;
  /**
   * The room's last message before this connection joined: it receives everything after it (0
   * when the room's numbering restarted before the transport began delivering).
   */
  readonly joinedAfter: Seq;
  /** The room's latest message here: everything after the connection's position up to here is for it. */
  readonly head: Seq;
  /** False once the connection has left or been removed by the hub. */
  readonly isOpen: boolean;
  /**
   * Publishes to the room: checked here (`too-large`, `closed`), stored on the way, in the order
   * of the calls; a store that fails is logged by the hub.
   */
  publish(text: string): PublishResult;
  /** Up to `max` messages of the room after `after`, oldest first. */
  read(after: Seq, max: number): readonly RoomMessage[];
  /** Everything up to `upTo` has been written to the connection. */
  acknowledge(upTo: Seq): void;
  /**
   * The transport ended the connection: `left` for a normal close, an eviction when the server
   * threw the client out, `dropped` when the connection failed. Never throws: transports call
   * it from socket callbacks.
   */
  leave(reason: TransportDeparture, detail?: string): void;
}

/** Thrown by `Hub.connect` once the hub has begun shutting down. */
export class HubClosedError extends Error {
  override readonly name = 'HubClosedError';
}

/** Thrown by `Hub.connect` when the room refused the connection (`too_many_rooms`, `unavailable`). */
export class JoinRefusedError extends Error {
  override readonly name = 'JoinRefusedError';
  constructor(readonly reason: RoomRefusal) {
    super(`join refused: ${reason}`);
  }
}
