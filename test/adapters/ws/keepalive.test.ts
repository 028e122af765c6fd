import test from 'ava';
import { startServer } from '../../support/start-server.ts';
import { connectRegistered, sleep, waitForUnregistered, waitUntil } from '../support/ws-client.ts';

// Short enough to run quickly, with room for a loaded machine's event-loop stalls.
const FAST = { pingIntervalMs: 100, pongTimeoutMs: 500 } as const;

test('a client that answers pings stays connected across many ping intervals', async (t) => {
  const server = await startServer(FAST);
  t.teardown(() => server.stop());
  const client = await connectRegistered(server);

  // Several pong timeouts' worth of pings; the client's library answers each one.
  await waitUntil(
    () => client.pings >= 12,
    () => `12 pings (have ${client.pings})`,
  );
  await sleep(100);
  t.true(client.isOpen);
  t.true(server.hub.state.connections.has(client.id));
  t.false(server.events.some((event) => event.type === 'Unregistered'));

  // And it still chats normally afterwards.
  client.send('still alive');
  t.deepEqual(await client.waitForMessages(1), ['still alive']);
  await client.close();
});

test('a client that never answers pings is dropped, and the others stay', async (t) => {
  const server = await startServer(FAST);
  t.teardown(() => server.stop());
  const healthy = await connectRegistered(server);
  const silent = await connectRegistered(server, { autoPong: false });

  const gone = await waitForUnregistered(server, silent.id);
  t.is(gone.reason, 'pong_timeout');
  t.is(gone.detail, 'no pong in time');
  t.true(silent.pings > 0, 'it was pinged');
  const closed = await silent.waitForClose();
  t.is(closed.code, 1006, 'the socket is cut, with no close handshake');
  t.true(
    server.logger.lines.some(
      (line) =>
        line.message === 'connection evicted' &&
        line.fields.eviction === 'pong_timeout' &&
        line.fields.detail === 'no pong in time',
    ),
  );

  // The healthy client outlives the silent one by several more pong timeouts.
  const pingsThen = healthy.pings;
  await waitUntil(() => healthy.pings >= pingsThen + 8, 'more pings to the healthy client');
  t.true(healthy.isOpen);
  t.true(server.hub.state.connections.has(healthy.id));
  t.false(server.events.some((e) => e.type === 'Unregistered' && e.connectionId === healthy.id));
});

test('a client that answers pings by hand keeps the connection alive', async (t) => {
  const server = await startServer(FAST);
  t.teardown(() => server.stop());
  const manual = await connectRegistered(server, { autoPong: false });
  manual.ws.on('ping', (data) => manual.ws.pong(data));
  await waitUntil(() => manual.pings >= 10, 'ten pings');
  t.true(manual.isOpen);
  t.true(server.hub.state.connections.has(manual.id));
  await manual.close();
});

test('any pong keeps a connection alive; when the pongs stop it is dropped', async (t) => {
  // A client that does not answer pings but sends its own pongs regularly is alive by the
  // rule "the peer must answer (pong) within the timeout": any pong refreshes the deadline.
  const server = await startServer(FAST);
  t.teardown(() => server.stop());
  const client = await connectRegistered(server, { autoPong: false });
  const timer = setInterval(() => client.ws.pong(), 40);
  t.teardown(() => clearInterval(timer));
  await waitUntil(() => client.pings >= 10, 'ten pings');
  t.true(client.isOpen);
  clearInterval(timer);
  const gone = await waitForUnregistered(server, client.id);
  t.like(gone, { reason: 'pong_timeout', detail: 'no pong in time' });
});
