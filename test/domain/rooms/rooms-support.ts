import type { ConnectionTable } from '../../../src/domain/index.ts';
import {
  decideRooms,
  evolveRooms,
  initialRoomsState,
  type RoomsCommand,
  type RoomsEvent,
  type RoomsState,
} from '../../../src/domain/rooms/index.ts';
import { PersistentMap } from '../../../src/lib/persistent-map.ts';

export const at = 1_000;
const empty = <V>(): ConnectionTable<V> => PersistentMap.empty<V>();

export const emptyRooms = (capacity = 4, maxRooms = 3): RoomsState =>
  initialRoomsState(capacity, maxRooms, empty);

export const replayRooms = (state: RoomsState, events: readonly RoomsEvent[]): RoomsState =>
  events.reduce(evolveRooms, state);

/** Decides and applies one command; returns the events and the state after them. */
export const run = (state: RoomsState, command: RoomsCommand) => {
  const events = decideRooms(state, command);
  return { events, state: replayRooms(state, events) };
};

export const register = (connectionId: string, name = `user-${connectionId}`): RoomsCommand => ({
  type: 'Register',
  connectionId,
  name,
  at,
});
export const join = (connectionId: string, room: string, seq = 0, epoch = 'e'): RoomsCommand => ({
  type: 'Join',
  connectionId,
  room,
  epoch,
  seq,
  at,
});
export const leave = (connectionId: string, room: string): RoomsCommand => ({
  type: 'Leave',
  connectionId,
  room,
  at,
});
export const publish = (room: string, seq: number, epoch = 'e'): RoomsCommand => ({
  type: 'Publish',
  room,
  epoch,
  seq,
  at,
});
export const acknowledge = (connectionId: string, room: string, upTo: number): RoomsCommand => ({
  type: 'Acknowledge',
  connectionId,
  room,
  upTo,
  at,
});

/** Runs commands in order from `state`, keeping every event. */
export const runAll = (state: RoomsState, commands: readonly RoomsCommand[]) => {
  const events: RoomsEvent[] = [];
  let current = state;
  for (const command of commands) {
    const step = run(current, command);
    events.push(...step.events);
    current = step.state;
  }
  return { events, state: current };
};
