import test from 'ava';
import type { Admission } from '../../../src/adapters/kit/admission.ts';
import { KIT_TOKENS } from '../../../src/adapters/kit/kit.tokens.ts';
import { startServer } from '../../support/start-server.ts';
import { RawClient } from '../support/raw-client.ts';
import { sleep, waitUntil, within } from '../support/ws-client.ts';

const GET_EVENTS = 'GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';

test('event streams pipelined on one socket hold one place, and none once the socket is gone', async (t) => {
  const server = await startServer({ maxConnections: 2, maxConnectionsPerIp: 0 });
  t.teardown(() => server.stop());
  const admission = server.container.get<Admission>(KIT_TOKENS.Admission);
  const client = await RawClient.open(server.port);
  t.teardown(() => client.destroy());
  client.write(GET_EVENTS.repeat(5));
  await waitUntil(() => server.hub.state.connections.size === 1, 'the first stream to join');
  await sleep(50);
  t.is(admission.open, 1, 'the streams queued behind it wait for their turn and hold nothing');
  client.destroy();
  await waitUntil(
    () => admission.open === 0 && server.hub.state.connections.size === 0,
    () => `every place back (open ${admission.open})`,
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

// A keep-alive client (a browser, `curl URL1 URL2`) may ask for the stream while the file it
// fetched first is still being ended on the server: the stream must wait its turn, not fail.
test('an event stream asked for right after a file on the same connection is served', async (t) => {
  const server = await startServer();
  t.teardown(() => server.stop());
  for (let i = 0; i < 20; i++) {
    const client = await RawClient.open(server.port);
    t.teardown(() => client.destroy());
    client.write(`GET /favicon.svg HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n${GET_EVENTS}`);
    await waitUntil(
      () => (client.answer.match(/HTTP\/1\.1 200 OK/g) ?? []).length === 2,
      () => `both answers on connection ${i} (have ${JSON.stringify(client.answer.slice(-80))})`,
    );
    t.regex(client.answer, /Content-Type: text\/event-stream/);
    client.destroy();
  }
  await waitUntil(() => server.hub.state.connections.size === 0, 'every stream to leave');
});

test('a broken request after an event stream ends the stream, with no HTTP answer inside it', async (t) => {
  const server = await startServer({ handshakeTimeoutMs: 300 });
  t.teardown(() => server.stop());
  const client = await RawClient.open(server.port);
  t.teardown(() => client.destroy());
  client.write(`${GET_EVENTS}GET /x HTTP/1.1\r\nHos`);
  await waitUntil(() => server.hub.state.connections.size === 1, 'the stream to join');
  server.publish('hello');
  await within(client.closedAt, 'the stream to end');
  await sleep(50);
  t.regex(client.answer, /^HTTP\/1\.1 200 OK\r\n/);
  t.regex(client.answer, /data: hello/);
  t.notRegex(client.answer, /HTTP\/1\.1 (408|400)/, 'nothing written into the stream');
  await waitUntil(() => server.hub.state.connections.size === 0, 'the stream to leave');
});
