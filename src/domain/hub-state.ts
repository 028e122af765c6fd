import type { ConnectionId, Seq } from './hub-vocabulary.ts';

export type ConnectionState = Readonly<{
  /** Last broadcast acknowledged as written to this connection. */
  cursor: Seq;
  registeredAt: number;
}>;

/**
 * An immutable map of connections: `set` and `delete` return a new table and leave this one as
 * it was. The core needs nothing else of it; a persistent map (src/lib) makes each change
 * O(log n) instead of a copy of every connection.
 */
export interface ConnectionTable<V> extends ReadonlyMap<string, V> {
  set(key: string, value: V): ConnectionTable<V>;
  delete(key: string): ConnectionTable<V>;
}

export type HubState = Readonly<{
  /** Send-buffer size: how many broadcasts may be pending for one connection. */
  capacity: number;
  /** Sequence number of the latest broadcast (0 before the first). */
  head: Seq;
  /** Registered connections by id. */
  connections: ConnectionTable<ConnectionState>;
}>;

/** A hub with no connections and no broadcasts; `empty` is the table it keeps them in. */
export const initialState = (
  capacity: number,
  empty: ConnectionTable<ConnectionState>,
): HubState => {
  if (!Number.isSafeInteger(capacity) || capacity < 1) {
    throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }
  if (empty.size !== 0) throw new RangeError(`a new hub starts with no connections`);
  return { capacity, head: 0, connections: empty };
};

/** Broadcasts made while the connection was registered that it has not yet acknowledged. */
export const pendingOf = (state: HubState, connectionId: ConnectionId): number => {
  const connection = state.connections.get(connectionId);
  return connection === undefined ? 0 : state.head - connection.cursor;
};

export const isRegistered = (state: HubState, connectionId: ConnectionId): boolean =>
  state.connections.has(connectionId);
