import type { DepartureReason, Seq } from '../../domain/index.ts';
import type { Epoch, JoinRequest, PresenceChange, RoomName } from '../../domain/rooms/index.ts';
import type { PostResult } from '../rooms/room-results.ts';
import type { Session } from '../session.ts';
import type { RoomMessage } from './engine.port.ts';

/** A way for clients to reach the hub (WebSocket, in-memory, ...). */
export interface Transport {
  readonly name: string;
  /** Begins accepting connections. */
  start(): Promise<void>;
  /**
   * Stops accepting and resolves once every connection it carried has ended. Connections still
   * registered are closed by the hub's shutdown before this is called.
   */
  stop(): Promise<void>;
}

/** The hub's handle on one connection in one room, implemented by the transport that carries it. */
export interface Peer {
  /** The transport's name (`ws`, `sse`, ...), for logs and metrics. */
  readonly transport: string;
  /** Who is at the other end, e.g. `203.0.113.7:51234`, for logs. */
  readonly remote: string;
  /** Messages of the room up to `head` are pending: read them from the session when the channel can take them. */
  wake(head: Seq): void;
  /**
   * The room's numbering restarted (the engine lost the room): messages carry on from seq 1 of
   * `epoch`. A transport that carries the epoch tells its client (SSE: `reset`) and delivers
   * from there; one that does not ends the connection, so that its client reconnects.
   */
  renumbered(epoch: Epoch): void;
  /** It tells its client who comes and goes: then `presence` is called. */
  readonly showsPresence?: boolean;
  /** A name came to, or went from, the room (for transports that show presence). */
  presence?(change: PresenceChange): void;
  /** The hub removed this connection (its buffer overflowed, or the hub is shutting down). */
  close(reason: DepartureReason, detail?: string): void;
}

/**
 * Where a one-room connection goes, and as whom; `members` when the transport shows who is
 * there (listing a large room is work and memory a plain client does not need).
 */
export type Placement = JoinRequest & Readonly<{ room: RoomName; name: string; members?: boolean }>;

/** A message from no connection (one HTTP request). */
export type Post = Readonly<{ room: RoomName; name: string; text: string; id?: string }>;

/** What a one-room transport needs from the hub. */
export interface Hub {
  /**
   * Registers a connection and joins it to its room; rejects with `HubClosedError` once
   * shutdown has begun, `JoinRefusedError` when the room refuses it.
   */
  connect(peer: Peer, placement: Placement): Promise<Session>;
  /** Publishes a message that comes from no connection. */
  post(post: Post): Promise<PostResult>;
  /** Up to `limit` of the newest messages of `room` before `before`, ascending. */
  history(room: RoomName, limit: number, before?: Seq): Promise<readonly RoomMessage[]>;
  /** True once shutdown has begun: new connections are refused. */
  readonly isClosed: boolean;
  /** The store behind the rooms can be reached: sends and joins can succeed. */
  readonly storeAvailable: boolean;
}
