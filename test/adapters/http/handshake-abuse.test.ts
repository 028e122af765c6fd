import { randomBytes } from 'node:crypto';
import test, { type ExecutionContext } from 'ava';
import { type RunningServer, startServer } from '../../support/start-server.ts';
import { scrape } from '../prometheus/scrape.ts';
import { RawClient } from '../support/raw-client.ts';
import { connectSseRegistered } from '../support/sse-client.ts';
import { connectRegistered, connectV1, sleep, waitUntil, within } from '../support/ws-client.ts';

const HANDSHAKE_MS = 300;
/** Far more than the handshake timeout plus Node's checking interval: "cut off in time". */
const CUT_OFF_BOUND_MS = 3_000;

const startAbused = async (t: ExecutionContext): Promise<RunningServer> => {
  const server = await startServer({ handshakeTimeoutMs: HANDSHAKE_MS, batchWindowMs: 0 });
  t.teardown(() => server.stop());
  return server;
};

const rejectedLines = (server: RunningServer) =>
  server.logger.lines.filter((line) => line.message === 'connection rejected');

/** Every sample of hubbub_rejections_total, as `transport/reason value`, sorted. */
const rejectionSamples = async (server: RunningServer): Promise<string[]> =>
  (await scrape(server.metricsUrl)).samples
    .filter((sample) => sample.name === 'hubbub_rejections_total')
    .map((sample) => `${sample.labels.transport}/${sample.labels.reason} ${sample.value}`)
    .sort();

/** Two fresh WebSocket clients chat through the server: it still serves normal clients. */
const assertStillChats = async (t: ExecutionContext, server: RunningServer): Promise<void> => {
  const alice = await connectRegistered(server);
  const bob = await connectRegistered(server);
  t.teardown(() => Promise.all([alice.close(), bob.close()]));
  alice.send('still here?');
  t.deepEqual(await bob.waitForMessages(1), ['still here?']);
  t.deepEqual(await alice.waitForMessages(1), ['still here?']);
};

