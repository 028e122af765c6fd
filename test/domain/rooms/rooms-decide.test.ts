import test from 'ava';
import { HubRuleViolation } from '../../../src/domain/index.ts';
import { joinRefusal, pendingIn } from '../../../src/domain/rooms/index.ts';
import {
  acknowledge,
  at,
  emptyRooms,
  join,
  leave,
  publish,
  register,
  run,
  runAll,
} from './rooms-support.ts';

test('a message goes to its room only: members of other rooms have nothing pending', (t) => {
  const { state } = runAll(emptyRooms(), [
    register('c1'),
    register('c2'),
    join('c1', 'a'),
    join('c2', 'b'),
    publish('a', 1),
  ]);
  t.is(pendingIn(state, 'c1'), 1);
  t.is(pendingIn(state, 'c2'), 0);
  t.is(state.rooms.get('a')?.head, 1);
});

test('a publish to a room with no member here decides nothing', (t) => {
  const { state } = runAll(emptyRooms(), [register('c1')]);
  t.deepEqual(run(state, publish('a', 7)).events, []);
});

test('pending counts every room of a connection, and a full buffer evicts it before the message that finds it full', (t) => {
  const { state } = runAll(emptyRooms(3), [
    register('c1'),
    register('c2'),
    join('c1', 'a'),
    join('c1', 'b'),
    join('c2', 'b'),
    publish('a', 1),
    publish('a', 2),
    publish('b', 1),
  ]);
  t.is(pendingIn(state, 'c1'), 3);
  const { events, state: after } = run(state, publish('b', 2));
  t.deepEqual(events, [
    { type: 'Overflowed', connectionId: 'c1', pending: 3, capacity: 3, at },
    { type: 'Unregistered', connectionId: 'c1', reason: 'send_buffer_full', at },
    { type: 'Broadcast', room: 'b', epoch: 'e', seq: 2, at },
  ]);
  t.false(after.connections.has('c1'));
  t.is(after.rooms.get('a'), undefined, 'a room with no member here is forgotten');
  t.is(pendingIn(after, 'c2'), 2);
});

test('a join starts after the seq the engine gave; a member ahead of the room here has nothing pending', (t) => {
  const { state } = runAll(emptyRooms(), [
    register('c1'),
    register('c2'),
    join('c1', 'a', 5),
    join('c2', 'a', 7),
  ]);
  t.is(state.rooms.get('a')?.head, 5);
  const after = runAll(state, [publish('a', 6)]).state;
  t.is(pendingIn(after, 'c1'), 1);
  t.is(pendingIn(after, 'c2'), 0);
});

test('a join behind the room here by more than the send buffer (stored while the engine answered) evicts the joiner; as far behind as the buffer takes, it joins', (t) => {
  const { state } = runAll(emptyRooms(3), [
    register('c1'),
    register('c2'),
    register('c3'),
    join('c1', 'a'),
    join('c2', 'b'),
    publish('b', 1),
    ...[1, 2, 3, 4].flatMap((seq) => [publish('a', seq), acknowledge('c1', 'a', seq)]),
  ]);
  // c2 has one pending in b: three more in a would be four, over its buffer of three.
  const { events, state: after } = run(state, join('c2', 'a', 1));
  t.deepEqual(events, [
    { type: 'Overflowed', connectionId: 'c2', pending: 4, capacity: 3, at },
    { type: 'Unregistered', connectionId: 'c2', reason: 'send_buffer_full', at },
  ]);
  t.false(after.connections.has('c2'));
  const fits = run(state, join('c3', 'a', 1));
  t.is(fits.events[0]?.type, 'Joined');
  t.is(pendingIn(fits.state, 'c3'), 3);
});

test('seqs per room are gap-free: a repeat decides nothing, a gap is a violation', (t) => {
  const { state } = runAll(emptyRooms(), [register('c1'), join('c1', 'a'), publish('a', 1)]);
  t.deepEqual(run(state, publish('a', 1)).events, []);
  t.throws(() => run(state, publish('a', 3)), { instanceOf: HubRuleViolation, message: /gap/ });
});

