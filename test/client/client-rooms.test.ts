import test from 'ava';
import { ClientRooms } from '../../src/client/client-rooms.ts';
import type { ChatMessage } from '../../src/client/index.ts';

const message = (epoch: string, seq: number): ChatMessage & { type: 'message' } => ({
  type: 'message',
  room: 'r',
  epoch,
  seq,
  text: `m${seq}`,
  from: 'ann',
  at: 0,
});

const joinedItem = (epoch: string, seq: number, recovered?: boolean) => ({
  type: 'joined' as const,
  room: 'r',
  epoch,
  seq,
  ...(recovered === undefined ? {} : { recovered }),
  messages: [],
  members: [{ name: 'ann', connections: 1 }],
});

test('an SSE joined (messages to follow) makes room for the history asked for, and no more', (t) => {
  const rooms = new ClientRooms();
  rooms.entry('r', 50);
  const joined = rooms.entered(joinedItem('e1', 120));
  t.like(joined, { room: 'r', epoch: 'e1', seq: 120, messages: [] });
  t.deepEqual(rooms.get('r')?.position, { epoch: 'e1', seq: 70 });
  t.false(rooms.deliver(message('e1', 70)), 'older than the history asked for');
  t.true(rooms.deliver(message('e1', 71)));
  t.false(rooms.deliver(message('e1', 71)), 'twice');
});

test('an SSE resume: recovered keeps the position; not recovered moves it, never back within an epoch', (t) => {
  const rooms = new ClientRooms();
  rooms.entry('r', 50);
  rooms.entered(joinedItem('e1', 10));
  for (let seq = 1; seq <= 10; seq++) rooms.deliver(message('e1', seq));
  rooms.entered(joinedItem('e1', 14, true));
  t.deepEqual(rooms.get('r')?.position, { epoch: 'e1', seq: 10 });
  t.true(rooms.deliver(message('e1', 11)));
  // The gap was not recovered: the history asked for follows, what was had is not again.
  rooms.entered(joinedItem('e1', 40, false));
  t.deepEqual(rooms.get('r')?.position, { epoch: 'e1', seq: 11 });
  rooms.entered(joinedItem('e1', 200, false));
  t.deepEqual(rooms.get('r')?.position, { epoch: 'e1', seq: 150 });
  // A new epoch (the server restarted): its own numbering, from its history.
  rooms.entered(joinedItem('e2', 3, false));
  t.deepEqual(rooms.get('r')?.position, { epoch: 'e2', seq: 0 });
  t.true(rooms.deliver(message('e2', 1)));
});

test('a live message of another epoch (the room was renumbered) is new whatever its seq: the room moves to that epoch, and its seqs count from there', (t) => {
  const rooms = new ClientRooms();
  rooms.entry('r', 0);
  rooms.joined(joinedItem('e1', 0));
  for (let seq = 1; seq <= 3; seq++) t.true(rooms.deliver(message('e1', seq)));
  t.true(rooms.deliver(message('e2', 1)), 'seq 1 again, of the new numbering');
  t.deepEqual(rooms.get('r')?.position, { epoch: 'e2', seq: 1 });
  t.false(rooms.deliver(message('e2', 1)), 'twice');
  t.true(rooms.deliver(message('e2', 2)));
  // A rejoin answered in the new epoch keeps only what the client does not have.
  const joined = rooms.joined({
    ...joinedItem('e2', 3, true),
    messages: [message('e2', 2), message('e2', 3)],
  });
  t.deepEqual(
    joined?.messages.map((m) => m.seq),
    [3],
  );
});
