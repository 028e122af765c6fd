import test from 'ava';
import { startServer } from '../../support/start-server.ts';
import {
  broadcastCount,
  connectMany,
  utf8OfBytes,
  waitForUnregistered,
} from '../support/ws-client.ts';

test('a message one byte over the default limit closes the sender with 1009; others carry on', async (t) => {
  const server = await startServer();
  t.teardown(() => server.stop());
  t.is(server.hub.state.capacity, 256);
  const [sender, other, third] = await connectMany(server, 3);
  if (sender === undefined || other === undefined || third === undefined) throw new Error('x');

  sender.send('fine');
  await other.waitForMessages(1);
  sender.send(utf8OfBytes(513));

  const closed = await sender.waitForClose();
  t.is(closed.code, 1009);
  const gone = await waitForUnregistered(server, sender.id);
  t.is(gone.reason, 'message_too_large');

  third.send('later');
  await other.waitForMessages(2);
  t.deepEqual(other.messages, ['fine', 'later']);
  await third.waitForMessages(2);
  t.deepEqual(third.messages, ['fine', 'later']);
  t.true(other.isOpen);
  t.true(third.isOpen);
  t.is(broadcastCount(server), 2, 'the oversized message was never broadcast');
});

test('--max-message-bytes is honoured: 16 bytes pass, 17 bytes close with 1009', async (t) => {
  const server = await startServer({ maxMessageBytes: 16 });
  t.teardown(() => server.stop());
  const [sender, reader] = await connectMany(server, 2);
  if (sender === undefined || reader === undefined) throw new Error('unreachable');

  const sixteen = utf8OfBytes(16); // four 4-byte emoji
  const ascii = 'a'.repeat(16);
  sender.send(sixteen);
  sender.send(ascii);
  await reader.waitForMessages(2);
  t.deepEqual(reader.messages, [sixteen, ascii]);

  // 17 bytes of multi-byte text: the limit is bytes, not characters (6 characters here).
  const seventeen = `${'€'.repeat(5)}é`;
  t.is(Buffer.byteLength(seventeen), 17);
  sender.send(seventeen);
  t.is((await sender.waitForClose()).code, 1009);
  t.like(await waitForUnregistered(server, sender.id), { reason: 'message_too_large' });
  t.true(reader.isOpen);
  t.is(broadcastCount(server), 2);
});

test('a binary message closes the sender with 1003 and is not broadcast', async (t) => {
  const server = await startServer();
  t.teardown(() => server.stop());
  const [sender, reader] = await connectMany(server, 2);
  if (sender === undefined || reader === undefined) throw new Error('unreachable');

  sender.ws.send(Buffer.from('hello'), { binary: true });
  const closed = await sender.waitForClose();
  t.is(closed.code, 1003);
  t.is(closed.reason, 'binary messages are not accepted');
  t.like(await waitForUnregistered(server, sender.id), { reason: 'invalid_message' });

  const [writer] = await connectMany(server, 1);
  writer?.send('text still works');
  await reader.waitForMessages(1);
  t.deepEqual(reader.messages, ['text still works']);
  t.is(reader.binaryMessages, 0);
  t.is(broadcastCount(server), 1);
});

test('invalid UTF-8 in a text message closes the sender with 1007 and is not broadcast', async (t) => {
  const server = await startServer();
  t.teardown(() => server.stop());
  const [sender, reader] = await connectMany(server, 2);
  if (sender === undefined || reader === undefined) throw new Error('unreachable');

  sender.ws.send(Buffer.from([0x68, 0x69, 0xff, 0xfe]), { binary: false });
  t.is((await sender.waitForClose()).code, 1007);
  t.like(await waitForUnregistered(server, sender.id), { reason: 'invalid_message' });
  t.true(reader.isOpen);
  t.is(broadcastCount(server), 0);
  t.deepEqual(reader.messages, []);
});

test('a lone surrogate half encoded as bytes (CESU-style) is also invalid UTF-8: 1007', async (t) => {
  const server = await startServer();
  t.teardown(() => server.stop());
  const [sender] = await connectMany(server, 1);
  if (sender === undefined) throw new Error('unreachable');
  // U+D800 encoded as if it were a scalar value: ED A0 80 is not valid UTF-8.
  sender.ws.send(Buffer.from([0xed, 0xa0, 0x80]), { binary: false });
  t.is((await sender.waitForClose()).code, 1007);
  t.is(broadcastCount(server), 0);
});
