import test from 'ava';
import type { Admission } from '../../../src/app/admission.ts';
import { TOKENS } from '../../../src/app/tokens.ts';
import { startServer } from '../../support/start-server.ts';
import { RawClient } from '../support/raw-client.ts';
import { sleep, waitUntil, within } from '../support/ws-client.ts';

const GET_EVENTS = 'GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';

test('event streams pipelined on one socket cannot hold places once the socket is gone', async (t) => {
  const server = await startServer({ maxConnections: 2, maxConnectionsPerIp: 0 });
  t.teardown(() => server.stop());
  const admission = server.container.get<Admission>(TOKENS.Admission);
  const client = await RawClient.open(server.port);
  t.teardown(() => client.destroy());
  client.write(GET_EVENTS.repeat(5));
  await within(client.closedAt, 'the pipelined streams to end the connection');
  await waitUntil(
    () => admission.open === 0 && server.hub.state.connections.size === 0,
    () => `every place back (open ${admission.open})`,
  );
  t.true(
    server.logger.lines.some(
      (line) => line.message === 'connection rejected' && line.fields.reason === 'bad_request',
    ),
  );
  // Both places are free for real clients.
  const [a, b] = [await RawClient.open(server.port), await RawClient.open(server.port)];
  t.teardown(() => {
    a.destroy();
    b.destroy();
  });
  a.write(GET_EVENTS);
  b.write(GET_EVENTS);
  await waitUntil(() => a.statusLine !== '' && b.statusLine !== '', 'both answers');
  t.deepEqual([a.statusLine, b.statusLine], ['HTTP/1.1 200 OK', 'HTTP/1.1 200 OK']);
});

test('a broken request after an event stream ends the stream, with no HTTP answer inside it', async (t) => {
  const server = await startServer({ handshakeTimeoutMs: 300 });
  t.teardown(() => server.stop());
  const client = await RawClient.open(server.port);
  t.teardown(() => client.destroy());
  client.write(`${GET_EVENTS}GET /x HTTP/1.1\r\nHos`);
  await waitUntil(() => server.hub.state.connections.size === 1, 'the stream to join');
  server.hub.publish('hello');
  await within(client.closedAt, 'the stream to end');
  await sleep(50);
  t.regex(client.answer, /^HTTP\/1\.1 200 OK\r\n/);
  t.regex(client.answer, /data: hello/);
  t.notRegex(client.answer, /HTTP\/1\.1 (408|400)/, 'nothing written into the stream');
  await waitUntil(() => server.hub.state.connections.size === 0, 'the stream to leave');
});