test('a new epoch renumbers the room: members carry on from its start', (t) => {
  const { state } = runAll(emptyRooms(), [register('c1'), join('c1', 'a', 4), publish('a', 5)]);
  const { events, state: after } = run(state, publish('a', 1, 'e2'));
  t.deepEqual(events, [
    { type: 'Renumbered', room: 'a', epoch: 'e2', at },
    { type: 'Broadcast', room: 'a', epoch: 'e2', seq: 1, at },
  ]);
  t.is(after.connections.get('c1')?.cursors.get('a'), 0);
  t.is(pendingIn(after, 'c1'), 1);
});

test('a renumbering drops what was pending of the old numbering: a member whose buffer it filled is not evicted by the new epoch, one full in another room still is', (t) => {
  const { state } = runAll(emptyRooms(3), [
    register('c1'),
    register('c2'),
    join('c1', 'a'),
    join('c2', 'a'),
    join('c2', 'b'),
    publish('a', 1),
    publish('a', 2),
    publish('a', 3),
    acknowledge('c2', 'a', 3),
    ...[1, 2, 3].map((seq) => publish('b', seq)),
  ]);
  t.is(pendingIn(state, 'c1'), 3, 'full in the old numbering of a');
  t.is(pendingIn(state, 'c2'), 3, 'full in b');
  const { events, state: after } = run(state, publish('a', 1, 'e2'));
  t.deepEqual(events, [
    { type: 'Renumbered', room: 'a', epoch: 'e2', at },
    { type: 'Overflowed', connectionId: 'c2', pending: 3, capacity: 3, at },
    { type: 'Unregistered', connectionId: 'c2', reason: 'send_buffer_full', at },
    { type: 'Broadcast', room: 'a', epoch: 'e2', seq: 1, at },
  ]);
  t.is(pendingIn(after, 'c1'), 1, "only the new epoch's first message");
});

test('acknowledging moves a cursor; not past the room, and not for a room left', (t) => {
  const { state } = runAll(emptyRooms(), [
    register('c1'),
    join('c1', 'a'),
    publish('a', 1),
    publish('a', 2),
  ]);
  const acked = run(state, acknowledge('c1', 'a', 2));
  t.is(pendingIn(acked.state, 'c1'), 0);
  t.deepEqual(run(acked.state, acknowledge('c1', 'a', 1)).events, []);
  t.throws(() => run(state, acknowledge('c1', 'a', 3)), { instanceOf: HubRuleViolation });
  const left = run(state, leave('c1', 'a')).state;
  t.deepEqual(run(left, acknowledge('c1', 'a', 2)).events, []);
  t.is(pendingIn(left, 'c1'), 0);
});

test('a connection may be in --max-rooms-per-connection rooms; joining one more is refused', (t) => {
  const { state } = runAll(emptyRooms(4, 2), [register('c1'), join('c1', 'a'), join('c1', 'b')]);
  const third = join('c1', 'c');
  if (third.type !== 'Join') return t.fail();
  t.is(joinRefusal(state, third), 'too_many_rooms');
  t.throws(() => run(state, third), { instanceOf: HubRuleViolation });
  t.is(joinRefusal(state, { ...third, room: 'a' }), undefined, 'a room it is in already');
  t.deepEqual(run(state, join('c1', 'a')).events, [], 'joining twice decides nothing');
});

test('unregistering leaves every room; leaving and unknown connections decide nothing more', (t) => {
  const { state } = runAll(emptyRooms(), [
    register('c1'),
    register('c2'),
    join('c1', 'a'),
    join('c1', 'b'),
    join('c2', 'b'),
  ]);
  const after = run(state, { type: 'Unregister', connectionId: 'c1', reason: 'left', at }).state;
  t.is(after.rooms.get('a'), undefined);
  t.deepEqual([...(after.rooms.get('b')?.members.keys() ?? [])], ['c2']);
  t.deepEqual(
    run(after, { type: 'Unregister', connectionId: 'c1', reason: 'left', at }).events,
    [],
  );
  t.deepEqual(run(after, join('c1', 'a')).events, []);
  t.deepEqual(run(after, leave('c2', 'a')).events, []);
});
