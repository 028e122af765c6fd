import {
  changedHere,
  connectionsOf,
  countChanges,
  decideRooms,
  evolveRooms,
  membersOf,
  mergeMembers,
  type NodeCounts,
  type NodeReport,
  type PresenceChange,
  type RoomsCommand,
  type RoomsState,
  reportedElsewhere,
} from '../../../src/domain/rooms/index.ts';
import { emptyRooms } from './rooms-support.ts';

/** What the rooms hub keeps of the other processes: per room, per name, per process. */
export type Seen = Map<string, Map<string, NodeCounts>>;

/**
 * A step of one process's view of presence, as the rooms hub takes it: a command of the core
 * here (its count changes seen with what the others have), or another process's report.
 */
export type Step =
  | Readonly<{ kind: 'here'; command: RoomsCommand }>
  | (NodeReport & { kind: 'there' });

export const report = (node: string, room: string, name: string, connections: number): Step => ({
  kind: 'there',
  node,
  room,
  name,
  connections,
});
export const here = (command: RoomsCommand): Step => ({ kind: 'here', command });

/** Takes one step from `state` and `seen` (kept up to date); returns the state and the changes. */
export const take = (state: RoomsState, seen: Seen, step: Step) => {
  const changes: PresenceChange[] = [];
  if (step.kind === 'there') {
    const names = seen.get(step.room) ?? new Map<string, NodeCounts>();
    const now = connectionsOf(state, step.room, step.name);
    const { counts, change } = reportedElsewhere(names.get(step.name), step, now);
    names.set(step.name, counts);
    seen.set(step.room, names);
    if (change !== undefined) changes.push(change);
    return { state, changes };
  }
  let current = state;
  for (const event of decideRooms(current, step.command)) {
    const next = evolveRooms(current, event);
    for (const count of countChanges(current, next, event)) {
      const change = changedHere(count, seen.get(count.room)?.get(count.name));
      if (change !== undefined) changes.push(change);
    }
    current = next;
  }
  return { state: current, changes };
};

export const takeAll = (
  steps: readonly Step[],
  start = emptyRooms(10, 5),
  seen: Seen = new Map(),
) => {
  const changes: PresenceChange[] = [];
  let state = start;
  for (const step of steps) {
    const taken = take(state, seen, step);
    state = taken.state;
    changes.push(...taken.changes);
  }
  return { state, seen, changes };
};

export const members = (state: RoomsState, seen: Seen, room: string) =>
  mergeMembers(membersOf(state, room), seen.get(room));
