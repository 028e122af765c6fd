import test from 'ava';
import { type RunningServer, startServer } from '../../support/start-server.ts';
import { connectTcpRegistered } from '../support/tcp-client.ts';
import { utf8OfBytes, waitForUnregistered } from '../support/ws-client.ts';

// A line that is not valid UTF-8 is refused, as WebSocket refuses it with 1007; the byte limit
// counts the bytes the client sent, not what they would become once decoded. Issue 11.

const start = async (t: { teardown(fn: () => Promise<void>): void }) => {
  const server = await startServer({ tcpPort: 0, maxMessageBytes: 512 });
  t.teardown(() => server.stop());
  return server;
};

const broadcasts = (server: RunningServer): string[] =>
  server.events.flatMap((event) => (event.type === 'Broadcast' ? [event.text] : []));

const NOT_UTF8_LINE = 'error: message is not valid UTF-8';

test('a line of invalid UTF-8 gets an error line, is not broadcast, and ends the connection', async (t) => {
  const server = await start(t);
  const listener = await connectTcpRegistered(server);
  const sender = await connectTcpRegistered(server);
  sender.send('before');
  sender.write(Buffer.from([0x68, 0x69, 0xff, 0x0a]));
  sender.send('never read');
  t.is(await sender.closed, 'other');
  t.is(sender.serverLine, NOT_UTF8_LINE);
  t.deepEqual(sender.messages, ['before'], 'its own accepted line came before the error');
  t.like(await waitForUnregistered(server, sender.id), { reason: 'invalid_message' });
  t.deepEqual(broadcasts(server), ['before']);
  t.deepEqual(await listener.waitForMessages(1), ['before']);
});

test('171 bytes of 0xFF are invalid UTF-8, not too large', async (t) => {
  const server = await start(t);
  const sender = await connectTcpRegistered(server);
  sender.write(Buffer.concat([Buffer.alloc(171, 0xff), Buffer.from('\n')]));
  await sender.closed;
  t.is(sender.serverLine, NOT_UTF8_LINE);
  t.like(await waitForUnregistered(server, sender.id), { reason: 'invalid_message' });
  t.deepEqual(broadcasts(server), []);
});

test('a valid multi-byte line of exactly the limit is broadcast', async (t) => {
  const server = await start(t);
  const sender = await connectTcpRegistered(server);
  const text = utf8OfBytes(512);
  sender.send(text);
  t.deepEqual(await sender.waitForMessages(1), [text]);
  t.deepEqual(broadcasts(server), [text]);
});

test('one byte more than the limit is too large, however it would decode', async (t) => {
  const server = await start(t);
  const sender = await connectTcpRegistered(server);
  sender.send(utf8OfBytes(513));
  t.is(await sender.closed, 'too-large');
  t.deepEqual(broadcasts(server), []);
});