const upgradeRequest = (port: number, headers: Readonly<Record<string, string>>): string =>
  `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
  Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('') +
  '\r\n';

const validKey = (): string => randomBytes(16).toString('base64');

test('a client that sends its request a byte every 50 ms is answered 408 and cut off in time', async (t) => {
  const server = await startAbused(t);
  const slow = await RawClient.open(server.port);
  t.teardown(() => slow.destroy());
  // Never complete: an upgrade request whose last header goes on and on.
  const request = `GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nX-Slow: ${'a'.repeat(500)}`;
  const startedAt = performance.now();
  let sent = 0;
  const dribble = setInterval(() => {
    if (slow.isClosed || sent >= request.length) return;
    slow.write(request.charAt(sent));
    sent += 1;
  }, 50);
  t.teardown(() => clearInterval(dribble));
  slow.write(request.charAt(0));
  sent = 1;

  const closedAt = await within(slow.closedAt, 'the slow client to be cut off', CUT_OFF_BOUND_MS);
  clearInterval(dribble);
  const tookMs = closedAt - startedAt;
  t.log(`cut off after ${Math.round(tookMs)} ms, ${sent} bytes sent`);
  t.true(tookMs < CUT_OFF_BOUND_MS, 'cut off well before 3 s');
  // Not a timing assertion, a cause check: nothing may end it before the deadline has passed.
  t.true(tookMs >= HANDSHAKE_MS - 50, `not cut off before the handshake timeout (${tookMs} ms)`);
  t.true(sent < request.length, 'the request was still incomplete');
  t.is(slow.statusLine, 'HTTP/1.1 408 Request Timeout');
  t.true(slow.answer.endsWith('request not completed in time'), slow.answer);

  t.deepEqual(await rejectionSamples(server), ['http/handshake_timeout 1']);
  const lines = rejectedLines(server);
  t.is(lines.length, 1, 'logged once');
  t.like(lines[0], {
    level: 'warn',
    fields: { transport: 'http', reason: 'handshake_timeout', error: 'ERR_HTTP_REQUEST_TIMEOUT' },
  });
  t.is(server.events.length, 0, 'nothing reached the hub');
  await assertStillChats(t, server);
});

test('a client that connects and sends nothing is cut off too', async (t) => {
  const server = await startAbused(t);
  const silent = await RawClient.open(server.port);
  t.teardown(() => silent.destroy());
  const startedAt = performance.now();
  const closedAt = await within(
    silent.closedAt,
    'the silent client to be cut off',
    CUT_OFF_BOUND_MS,
  );
  t.log(`cut off after ${Math.round(closedAt - startedAt)} ms`);
  t.true(closedAt - startedAt < CUT_OFF_BOUND_MS);
  t.is(silent.statusLine, 'HTTP/1.1 408 Request Timeout');
  t.deepEqual(await rejectionSamples(server), ['http/handshake_timeout 1']);
  const lines = rejectedLines(server);
  t.is(lines.length, 1, 'logged once');
  t.like(lines[0], { fields: { transport: 'http', reason: 'handshake_timeout' } });
  t.is(server.events.length, 0);
  await assertStillChats(t, server);
});

type Malformed = Readonly<{
  name: string;
  request: (port: number) => string;
  /** Who turns it away: Node's HTTP parser (`http`) or the WebSocket transport (`ws`). */
  transport: 'http' | 'ws';
  body: RegExp;
}>;

const MALFORMED: readonly Malformed[] = [
  {
    name: 'a garbage request line',
    request: () => 'HELLO THERE\r\n\r\n',
    transport: 'http',
    body: /bad request$/,
  },
  {
    name: 'a /ws upgrade without Sec-WebSocket-Key',
    request: (port) =>
      upgradeRequest(port, {
        Upgrade: 'websocket',
        Connection: 'Upgrade',
        'Sec-WebSocket-Version': '13',
      }),
    transport: 'ws',
    body: /Missing or invalid Sec-WebSocket-Key header$/,
  },
  {
    name: 'a /ws upgrade with an invalid Sec-WebSocket-Key',
    request: (port) =>
      upgradeRequest(port, {
        Upgrade: 'websocket',
        Connection: 'Upgrade',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'not a key',
      }),
    transport: 'ws',
    body: /Missing or invalid Sec-WebSocket-Key header$/,
  },
  {
    name: 'a /ws upgrade with an unsupported Sec-WebSocket-Version',
    request: (port) =>
      upgradeRequest(port, {
        Upgrade: 'websocket',
        Connection: 'Upgrade',
        'Sec-WebSocket-Version': '12',
        'Sec-WebSocket-Key': validKey(),
      }),
    transport: 'ws',
    body: /Missing or invalid Sec-WebSocket-Version header$/,
  },
  {
    name: 'a /ws upgrade with over 16 KiB of headers',
    request: (port) =>
      upgradeRequest(port, {
        Upgrade: 'websocket',
        Connection: 'Upgrade',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': validKey(),
        'X-Padding': 'p'.repeat(20 * 1024),
      }),
    transport: 'http',
    body: /request headers too large$/,
  },
];

for (const malformed of MALFORMED) {
  test(`${malformed.name} is answered 400, closed, counted and logged once`, async (t) => {
    const server = await startAbused(t);
    const client = await RawClient.open(server.port);
    t.teardown(() => client.destroy());
    client.write(malformed.request(server.port));
    await within(client.closedAt, 'the server to close the connection');
    t.regex(client.statusLine, /^HTTP\/1\.1 400 /);
    t.regex(client.answer, malformed.body);
    t.deepEqual(await rejectionSamples(server), [`${malformed.transport}/bad_request 1`]);
    const lines = rejectedLines(server);
    t.is(lines.length, 1, 'logged once');
    t.like(lines[0], {
      level: 'warn',
      fields: { transport: malformed.transport, reason: 'bad_request' },
    });
    t.is(server.events.length, 0, 'nothing reached the hub');
    await assertStillChats(t, server);
  });
}

test('established WebSocket and SSE connections outlive the handshake timeout', async (t) => {
  const server = await startAbused(t);
  const plain = await connectRegistered(server);
  const v1 = await connectV1(server);
  t.is(v1.ws.protocol, 'hubbub.v1');
  const sse = await connectSseRegistered(server);
  t.teardown(() => Promise.all([plain.close(), v1.close(), sse.leave()]));
  // Several handshake timeouts (and many of Node's connection checks) go by.
  await sleep(HANDSHAKE_MS * 4);
  t.true(plain.isOpen);
  t.true(v1.isOpen);
  t.is(server.hub.state.connections.size, 3, 'nobody was cut off');
  plain.send('after the wait');
  t.deepEqual(await plain.waitForMessages(1), ['after the wait']);
  t.deepEqual(await sse.waitForMessages(1), ['after the wait']);
  await waitUntil(() => v1.messages.length >= 1, 'the hubbub.v1 frame');
  t.regex(v1.messages[0] ?? '', /"text":"after the wait"/);
  t.deepEqual(await rejectionSamples(server), []);
});
