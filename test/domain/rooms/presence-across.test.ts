import test from 'ava';
import fc from 'fast-check';
import {
  changedHere,
  connectionsOf,
  countChanges,
  decideRooms,
  type Elsewhere,
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
import { at, emptyRooms, join, leave, register, runAll } from './rooms-support.ts';

/** What the rooms hub keeps of the other processes: per room, per name, per process. */
type Seen = Map<string, Map<string, NodeCounts>>;

/**
 * A step of one process's view of presence, as the rooms hub takes it: a command of the core
 * here (its count changes seen with what the others have), or another process's report.
 */
type Step = Readonly<{ kind: 'here'; command: RoomsCommand }> | (NodeReport & { kind: 'there' });

const report = (node: string, room: string, name: string, connections: number): Step => ({
  kind: 'there',
  node,
  room,
  name,
  connections,
});
const here = (command: RoomsCommand): Step => ({ kind: 'here', command });

/** Takes one step from `state` and `seen` (kept up to date); returns the state and the changes. */
const take = (state: RoomsState, seen: Seen, step: Step) => {
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

const takeAll = (steps: readonly Step[], start = emptyRooms(10, 5), seen: Seen = new Map()) => {
  const changes: PresenceChange[] = [];
  let state = start;
  for (const step of steps) {
    const taken = take(state, seen, step);
    state = taken.state;
    changes.push(...taken.changes);
  }
  return { state, seen, changes };
};

const members = (state: RoomsState, seen: Seen, room: string) =>
  mergeMembers(membersOf(state, room), seen.get(room));

test('given ann on another process, when she joins here, then she is not new and counts twice', (t) => {
  const { state, seen, changes } = takeAll([
    report('n2', 'a', 'ann', 1),
    here(register('c1', 'ann')),
    here(register('c2', 'bob')),
    here(join('c1', 'a')),
    here(join('c2', 'a')),
  ]);
  t.deepEqual(changes, [
    { type: 'member_joined', room: 'a', name: 'ann' },
    { type: 'member_joined', room: 'a', name: 'bob' },
  ]);
  t.deepEqual(members(state, seen, 'a'), [
    { name: 'ann', connections: 2 },
    { name: 'bob', connections: 1 },
  ]);
});

test('given ann here and on two other processes, when her connections go one by one, then she leaves with the last', (t) => {
  const given = takeAll([
    here(register('c1', 'ann')),
    here(join('c1', 'a')),
    report('n2', 'a', 'ann', 2),
    report('n3', 'a', 'ann', 1),
  ]);
  t.deepEqual(given.changes, [{ type: 'member_joined', room: 'a', name: 'ann' }]);
  t.deepEqual(members(given.state, given.seen, 'a'), [{ name: 'ann', connections: 4 }]);
  const gone = takeAll(
    [
      here(leave('c1', 'a')),
      report('n2', 'a', 'ann', 1),
      report('n2', 'a', 'ann', 0),
      report('n3', 'a', 'ann', 0),
    ],
    given.state,
    given.seen,
  );
  t.deepEqual(gone.changes, [{ type: 'member_left', room: 'a', name: 'ann' }]);
  t.deepEqual(members(gone.state, gone.seen, 'a'), []);
});

test('given ann only on another process, when it reports her gone, then she leaves; a repeat of the report changes nothing', (t) => {
  const { state, seen, changes } = takeAll([
    report('n2', 'a', 'ann', 3),
    report('n2', 'a', 'ann', 3),
    report('n2', 'a', 'ann', 0),
    report('n2', 'a', 'ann', 0),
  ]);
  t.deepEqual(changes, [
    { type: 'member_joined', room: 'a', name: 'ann' },
    { type: 'member_left', room: 'a', name: 'ann' },
  ]);
  t.deepEqual(members(state, seen, 'a'), []);
});

test('given ann here and elsewhere, when her connection here is unregistered, then nobody hears she left', (t) => {
  const { changes } = takeAll([
    here(register('c1', 'ann')),
    here(join('c1', 'a')),
    here(join('c1', 'b')),
    report('n2', 'a', 'ann', 1),
    here({ type: 'Unregister', connectionId: 'c1', reason: 'dropped', at }),
  ]);
  t.deepEqual(changes, [
    { type: 'member_joined', room: 'a', name: 'ann' },
    { type: 'member_joined', room: 'b', name: 'ann' },
    { type: 'member_left', room: 'b', name: 'ann' },
  ]);
});

test('a count that is not a positive integer is none', (t) => {
  for (const connections of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    const { counts, change } = reportedElsewhere(
      new Map([['n2', 2]]),
      { room: 'a', node: 'n2', name: 'ann', connections },
      0,
    );
    t.deepEqual([...counts], [], String(connections));
    t.deepEqual(change, { type: 'member_left', room: 'a', name: 'ann' });
  }
});

test('given ann here once, when a second connection of hers joins, then her count goes 1 to 2; when one is unregistered, 2 to 1 in every room', (t) => {
  const { state } = runAll(emptyRooms(10, 5), [
    register('c1', 'ann'),
    register('c2', 'ann'),
    join('c1', 'a'),
    join('c2', 'b'),
  ]);
  const counted = (from: RoomsState, command: RoomsCommand) => {
    const { events } = runAll(from, [command]);
    let current = from;
    const changes = events.flatMap((event) => {
      const next = evolveRooms(current, event);
      const counts = countChanges(current, next, event);
      current = next;
      return counts;
    });
    return { changes, state: current };
  };
  const second = counted(state, join('c2', 'a'));
  t.deepEqual(second.changes, [{ room: 'a', name: 'ann', was: 1, is: 2 }]);
  const gone = counted(second.state, {
    type: 'Unregister',
    connectionId: 'c2',
    reason: 'send_buffer_full',
    at,
  });
  t.deepEqual(gone.changes, [
    { room: 'b', name: 'ann', was: 1, is: 0 },
    { room: 'a', name: 'ann', was: 2, is: 1 },
  ]);
});

const IDS = ['c1', 'c2', 'c3'];
const NAMES = ['ann', 'bob', 'cat'];
const ROOMS = ['a', 'b'];
const NODES = ['n2', 'n3'];

const step: fc.Arbitrary<Step> = fc.oneof(
  fc
    .record({ id: fc.constantFrom(...IDS), name: fc.constantFrom(...NAMES) })
    .map(({ id, name }) => here(register(id, name))),
  fc
    .constantFrom(...IDS)
    .map((connectionId) => here({ type: 'Unregister', connectionId, reason: 'left', at })),
  fc
    .record({ id: fc.constantFrom(...IDS), room: fc.constantFrom(...ROOMS) })
    .map(({ id, room }) => here(join(id, room))),
  fc
    .record({ id: fc.constantFrom(...IDS), room: fc.constantFrom(...ROOMS) })
    .map(({ id, room }) => here(leave(id, room))),
  fc
    .record({
      node: fc.constantFrom(...NODES),
      room: fc.constantFrom(...ROOMS),
      name: fc.constantFrom(...NAMES),
      connections: fc.nat(3),
    })
    .map(({ node, room, name, connections }) => report(node, room, name, connections)),
);

/** Each name's connections in `room` on every process: here's from the connections, the others' as last reported. */
const totals = (state: RoomsState, reported: ReadonlyMap<string, number>, room: string) => {
  const sums = new Map<string, number>();
  const add = (name: string, connections: number) => {
    if (connections > 0) sums.set(name, (sums.get(name) ?? 0) + connections);
  };
  for (const [, connection] of state.connections) {
    if (connection.cursors.has(room)) add(connection.name, 1);
  }
  for (const [key, connections] of reported) {
    const [node, reportedRoom, name] = key.split('/');
    if (node !== undefined && reportedRoom === room && name !== undefined) add(name, connections);
  }
  return sums;
};

test('under any steps: the members are the sum over processes, and a change is told exactly when a total crosses 0', (t) => {
  fc.assert(
    fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
      let state = emptyRooms(10, ROOMS.length);
      const seen: Seen = new Map();
      const reported = new Map<string, number>();
      for (const next of steps) {
        const before = ROOMS.map((room) => totals(state, reported, room));
        const taken = take(state, seen, next);
        state = taken.state;
        if (next.kind === 'there') {
          reported.set(`${next.node}/${next.room}/${next.name}`, next.connections);
        }
        ROOMS.forEach((room, index) => {
          const now = totals(state, reported, room);
          const expected = [...now]
            .map(([name, connections]) => ({ name, connections }))
            .sort((x, y) => x.name.localeCompare(y.name));
          t.deepEqual(members(state, seen, room), expected);
          const crossed = NAMES.flatMap((name): PresenceChange[] => {
            const was = before[index]?.get(name) ?? 0;
            const is = now.get(name) ?? 0;
            if (was === 0 && is > 0) return [{ type: 'member_joined', room, name }];
            if (was > 0 && is === 0) return [{ type: 'member_left', room, name }];
            return [];
          });
          const told = taken.changes.filter((change) => change.room === room);
          t.deepEqual(
            [...told].sort((x, y) => x.name.localeCompare(y.name)),
            crossed,
            JSON.stringify(next),
          );
        });
      }
    }),
    { numRuns: 500 },
  );
});

test('mergeMembers keeps the members here untouched when nothing is elsewhere', (t) => {
  const nothing: Elsewhere = new Map();
  const list = [{ name: 'ann', connections: 1 }];
  t.is(mergeMembers(list, nothing), list);
  t.is(mergeMembers(list, undefined), list);
});
