import test from 'ava';
import fc from 'fast-check';
import {
  decideRooms,
  evolveRooms,
  membersOf,
  type PresenceChange,
  presenceChanges,
  type RoomsCommand,
  type RoomsState,
} from '../../../src/domain/rooms/index.ts';
import { at, emptyRooms, join, leave, register, runAll } from './rooms-support.ts';

/** Runs commands, collecting the presence changes each event makes. */
const withPresence = (state: RoomsState, commands: readonly RoomsCommand[]) => {
  const changes: PresenceChange[] = [];
  let current = state;
  for (const command of commands) {
    for (const event of decideRooms(current, command)) {
      const next = evolveRooms(current, event);
      changes.push(...presenceChanges(current, next, event));
      current = next;
    }
  }
  return { state: current, changes };
};

test('members are counted by name, across connections; a name joins with its first connection and leaves with its last', (t) => {
  const { state, changes } = withPresence(emptyRooms(10, 5), [
    register('c1', 'ann'),
    register('c2', 'ann'),
    register('c3', 'bob'),
    join('c1', 'a'),
    join('c2', 'a'),
    join('c3', 'a'),
    leave('c1', 'a'),
  ]);
  t.deepEqual(membersOf(state, 'a'), [
    { name: 'ann', connections: 1 },
    { name: 'bob', connections: 1 },
  ]);
  t.deepEqual(changes, [
    { type: 'member_joined', room: 'a', name: 'ann' },
    { type: 'member_joined', room: 'a', name: 'bob' },
  ]);
  const gone = withPresence(state, [
    { type: 'Unregister', connectionId: 'c2', reason: 'left', at },
  ]);
  t.deepEqual(gone.changes, [{ type: 'member_left', room: 'a', name: 'ann' }]);
  t.deepEqual(membersOf(gone.state, 'a'), [{ name: 'bob', connections: 1 }]);
  t.deepEqual(membersOf(gone.state, 'nowhere'), []);
});

test('an unregistered connection leaves every room it was in', (t) => {
  const { state } = runAll(emptyRooms(10, 5), [
    register('c1', 'ann'),
    join('c1', 'a'),
    join('c1', 'b'),
  ]);
  const gone = withPresence(state, [
    { type: 'Unregister', connectionId: 'c1', reason: 'dropped', at },
  ]);
  t.deepEqual(gone.changes, [
    { type: 'member_left', room: 'a', name: 'ann' },
    { type: 'member_left', room: 'b', name: 'ann' },
  ]);
});

const IDS = ['c1', 'c2', 'c3', 'c4'];
const NAMES = ['ann', 'bob'];
const ROOMS = ['a', 'b'];

const command: fc.Arbitrary<RoomsCommand> = fc.oneof(
  fc
    .record({ id: fc.constantFrom(...IDS), name: fc.constantFrom(...NAMES) })
    .map(({ id, name }) => register(id, name)),
  fc
    .constantFrom(...IDS)
    .map(
      (connectionId): RoomsCommand => ({ type: 'Unregister', connectionId, reason: 'left', at }),
    ),
  fc
    .record({ id: fc.constantFrom(...IDS), room: fc.constantFrom(...ROOMS) })
    .map(({ id, room }) => join(id, room)),
  fc
    .record({ id: fc.constantFrom(...IDS), room: fc.constantFrom(...ROOMS) })
    .map(({ id, room }) => leave(id, room)),
);

test('presence always equals the names with a joined connection, and its changes replayed give it', (t) => {
  fc.assert(
    fc.property(fc.array(command, { maxLength: 60 }), (commands) => {
      // Enough rooms per connection that no join is refused.
      const { state, changes } = withPresence(emptyRooms(10, ROOMS.length), commands);
      for (const room of ROOMS) {
        const expected = new Map<string, number>();
        for (const [, connection] of state.connections) {
          if (connection.cursors.has(room))
            expected.set(connection.name, (expected.get(connection.name) ?? 0) + 1);
        }
        t.deepEqual(
          membersOf(state, room),
          [...expected]
            .map(([name, connections]) => ({ name, connections }))
            .sort((x, y) => x.name.localeCompare(y.name)),
        );
        const present = new Set<string>();
        for (const change of changes.filter((c) => c.room === room)) {
          if (change.type === 'member_joined') {
            t.false(present.has(change.name), 'joined twice without leaving');
            present.add(change.name);
          } else {
            t.true(present.delete(change.name), 'left without having joined');
          }
        }
        t.deepEqual([...present].sort(), [...expected.keys()].sort());
      }
    }),
    { numRuns: 1_000 },
  );
});
