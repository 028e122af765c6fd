import { connect as netConnect } from 'node:net';
import test from 'ava';
import {
  connect,
  connectMany,
  connectRegistered,
  sleep,
  within,
} from '../adapters/support/ws-client.ts';
import { startServer } from '../support/start-server.ts';

test('stop() closes every client with 1001, unregisters them as shutdown, and resolves', async (t) => {
  const server = await startServer();
  const clients = await connectMany(server, 3);
  clients[0]?.send('last words');
  for (const client of clients) await client.waitForMessages(1);

  await within(server.stop(), 'stop() to resolve');

  for (const client of clients) {
    t.deepEqual(await client.waitForClose(), { code: 1001, reason: 'server shutting down' });
    t.like(
      server.events.find((e) => e.type === 'Unregistered' && e.connectionId === client.id),
      { reason: 'shutdown' },
    );
  }
  t.is(server.hub.state.connections.size, 0);
  t.true(server.hub.isClosed);
  t.true(
    server.logger.lines.some(
      (line) => line.message === 'hubbub stopped' && line.fields.connectionsClosed === 3,
    ),
  );
});

test('stop() can be called more than once; every call resolves', async (t) => {
  const server = await startServer();
  const client = await connectRegistered(server);
  const first = server.stop();
  const second = server.stop();
  await within(Promise.all([first, second]), 'both stop() calls to resolve');
  await within(server.stop(), 'a later stop() to resolve');
  t.is((await client.waitForClose()).code, 1001);
  t.is(server.logger.lines.filter((line) => line.message === 'hubbub stopped').length, 1);
});

// The listener closes synchronously when stop() begins, so new TCP connections are refused
// outright; an upgrade on a connection that was already open is covered by the 503 test below.
test('new connections once stop() has begun are refused, and nothing new is registered', async (t) => {
  const server = await startServer();
  const existing = await connectRegistered(server);
  const stopping = server.stop();
  const registeredBefore = server.events.filter((e) => e.type === 'Registered').length;

  // During the stop, then after it.
  const during = await connect(server.wsUrl).then(
    (client) => client,
    (error: Error) => error,
  );
  await within(stopping, 'stop() to resolve');
  const after = await connect(server.wsUrl).then(
    (client) => client,
    (error: Error) => error,
  );

  t.true(during instanceof Error, 'refused during the stop');
  t.true(after instanceof Error, 'refused after the stop');
  t.is(server.events.filter((e) => e.type === 'Registered').length, registeredBefore);
  t.is((await existing.waitForClose()).code, 1001);
  await t.throwsAsync(fetch(`${server.httpUrl}/`));
});

test('stop() resolves even when a client never answers the close frame', async (t) => {
  const server = await startServer();
  const deaf = await connectRegistered(server);
  const polite = await connectRegistered(server);
  deaf.socket.pause();
  await within(server.stop(), 'stop() to resolve despite the deaf client');
  t.deepEqual(await polite.waitForClose(), { code: 1001, reason: 'server shutting down' });
  deaf.socket.resume();
  const closed = await deaf.waitForClose();
  // The close frame was written before the server gave up and cut the socket.
  t.is(closed.code, 1001);
});

test('stop() with a stalled reader holding unread broadcasts still resolves', async (t) => {
  const server = await startServer({ maxMessageBytes: 64 * 1024, sendBuffer: 10_000 });
  const sender = await connectRegistered(server);
  const stalled = await connectRegistered(server);
  stalled.socket.pause();
  const body = 's'.repeat(60_000);
  // Enough to fill the loopback buffers of the stalled client (tens of MB at most).
  for (let round = 0; round < 40; round++) {
    for (let i = 0; i < 20; i++) sender.send(body);
    await sender.waitForMessages((round + 1) * 20);
  }
  await within(server.stop(), 'stop() to resolve');
  t.is((await sender.waitForClose()).code, 1001);
  stalled.socket.resume();
  await stalled.waitForClose();
  t.pass();
});

test('an upgrade request arriving during shutdown is refused with 503', async (t) => {
  const server = await startServer();
  const client = await connectRegistered(server); // keeps stop() busy for a moment
  const socket = netConnect(server.port, '127.0.0.1');
  socket.on('error', () => {});
  t.teardown(() => socket.destroy());
  let response = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    response += chunk;
  });
  await within(
    new Promise((resolve) => socket.once('connect', resolve)),
    'the TCP connection to open',
  );
  socket.write(`GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: Upgrade\r\n`);
  await sleep(50);
  const stopping = server.stop();
  socket.write(
    'Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
  );
  await within(
    new Promise<void>((resolve) => {
      const check = (): void => {
        if (response.includes('\r\n\r\n')) resolve();
        else setTimeout(check, 5);
      };
      check();
    }),
    'a response',
  );
  socket.destroy();
  await client.waitForClose();
  await within(stopping, 'stop() to resolve');
  t.regex(response, /^HTTP\/1\.1 503 /);
});
