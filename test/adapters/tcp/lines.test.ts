import test from 'ava';
import { type RunningServer, startServer } from '../../support/start-server.ts';
import { connectTcpRegistered } from '../support/tcp-client.ts';
import { sleep, waitUntil } from '../support/ws-client.ts';

const start = async (t: { teardown(fn: () => Promise<void>): void }, maxMessageBytes = 512) => {
  const server = await startServer({ tcpPort: 0, maxMessageBytes });
  t.teardown(() => server.stop());
  return server;
};

const broadcasts = (server: RunningServer): string[] =>
  server.events.flatMap((event) => (event.type === 'Broadcast' ? [event.text] : []));

test('TCP is off by default: no listener', async (t) => {
  const server = await startServer();
  t.teardown(() => server.stop());
  t.is(server.tcpPort, undefined);
});

test('newlines inside a broadcast are sent as spaces, so one message stays one line', async (t) => {
  const server = await start(t);
  const client = await connectTcpRegistered(server);
  server.publish('one\ntwo\r\nthree\rfour');
  t.deepEqual(await client.waitForMessages(1), ['one two  three four']);
});

test('a line ending in \\r\\n is the message without the \\r', async (t) => {
  const server = await start(t);
  const client = await connectTcpRegistered(server);
  client.write('hello\r\nworld\n');
  t.deepEqual(await client.waitForMessages(2), ['hello', 'world']);
  t.deepEqual(broadcasts(server), ['hello', 'world']);
});

test('a message split across TCP chunks is one message', async (t) => {
  const server = await start(t);
  const client = await connectTcpRegistered(server);
  client.socket.setNoDelay(true);
  client.write('hel');
  await sleep(30);
  client.write(Buffer.from('lo wö', 'utf8').subarray(0, 5)); // ends inside the ö
  await sleep(30);
  client.write(
    Buffer.concat([Buffer.from('lo wö', 'utf8').subarray(5), Buffer.from('rld\nnext\n')]),
  );
  t.deepEqual(await client.waitForMessages(2), ['hello wörld', 'next']);
});

test('a partial line over the limit is refused before its newline arrives', async (t) => {
  const server = await start(t, 16);
  const client = await connectTcpRegistered(server);
  client.write('x'.repeat(17)); // no newline: the server must not wait for one
  t.is(await client.closed, 'too-large');
  t.deepEqual(broadcasts(server), []);
});

test('a line of exactly the limit is accepted', async (t) => {
  const server = await start(t, 16);
  const client = await connectTcpRegistered(server);
  client.send('y'.repeat(16));
  t.deepEqual(await client.waitForMessages(1), ['y'.repeat(16)]);
});

test('shutdown sends the bye line; the transport stops listening', async (t) => {
  const server = await startServer({ tcpPort: 0 });
  const client = await connectTcpRegistered(server);
  await server.stop();
  t.is(await client.closed, 'shutdown');
  await waitUntil(() => client.socket.destroyed, 'the socket to close');
});
