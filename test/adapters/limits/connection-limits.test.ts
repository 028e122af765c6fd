import { randomBytes } from 'node:crypto';
import { get } from 'node:http';
import { connect as netConnect } from 'node:net';
import test, { type ExecutionContext } from 'ava';
import type { Admission } from '../../../src/adapters/kit/admission.ts';
import { KIT_TOKENS } from '../../../src/adapters/kit/kit.tokens.ts';
import { PROMETHEUS_TOKENS } from '../../../src/adapters/prometheus/prometheus.tokens.ts';
import type { PrometheusMetrics } from '../../../src/adapters/prometheus/prometheus-metrics.adapter.ts';
import {
  type RunningServer,
  type ServerOverrides,
  startServer,
} from '../../support/start-server.ts';
import { parseExposition, scrape } from '../prometheus/scrape.ts';
import { connectSseRegistered } from '../support/sse-client.ts';
import { connectTcp, connectTcpRegistered } from '../support/tcp-client.ts';
import {
  connectMany,
  connectRegistered,
  refusal,
  type TestClient,
  waitUntil,
  within,
} from '../support/ws-client.ts';

const start = async (t: ExecutionContext, overrides: ServerOverrides): Promise<RunningServer> => {
  const server = await startServer({ batchWindowMs: 0, ...overrides });
  t.teardown(() => server.stop());
  return server;
};

const registrations = (server: RunningServer): number =>
  server.events.filter((event) => event.type === 'Registered').length;

const openConnections = (server: RunningServer): number => server.hub.state.connections.size;

/** Closes every client given, whatever state it is in (for t.teardown). */
const closeAll = (clients: readonly TestClient[]) => () =>
  Promise.all(clients.map((client) => client.close()));

/** Every sample of hubbub_rejections_total, as `transport/reason value`, sorted. */
const rejectionSamples = async (server: RunningServer): Promise<string[]> =>
  // Read in process: a scrape over HTTP from 127.0.0.1 would itself be past the per-address cap.
  parseExposition(
    await server.container
      .get<PrometheusMetrics>(PROMETHEUS_TOKENS.PrometheusMetrics)
      .registry.metrics(),
  )
    .filter((sample) => sample.name === 'hubbub_rejections_total')
    .map((sample) => `${sample.labels.transport}/${sample.labels.reason} ${sample.value}`)
    .sort();

/** Every 'connection rejected' log line, as `transport/reason`, sorted. */
const rejectionLogs = (server: RunningServer): string[] =>
  server.logger.lines
    .filter((line) => line.message === 'connection rejected')
    .map((line) => `${String(line.fields.transport)}/${String(line.fields.reason)}`)
    .sort();

/** A plain HTTP GET on a connection of its own: status and body. */
const httpGet = (url: string): Promise<{ status: number; body: string }> =>
  within(
    new Promise((resolve, reject) => {
      const request = get(url, { agent: false }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        response.on('error', reject);
      });
      request.on('error', reject);
    }),
    `GET ${url}`,
  );

