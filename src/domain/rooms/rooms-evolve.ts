import type { ConnectionId, Seq } from '../hub-vocabulary.ts';
import type { RoomName } from './room-vocabulary.ts';
import type { RoomsEvent } from './rooms-event.ts';
import type { RoomConnection, RoomsState } from './rooms-state.ts';

const withCursor = (
  connection: RoomConnection,
  room: RoomName,
  cursor: Seq | undefined,
): RoomConnection => {
  const cursors = new Map(connection.cursors);
  if (cursor === undefined) cursors.delete(room);
  else cursors.set(room, cursor);
  return { ...connection, cursors };
};

/** The state without `connectionId` in `room`; a room left with no member here is forgotten. */
const withoutMember = (
  state: RoomsState,
  room: RoomName,
  connectionId: ConnectionId,
): RoomsState => {
  const here = state.rooms.get(room);
  if (here === undefined || !here.members.has(connectionId)) return state;
  const members = here.members.delete(connectionId);
  const name = state.connections.get(connectionId)?.name ?? '';
  const count = (here.names.get(name) ?? 1) - 1;
  const names = count > 0 ? here.names.set(name, count) : here.names.delete(name);
  const rooms =
    members.size === 0
      ? state.rooms.delete(room)
      : state.rooms.set(room, { ...here, members, names });
  return { ...state, rooms };
};

/** Applies one event to the state, returning a new state; never mutates `state`. */
export const evolveRooms = (state: RoomsState, event: RoomsEvent): RoomsState => {
  switch (event.type) {
    case 'Registered':
      return {
        ...state,
        connections: state.connections.set(event.connectionId, {
          name: event.name,
          registeredAt: event.at,
          cursors: new Map(),
        }),
      };
    case 'Unregistered': {
      const connection = state.connections.get(event.connectionId);
      if (connection === undefined) return state;
      let next = state;
      for (const room of connection.cursors.keys())
        next = withoutMember(next, room, event.connectionId);
      return { ...next, connections: next.connections.delete(event.connectionId) };
    }
    case 'Joined': {
      const connection = state.connections.get(event.connectionId);
      if (connection === undefined) return state;
      const here = state.rooms.get(event.room) ?? {
        epoch: event.epoch,
        head: event.cursor,
        members: state.empty<true>(),
        names: state.empty<number>(),
      };
      const names = here.names.set(connection.name, (here.names.get(connection.name) ?? 0) + 1);
      return {
        ...state,
        rooms: state.rooms.set(event.room, {
          ...here,
          members: here.members.set(event.connectionId, true),
          names,
        }),
        connections: state.connections.set(
          event.connectionId,
          withCursor(connection, event.room, event.cursor),
        ),
      };
    }
    case 'Left': {
      const connection = state.connections.get(event.connectionId);
      if (connection === undefined) return state;
      const next = withoutMember(state, event.room, event.connectionId);
      return {
        ...next,
        connections: next.connections.set(
          event.connectionId,
          withCursor(connection, event.room, undefined),
        ),
      };
    }
    case 'Renumbered': {
      const here = state.rooms.get(event.room);
      if (here === undefined) return state;
      let connections = state.connections;
      here.members.forEach((_, connectionId) => {
        const connection = connections.get(connectionId);
        if (connection !== undefined) {
          connections = connections.set(connectionId, withCursor(connection, event.room, 0));
        }
      });
      return {
        ...state,
        connections,
        rooms: state.rooms.set(event.room, { ...here, epoch: event.epoch, head: 0 }),
      };
    }
    case 'Broadcast': {
      const here = state.rooms.get(event.room);
      return here === undefined
        ? state
        : { ...state, rooms: state.rooms.set(event.room, { ...here, head: event.seq }) };
    }
    case 'Overflowed':
      return state; // the Unregistered that follows removes the connection
    case 'Acknowledged': {
      const connection = state.connections.get(event.connectionId);
      if (connection === undefined || !connection.cursors.has(event.room)) return state;
      return {
        ...state,
        connections: state.connections.set(
          event.connectionId,
          withCursor(connection, event.room, event.upTo),
        ),
      };
    }
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
};
