import test from 'ava';
import type { WriteDone } from '../../../src/adapters/kit/delivery.ts';
import { encodedAs, type Outbound } from '../../../src/adapters/kit/outbound-cache.ts';
import { writeEach } from '../../../src/adapters/kit/write-each.ts';
import { roomMessage } from '../../support/room-message.ts';
import { LINE } from './support/fake-connection.ts';
import { FakeSocket } from './support/fake-socket.ts';

const outbox = (...texts: string[]): Outbound[] =>
  texts.map((text, i) => ({ seq: i + 1, text, message: roomMessage(i + 1, text), encoded: [] }));

test('several broadcasts go out in one corked write, the callback on the last only', (t) => {
  const socket = new FakeSocket();
  const messages = outbox('a', 'bb', 'ccc');
  const done: WriteDone = () => {};
  writeEach(socket, messages, LINE, done);
  t.deepEqual(socket.calls, ['cork', 'write(2)', 'write(3)', 'write(4, done)', 'uncork']);
  t.is(socket.received.toString(), 'a\nbb\nccc\n');
});

test('one broadcast is one plain write, with the callback', (t) => {
  const socket = new FakeSocket();
  writeEach(socket, outbox('a'), LINE, () => {});
  t.deepEqual(socket.calls, ['write(2, done)']);
});

test('the shared encoded bytes are written as they are, never copied', (t) => {
  const socket = new FakeSocket();
  const messages = outbox('a', 'b');
  writeEach(socket, messages, LINE, () => {});
  t.is(socket.chunks[0], encodedAs(messages[0] as Outbound, LINE));
  t.is(socket.chunks[1], encodedAs(messages[1] as Outbound, LINE));
  const one = outbox('c');
  writeEach(socket, one, LINE, () => {});
  t.is(socket.chunks[2], encodedAs(one[0] as Outbound, LINE));
});

test('the callback comes once, when the last write completes', (t) => {
  const socket = new FakeSocket();
  let calls = 0;
  writeEach(socket, outbox('a', 'b', 'c'), LINE, () => calls++);
  socket.complete(2);
  t.is(calls, 0);
  socket.complete(1);
  t.is(calls, 1);
});
