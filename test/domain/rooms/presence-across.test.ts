import test from 'ava';
import {
  countChanges,
  type Elsewhere,
  evolveRooms,
  mergeMembers,
  type RoomsCommand,
  type RoomsState,
  reportedElsewhere,
} from '../../../src/domain/rooms/index.ts';
import { here, members, report, takeAll } from './presence-across-support.ts';
import { at, emptyRooms, join, leave, register, runAll } from './rooms-support.ts';

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

test('mergeMembers keeps the members here untouched when nothing is elsewhere', (t) => {
  const nothing: Elsewhere = new Map();
  const list = [{ name: 'ann', connections: 1 }];
  t.is(mergeMembers(list, nothing), list);
  t.is(mergeMembers(list, undefined), list);
});
