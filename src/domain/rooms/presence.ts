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

/** A name's number of connections in a room here went from `was` to `is`. */
export type CountChange = Readonly<{ room: RoomName; name: string; was: number; is: number }>;

/** Members in the order `members` lists them: by name. */
export const byName = (a: Member, b: Member): number =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : 0;

/** The members of `room` here, by name, sorted by name. */
export const membersOf = (state: RoomsState, room: RoomName): readonly Member[] => {
  const members: Member[] = [];
  state.rooms.get(room)?.names.forEach((connections, name) => {
    members.push({ name, connections });
  });
  return members.sort(byName);
};

/** The connections of `name` in `room` here. */
export const connectionsOf = (state: RoomsState, room: RoomName, name: string): number =>
  state.rooms.get(room)?.names.get(name) ?? 0;

/** `member_joined` when a name's connections go from none to some, `member_left` back to none. */
export const crossing = (
  room: RoomName,
  name: string,
  was: number,
  is: number,
): PresenceChange | undefined => {
  if (was === 0 && is > 0) return { type: 'member_joined', room, name };
  if (was > 0 && is === 0) return { type: 'member_left', room, name };
  return undefined;
};

const counted = (
  before: RoomsState,
  after: RoomsState,
  room: RoomName,
  name: string,
): readonly CountChange[] => {
  const was = connectionsOf(before, room, name);
  const is = connectionsOf(after, room, name);
  return was === is ? [] : [{ room, name, was, is }];
};

/**
 * What `event` changes in how many connections each name has in each room here, given the
 * states before and after it: a join or a leave in its room, an `Unregistered` in every room
 * the connection was in.
 */
export const countChanges = (
  before: RoomsState,
  after: RoomsState,
  event: RoomsEvent,
): readonly CountChange[] => {
  switch (event.type) {
    case 'Joined':
    case 'Left': {
      const name = before.connections.get(event.connectionId)?.name;
      return name === undefined ? [] : counted(before, after, event.room, name);
    }
    case 'Unregistered': {
      const connection = before.connections.get(event.connectionId);
      if (connection === undefined) return [];
      return [...connection.cursors.keys()].flatMap((room) =>
        counted(before, after, room, connection.name),
      );
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

/**
 * What `event` changes in who is in which room here: a join by a name new to the room, a last
 * connection of a name leaving it (by `Left`, or by `Unregistered`, from every room it was in).
 */
export const presenceChanges = (
  before: RoomsState,
  after: RoomsState,
  event: RoomsEvent,
): readonly PresenceChange[] =>
  countChanges(before, after, event).flatMap(
    ({ room, name, was, is }) => crossing(room, name, was, is) ?? [],
  );