/** A /ws upgrade with the given extra headers, sent raw; resolves with the status line. */
const rawUpgrade = (port: number, headers: Readonly<Record<string, string>>): Promise<string> => {
  const socket = netConnect(port, '127.0.0.1');
  socket.on('error', () => {});
  let answer = '';
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => {
    answer += chunk;
  });
  socket.write(
    `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('') +
      '\r\n',
  );
  return within(
    new Promise<string>((resolve) => socket.once('close', () => resolve(answer))),
    'the refused upgrade to close',
  )
    .then((text) => text.split('\r\n', 1)[0] ?? '')
    .finally(() => socket.destroy());
};

test('maxConnections 3: the 4th upgrade gets 503 before any upgrade; a place freed by a close is taken again', async (t) => {
  const server = await start(t, { maxConnections: 3 });
  const clients = await connectMany(server, 3);
  t.teardown(closeAll(clients));

  const refused = await refusal(server.wsUrl);
  t.is(refused.status, 503);
  t.is(refused.body, 'too many connections');
  t.is(registrations(server), 3, 'the refused client never reached the hub');
  t.is(openConnections(server), 3);

  const [first, second, third] = clients as [TestClient, TestClient, TestClient];
  await first.close();
  await waitUntil(() => openConnections(server) === 2, 'the hub to see the client leave');
  const fourth = await connectRegistered(server);
  t.teardown(() => fourth.close());
  t.is(openConnections(server), 3);
  // Still exactly three places: the refusal above did not take one, the close gave one back.
  t.is((await refusal(server.wsUrl)).status, 503);

  fourth.send('three of us');
  for (const client of [second, third, fourth]) {
    t.deepEqual(await client.waitForMessages(1), ['three of us']);
  }

  const metrics = await scrape(server.metricsUrl);
  t.is(metrics.value('hubbub_connections', { transport: 'ws' }), 3);
  t.deepEqual(await rejectionSamples(server), ['ws/max_connections 2']);
  // Counted every time, logged once for the address in this interval.
  t.deepEqual(rejectionLogs(server), ['ws/max_connections']);
  const line = server.logger.lines.find((entry) => entry.message === 'connection rejected');
  t.like(line, { level: 'warn' });
  // The address the limits counted (logged without the port, unlike other rejections).
  t.regex(String(line?.fields.remote), /^(::ffff:)?127\.0\.0\.1(:\d+)?$/);
});

test('a client cut off abruptly gives its place back, exactly once', async (t) => {
  const server = await start(t, { maxConnections: 3 });
  const clients = await connectMany(server, 3);
  t.teardown(closeAll(clients));
  const gone = clients[0] as TestClient;
  gone.ws.terminate(); // no close frame: the server only sees the socket end
  await waitUntil(() => openConnections(server) === 2, 'the hub to see the client vanish');

  const replacement = await connectRegistered(server);
  t.teardown(() => replacement.close());
  // Had the place been given back twice, a fourth client would now get in.
  t.is((await refusal(server.wsUrl)).status, 503);
  t.is(openConnections(server), 3);

  // The same for a client terminated while the server is writing to it.
  const busy = clients[1] as TestClient;
  replacement.send('x'.repeat(200));
  busy.ws.terminate();
  await waitUntil(() => openConnections(server) === 2, 'the hub to see the second one vanish');
  const another = await connectRegistered(server);
  t.teardown(() => another.close());
  t.is((await refusal(server.wsUrl)).status, 503);
  t.deepEqual(await rejectionSamples(server), ['ws/max_connections 2']);
});

test('upgrades refused by the origin check or failing the handshake hold no place', async (t) => {
  const server = await start(t, { maxConnections: 3 });
  for (let i = 0; i < 4; i++) {
    t.is((await refusal(server.wsUrl, { origin: 'http://evil.example' })).status, 403);
  }
  const key = () => randomBytes(16).toString('base64');
  const failures: ReadonlyArray<Record<string, string>> = [
    { 'Sec-WebSocket-Version': '13' }, // no key
    { 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'short' },
    { 'Sec-WebSocket-Version': '7', 'Sec-WebSocket-Key': key() },
    { 'Sec-WebSocket-Key': key() }, // no version
  ];
  for (const headers of failures) {
    t.regex(await rawUpgrade(server.port, headers), /^HTTP\/1\.1 400 /);
  }
  t.is(registrations(server), 0);

  // All three places are still free, and there are still only three.
  const clients = await connectMany(server, 3);
  t.teardown(closeAll(clients));
  t.is((await refusal(server.wsUrl)).status, 503);
  t.deepEqual(await rejectionSamples(server), [
    'ws/bad_request 4',
    'ws/max_connections 1',
    'ws/origin_not_allowed 4',
  ]);
  t.is(rejectionLogs(server).length, 1, 'logged once for the address in this interval');
  server.container.get<Admission>(KIT_TOKENS.Admission).stop();
  const summary = server.logger.lines.find((line) => line.message === 'connections rejected');
  t.like(summary?.fields, { address: '127.0.0.1', count: 8 });
});

test('maxConnectionsPerIp 2: the third from 127.0.0.1 gets 429; other addresses and freed places are admitted', async (t) => {
  const server = await start(t, { maxConnectionsPerIp: 2 });
  const local = [await connectRegistered(server), await connectRegistered(server)];
  t.teardown(closeAll(local));

  const refused = await refusal(server.wsUrl);
  t.is(refused.status, 429);
  t.is(refused.body, 'too many connections from your address');
  t.is(registrations(server), 2);

  // Another loopback address is another client: it has places of its own.
  const elsewhere = await connectRegistered(server, { localAddress: '127.0.0.2' });
  t.teardown(() => elsewhere.close());
  t.is(openConnections(server), 3);

  await (local[0] as TestClient).close();
  await waitUntil(() => openConnections(server) === 2, 'the hub to see the client leave');
  const again = await connectRegistered(server);
  t.teardown(() => again.close());
  t.is((await refusal(server.wsUrl)).status, 429, 'still two per address');

  // Refused as the socket is accepted, before anything says which transport it is for.
  t.deepEqual(await rejectionSamples(server), ['http/max_connections_per_ip 2']);
  t.deepEqual(rejectionLogs(server), ['http/max_connections_per_ip']);
});

test('the limits count every transport together: 2 ws + 1 SSE fill 3; TCP, SSE and ws are refused', async (t) => {
  const server = await start(t, { maxConnections: 3, tcpPort: 0 });
  const tcpPort = server.tcpPort;
  if (tcpPort === undefined) return t.fail('TCP is off');
  const ws = [await connectRegistered(server), await connectRegistered(server)];
  t.teardown(closeAll(ws));
  const sse = await connectSseRegistered(server);
  t.teardown(() => sse.leave());

  const refusedTcp = await connectTcp(tcpPort);
  t.teardown(() => refusedTcp.socket.destroy());
  await within(refusedTcp.closed, 'the refused TCP client to be closed');
  t.deepEqual(refusedTcp.messages, ['error: too many connections']);

  const refusedSse = await httpGet(`${server.httpUrl}/events`);
  t.is(refusedSse.status, 503);
  t.is(refusedSse.body, 'too many connections');
  t.is((await refusal(server.wsUrl)).status, 503);
  t.is(registrations(server), 3, 'no refused client reached the hub');

  const metrics = await scrape(server.metricsUrl);
  t.is(metrics.value('hubbub_connections', { transport: 'ws' }), 2);
  t.is(metrics.value('hubbub_connections', { transport: 'sse' }), 1);
  t.is(metrics.value('hubbub_connections', { transport: 'tcp' }), 0);
  t.deepEqual(await rejectionSamples(server), [
    'sse/max_connections 1',
    'tcp/max_connections 1',
    'ws/max_connections 1',
  ]);
  t.deepEqual(rejectionLogs(server), ['tcp/max_connections'], 'one line for the address');

  // The SSE client's place goes to a TCP client, who then chats with everyone.
  await sse.leave();
  await waitUntil(() => openConnections(server) === 2, 'the hub to see the stream end');
  const tcp = await connectTcpRegistered(server);
  t.teardown(() => tcp.socket.destroy());
  tcp.send('over tcp');
  for (const client of ws) t.deepEqual(await client.waitForMessages(1), ['over tcp']);
  t.deepEqual(await tcp.waitForMessages(1), ['over tcp']);
  t.is((await httpGet(`${server.httpUrl}/events`)).status, 503, 'full again');
  await tcp.leave();
});

test('maxConnectionsPerIp counts every transport: 1 ws + 1 TCP, then an SSE stream gets 429', async (t) => {
  const server = await start(t, { maxConnectionsPerIp: 2, tcpPort: 0 });
  const ws = await connectRegistered(server);
  t.teardown(() => ws.close());
  const tcp = await connectTcpRegistered(server);
  t.teardown(() => tcp.socket.destroy());
  const refused = await httpGet(`${server.httpUrl}/events`);
  t.is(refused.status, 429);
  t.is(refused.body, 'too many connections from your address');
  t.is(registrations(server), 2);
  t.deepEqual(await rejectionSamples(server), ['http/max_connections_per_ip 1']);
  t.deepEqual(rejectionLogs(server), ['http/max_connections_per_ip']);
  await tcp.leave();
});
