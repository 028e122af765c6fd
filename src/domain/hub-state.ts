import type { ConnectionId, Seq } from './hub-vocabulary.ts';
import { PersistentMap } from './persistent-map.ts';

export type ConnectionState = Readonly<{
  /** Last broadcast acknowledged as written to this connection. */
  cursor: Seq;
  registeredAt: number;
}>;

export type HubState = Readonly<{
  /** Send-buffer size: how many broadcasts may be pending for one connection. */
  capacity: number;
  /** Sequence number of the latest broadcast (0 before the first). */
  head: Seq;
  /**
   * Registered connections by id. Persistent, so an event costs O(log n) rather than a copy of
   * every connection; a `ReadonlyMap<ConnectionId, ConnectionState>` to readers.
   */
  connections: PersistentMap<ConnectionState>;
}>;

export const initialState = (capacity: number): HubState => {
  if (!Number.isSafeInteger(capacity) || capacity < 1) {
    throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }
  return { capacity, head: 0, connections: PersistentMap.empty() };
};

/** Broadcasts made while the connection was registered that it has not yet acknowledged. */
export const pendingOf = (state: HubState, connectionId: ConnectionId): number => {
  const connection = state.connections.get(connectionId);
  return connection === undefined ? 0 : state.head - connection.cursor;
};

export const isRegistered = (state: HubState, connectionId: ConnectionId): boolean =>
  state.connections.has(connectionId);
