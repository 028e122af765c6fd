import type { DepartureReason, Seq } from '../../domain/index.ts';
import type { PublishResult, Session } from '../session.ts';

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

/** The hub's handle on one connection, implemented by the transport that carries it. */
export interface Peer {
  /** The transport's name (`ws`, `sse`, ...), for logs and metrics. */
  readonly transport: string;
  /** Who is at the other end, e.g. `203.0.113.7:51234`, for logs. */
  readonly remote: string;
  /** Broadcasts up to `head` are pending: read them from the session when the channel can take them. */
  wake(head: Seq): void;
  /** The hub removed this connection (its buffer overflowed, or the hub is shutting down). */
  close(reason: DepartureReason, detail?: string): void;
}

/** What a transport needs from the hub. */
export interface Hub {
  /** Registers a connection; throws `HubClosedError` once shutdown has begun. */
  connect(peer: Peer): Session;
  /**
   * Publishes a message that comes from no registered connection (e.g. one HTTP request);
   * `closed` once shutdown has begun, `too-large` past the message size limit.
   */
  publish(text: string): PublishResult;
  /** True once shutdown has begun: new connections are refused. */
  readonly isClosed: boolean;
}
