import type { RoomName } from './room-vocabulary.ts';
import type { RoomsEvent } from './rooms-event.ts';
import type { RoomsState } from './rooms-state.ts';

/** Who is in a room (PROTOCOL-v2 `members`): each name with its number of connections there. */
export type Member = Readonly<{ name: string; connections: number }>;

/** A name got its first connection in a room, or lost its last (`member_joined` / `member_left`). */
export type PresenceChange = Readonly<{
  type: 'member_joined' | 'member_left';
  room: RoomName;
  name: string;
}>;

/** The members of `room` here, by name, sorted by name. */
export const membersOf = (state: RoomsState, room: RoomName): readonly Member[] => {
  const members: Member[] = [];
  state.rooms.get(room)?.names.forEach((connections, name) => {
    members.push({ name, connections });
  });
  return members.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
};

const connectionsOf = (state: RoomsState, room: RoomName, name: string): number =>
  state.rooms.get(room)?.names.get(name) ?? 0;

/**
 * What `event` changes in who is in which room, given the states before and after it: a join
 * by a name new to the room, a last connection of a name leaving it (by `Left`, or by
 * `Unregistered`, from every room it was in).
 */
export const presenceChanges = (
  before: RoomsState,
  after: RoomsState,
  event: RoomsEvent,
): readonly PresenceChange[] => {
  switch (event.type) {
    case 'Joined':
    case 'Left': {
      const name = before.connections.get(event.connectionId)?.name;
      if (name === undefined) return [];
      const was = connectionsOf(before, event.room, name);
      const is = connectionsOf(after, event.room, name);
      if (was === 0 && is > 0) return [{ type: 'member_joined', room: event.room, name }];
      if (was > 0 && is === 0) return [{ type: 'member_left', room: event.room, name }];
      return [];
    }
    case 'Unregistered': {
      const connection = before.connections.get(event.connectionId);
      if (connection === undefined) return [];
      return [...connection.cursors.keys()]
        .filter((room) => connectionsOf(after, room, connection.name) === 0)
        .map((room) => ({ type: 'member_left', room, name: connection.name }));
    }
    case 'Registered':
    case 'Renumbered':
    case 'Broadcast':
    case 'Overflowed':
    case 'Acknowledged':
      return [];
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
};
