import { unregisteredBy } from '../decide.ts';
import { HubRuleViolation } from '../hub-rule-violation.ts';
import type { ConnectionId } from '../hub-vocabulary.ts';
import type {
  AcknowledgeRoom,
  JoinRoom,
  PublishToRoom,
  RoomsCommand,
  UnregisterConnection,
} from './rooms-command.ts';
import type { RoomsEvent } from './rooms-event.ts';
import { pendingIn, type RoomsState } from './rooms-state.ts';

/** Why a join is refused before it is decided: the transport tells the client (`too_many_rooms`). */
export const joinRefusal = (state: RoomsState, command: JoinRoom): 'too_many_rooms' | undefined => {
  const cursors = state.connections.get(command.connectionId)?.cursors;
  if (cursors === undefined || cursors.has(command.room)) return undefined;
  return cursors.size >= state.maxRooms ? 'too_many_rooms' : undefined;
};

const unregister = (state: RoomsState, command: UnregisterConnection): readonly RoomsEvent[] =>
  state.connections.has(command.connectionId) ? [unregisteredBy(command)] : [];

/** A connection whose send buffer is full is evicted: the two events that say so. */
const overflowed = (
  state: RoomsState,
  connectionId: ConnectionId,
  pending: number,
  at: number,
): RoomsEvent[] => [
  { type: 'Overflowed', connectionId, pending, capacity: state.capacity, at },
  { type: 'Unregistered', connectionId, reason: 'send_buffer_full', at },
];

const join = (state: RoomsState, command: JoinRoom): readonly RoomsEvent[] => {
  const connection = state.connections.get(command.connectionId);
  if (connection === undefined || connection.cursors.has(command.room)) return [];
  if (joinRefusal(state, command) !== undefined) {
    throw new HubRuleViolation(`${command.connectionId} is in ${state.maxRooms} rooms already`);
  }
  const { connectionId, room, epoch, seq, at } = command;
  const here = state.rooms.get(room);
  const renumbered: RoomsEvent[] =
    here !== undefined && here.epoch !== epoch ? [{ type: 'Renumbered', room, epoch, at }] : [];
  // Messages stored here while the engine answered the join are pending for the joiner: more
  // than its buffer takes is a full buffer, and it is evicted rather than handed a gap.
  const behind = here !== undefined && renumbered.length === 0 ? here.head - seq : 0;
  const pending = pendingIn(state, connectionId) + Math.max(0, behind);
  if (pending > state.capacity) return overflowed(state, connectionId, pending, at);
  return [...renumbered, { type: 'Joined', connectionId, room, epoch, cursor: seq, at }];
};

// Members whose send buffer (all their rooms together) is already full are evicted before the
// message is delivered, in connection-id order; the work is in proportion to the room's members.
const publish = (state: RoomsState, command: PublishToRoom): readonly RoomsEvent[] => {
  const { room, epoch, seq, at } = command;
  const here = state.rooms.get(room);
  if (here === undefined) return []; // no member here
  const events: RoomsEvent[] = [];
  let head = here.head;
  if (here.epoch !== epoch) {
    events.push({ type: 'Renumbered', room, epoch, at });
    head = 0;
  } else if (seq <= head) {
    return []; // delivered already: a store may deliver twice
  }
  if (seq !== head + 1) {
    throw new HubRuleViolation(`${room} seq ${seq} leaves a gap after ${head}`);
  }
  // Counted at the head in the numbering of this message: a renumbered room's old messages are
  // no longer pending for anyone (its members' cursors restart with it).
  const full: ConnectionId[] = [];
  const known = { room, head };
  here.members.forEach((_, connectionId) => {
    if (pendingIn(state, connectionId, known) >= state.capacity) full.push(connectionId);
  });
  for (const connectionId of full.sort()) {
    events.push(...overflowed(state, connectionId, pendingIn(state, connectionId, known), at));
  }
  events.push({ type: 'Broadcast', room, epoch, seq, at });
  return events;
};

const acknowledge = (state: RoomsState, command: AcknowledgeRoom): readonly RoomsEvent[] => {
  const { connectionId, room, upTo, at } = command;
  const cursor = state.connections.get(connectionId)?.cursors.get(room);
  if (cursor === undefined || upTo <= cursor) return [];
  const head = state.rooms.get(room)?.head ?? cursor;
  if (upTo > head) {
    throw new HubRuleViolation(`${connectionId} acknowledged ${room} ${upTo} beyond ${head}`);
  }
  return [{ type: 'Acknowledged', connectionId, room, upTo, at }];
};

/** Decides what happens when `command` meets `state`; pure, never mutates `state`. */
export const decideRooms = (state: RoomsState, command: RoomsCommand): readonly RoomsEvent[] => {
  switch (command.type) {
    case 'Register':
      return state.connections.has(command.connectionId)
        ? []
        : [
            {
              type: 'Registered',
              connectionId: command.connectionId,
              name: command.name,
              at: command.at,
            },
          ];
    case 'Unregister':
      return unregister(state, command);
    case 'Join':
      return join(state, command);
    case 'Leave':
      return state.connections.get(command.connectionId)?.cursors.has(command.room)
        ? [{ type: 'Left', connectionId: command.connectionId, room: command.room, at: command.at }]
        : [];
    case 'Publish':
      return publish(state, command);
    case 'Acknowledge':
      return acknowledge(state, command);
    default: {
      const unknown: never = command;
      throw new HubRuleViolation(`unknown command ${JSON.stringify(unknown)}`);
    }
  }
};
