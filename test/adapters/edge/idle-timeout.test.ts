import { connect } from 'node:net';
import test from 'ava';
import { startServer } from '../../support/start-server.ts';
import { RawWsClient } from '../support/raw-ws.ts';
import { connectSseRegistered } from '../support/sse-client.ts';
import { connectRegistered, sleep, waitUntil } from '../support/ws-client.ts';

// The web server ends a socket with nothing read or written for --write-timeout-ms (a client
// that stopped reading an answer holds nothing). It must tell a client still owing its request
// why, as the handshake timeout does, and it must leave alone the connections that are idle by
// nature: event streams and WebSockets, which have their own keepalive and write deadline.

test('a socket that sends nothing gets 408, counted and logged, also when the handshake timeout is the longer', async (t) => {
  const server = await startServer({ writeTimeoutMs: 300, handshakeTimeoutMs: 600_000 });
  t.teardown(() => server.stop());
  const socket = connect(server.port, '127.0.0.1');
  t.teardown(() => socket.destroy());
  socket.setEncoding('latin1');
  let answer = '';
  socket.on('data', (chunk: string) => {
    answer += chunk;
  });
  socket.on('error', () => {});
  await new Promise<void>((resolve) => socket.once('close', () => resolve()));
  t.regex(answer, /^HTTP\/1\.1 408 /);
  t.true(
    server.logger.lines.some(
      (line) =>
        line.message === 'connection rejected' && line.fields.reason === 'handshake_timeout',
    ),
  );
});

test('an idle event stream and an idle WebSocket outlive the web server idle timeout', async (t) => {
  const server = await startServer({ writeTimeoutMs: 300, pingIntervalMs: 5_000 });
  t.teardown(() => server.stop());
  const sse = await connectSseRegistered(server);
  t.teardown(() => sse.leave());
  const ws = await connectRegistered(server);
  t.teardown(() => ws.close());
  await sleep(1_200); // four idle timeouts
  t.is(server.hub.state.connections.size, 2, 'both still registered');
  ws.send('still here');
  await waitUntil(
    () => sse.messages.includes('still here') && ws.messages.includes('still here'),
    'both to get the message',
  );
});

test('a client the ws library refuses (invalid UTF-8) gives its per-address place back at once, even if it keeps its side open', async (t) => {
  const server = await startServer({ maxConnectionsPerIp: 1 });
  t.teardown(() => server.stop());
  const bad = await RawWsClient.open(server.port);
  t.teardown(() => bad.socket.destroy());
  bad.socket.pause(); // reads nothing more: it never answers the close frame
  bad.sendFrame(0x1, Buffer.from([0xff, 0xfe]));
  await waitUntil(
    () => server.events.some((event) => event.type === 'Unregistered'),
    'the hub to see the refused client leave',
  );
  const next = await connectRegistered(server);
  t.teardown(() => next.close());
  t.true(next.isOpen);
});
