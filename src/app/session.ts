import type { ConnectionId, DepartureReason, EvictionReason, Seq } from '../domain/index.ts';
import type { LoggedMessage } from './ports/message-log.port.ts';

export type PublishResult = 'published' | 'too-large' | 'closed';

/** Why a transport ends a connection; the hub alone decides overflow and shutdown. */
export type TransportDeparture = Exclude<DepartureReason, 'send_buffer_full' | 'shutdown'>;

/** Why a transport throws a client out. */
export type TransportEviction = Exclude<EvictionReason, 'send_buffer_full'>;

/** What a transport holds for one registered connection. */
export interface Session {
  readonly id: ConnectionId;
  /** The last broadcast before this connection joined: it receives everything after it. */
  readonly joinedAfter: Seq;
  /** The latest broadcast: everything after the connection's position up to here is for it. */
  readonly head: Seq;
  /** False once the connection has left or been removed by the hub. */
  readonly isOpen: boolean;
  publish(text: string): PublishResult;
  /** Up to `max` broadcasts after `after`, oldest first. */
  read(after: Seq, max: number): readonly LoggedMessage[];
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
