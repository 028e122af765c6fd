import type { ConnectionTable } from '../hub-state.ts';
import type { ConnectionId, Seq } from '../hub-vocabulary.ts';
import type { Epoch, RoomName } from './room-vocabulary.ts';

/** One connection: when it registered, and in each room it has joined, the last message written to it. */
export type RoomConnection = Readonly<{
  /** The user name it registered with: presence counts connections by name. */
  name: string;
  registeredAt: number;
  cursors: ReadonlyMap<RoomName, Seq>;
}>;

/** One room with members on this hub: its numbering as the engine last gave it, and who is in it. */
export type Room = Readonly<{
  epoch: Epoch;
  /** The latest seq delivered to the room's members here. */
  head: Seq;
  members: ConnectionTable<true>;
  /** How many of the members have each name: presence without a scan of the members. */
  names: ConnectionTable<number>;
}>;

/** Makes an empty table: the core keeps its tables persistent, and is handed how to make them. */
export type EmptyTable = <V>() => ConnectionTable<V>;

export type RoomsState = Readonly<{
  /** Send-buffer size: messages pending for one connection, all its rooms together. */
  capacity: number;
  /** Rooms one connection may be in at once (`--max-rooms-per-connection`). */
  maxRooms: number;
  connections: ConnectionTable<RoomConnection>;
  rooms: ConnectionTable<Room>;
  empty: EmptyTable;
}>;

export const initialRoomsState = (
  capacity: number,
  maxRooms: number,
  empty: EmptyTable,
): RoomsState => {
  for (const [name, value] of [
    ['capacity', capacity],
    ['maxRooms', maxRooms],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`${name} must be a positive integer, got ${value}`);
    }
  }
  return { capacity, maxRooms, connections: empty(), rooms: empty(), empty };
};

/**
 * Messages of every room it is in that a connection has not yet been written. `known` is a
 * room whose head the caller holds already (a publish scans its room's members: most are in
 * that room alone, and need no other lookup).
 */
export const pendingIn = (
  state: RoomsState,
  connectionId: ConnectionId,
  known?: Readonly<{ room: RoomName; head: Seq }>,
): number => {
  const connection = state.connections.get(connectionId);
  if (connection === undefined) return 0;
  // A member may be ahead of the room here: its join read the engine before this hub saw the
  // latest messages. Those are not pending for it.
  let pending = 0;
  connection.cursors.forEach((cursor, room) => {
    const head = room === known?.room ? known.head : state.rooms.get(room)?.head;
    pending += Math.max(0, (head ?? cursor) - cursor);
  });
  return pending;
};
