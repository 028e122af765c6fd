import { connect as netConnect, type Socket } from 'node:net';
import test, { type ExecutionContext } from 'ava';
import {
  type RunningServer,
  type ServerOverrides,
  startServer,
} from '../../support/start-server.ts';
import { askHttp } from '../support/http-ask.ts';
import { RawWsClient } from '../support/raw-ws.ts';
import { connectSseRegistered } from '../support/sse-client.ts';
import { connectRegistered, isOverflowed, waitUntil, within } from '../support/ws-client.ts';
import { scrape, scrapeUntil } from './scrape.ts';

const start = async (
  t: ExecutionContext,
  overrides: ServerOverrides = {},
): Promise<RunningServer> => {
  // Writes at once: what each client is sent does not depend on how broadcasts were batched.
  const server = await startServer({ batchWindowMs: 0, ...overrides });
  t.teardown(() => server.stop());
  return server;
};

const utf8 = (text: string): number => Buffer.byteLength(text, 'utf8');

/** A plain GET on a connection of its own: status, headers and body. */
const httpGet = (url: string) => askHttp(url);

test('GET /metrics on the metrics listener counts connections, messages, bytes and fan-outs per transport', async (t) => {
  const server = await start(t);
  const alice = await connectRegistered(server);
  const bob = await connectRegistered(server);
  const sse = await connectSseRegistered(server);
  t.teardown(() => Promise.all([alice.close(), bob.close(), sse.leave()]));

  // Short texts (under 126 bytes: a 2-byte frame header), some of them multi-byte UTF-8.
  const texts = ['hello', 'grüße aus Köln 🎉', 'z'.repeat(100)];
  alice.send(texts[0] as string);
  await alice.waitForMessages(1);
  bob.send(texts[1] as string);
  await alice.waitForMessages(2);
  alice.send(texts[2] as string);
  for (const client of [alice, bob]) t.deepEqual(await client.waitForMessages(3), texts);
  t.deepEqual(await sse.waitForMessages(3), texts);

  const metrics = await scrape(server.metricsUrl);
  t.is(metrics.status, 200);
  t.regex(String(metrics.headers['content-type']), /^text\/plain; version=0\.0\.4; charset=utf-8$/);
  t.is(metrics.headers['cache-control'], 'no-store');

  t.is(metrics.value('hubbub_connections', { transport: 'ws' }), 2);
  t.is(metrics.value('hubbub_connections', { transport: 'sse' }), 1);
  t.is(metrics.value('hubbub_connections_opened_total', { transport: 'ws' }), 2);
  t.is(metrics.value('hubbub_connections_opened_total', { transport: 'sse' }), 1);

  const textBytes = texts.map(utf8);
  const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
  t.is(metrics.value('hubbub_messages_received_total', { transport: 'ws' }), 3);
  t.is(metrics.value('hubbub_received_bytes_total', { transport: 'ws' }), sum(textBytes));
  t.is(metrics.value('hubbub_messages_received_total', { transport: 'sse' }), 0);

  t.is(metrics.value('hubbub_messages_delivered_total', { transport: 'ws' }), 6, '3 messages × 2');
  t.is(metrics.value('hubbub_messages_delivered_total', { transport: 'sse' }), 3);
  // On the wire: a plain frame is a 2-byte header and the text, to each of the 2 ws clients.
  t.is(
    metrics.value('hubbub_delivered_bytes_total', { transport: 'ws' }),
    2 * sum(textBytes.map((bytes) => 2 + bytes)),
  );
  // An SSE event is `id: <epoch>:<seq>\ndata: <text>\n\n`.
  const ids = server.events.flatMap((event) =>
    event.type === 'Broadcast' ? [`${event.epoch}:${event.seq}`] : [],
  );
  t.is(ids.length, 3);
  t.is(
    metrics.value('hubbub_delivered_bytes_total', { transport: 'sse' }),
    sum(texts.map((text, i) => utf8(`id: ${ids[i]}\ndata: ${text}\n\n`))),
  );

  t.is(metrics.value('hubbub_broadcast_fanout_seconds_count'), 3);
  t.is(metrics.value('hubbub_broadcast_fanout_seconds_bucket', { le: '+Inf' }), 3);
  const fanOutSum = metrics.value('hubbub_broadcast_fanout_seconds_sum') ?? Number.NaN;
  t.true(fanOutSum >= 0 && fanOutSum < 1, `fan-out sum ${fanOutSum}`);
  t.false(metrics.samples.some((sample) => sample.name === 'hubbub_connections_closed_total'));
  t.false(metrics.samples.some((sample) => sample.name === 'hubbub_evictions_total'));
  t.false(metrics.samples.some((sample) => sample.name === 'hubbub_rejections_total'));

  // Node's own figures come along.
  t.true((metrics.value('process_resident_memory_bytes') ?? 0) > 0);
  t.true(metrics.samples.some((sample) => sample.name === 'nodejs_eventloop_lag_seconds'));
  t.regex(metrics.body, /^# TYPE nodejs_eventloop_lag_seconds gauge$/m);
  t.regex(metrics.body, /^# HELP hubbub_connections /m);

  // A client that leaves is counted as closed, by reason, and no longer open.
  await bob.close();
  await waitUntil(() => server.hub.state.connections.size === 2, 'bob to leave the hub');
  // The listener may serve the rendering above for up to a second: wait for a fresh one.
  const after = await scrapeUntil(
    server.metricsUrl,
    (scraped) => scraped.value('hubbub_connections', { transport: 'ws' }) === 1,
    'a scrape that shows bob gone',
  );
  t.is(after.value('hubbub_connections', { transport: 'ws' }), 1);
  t.is(after.value('hubbub_connections_closed_total', { transport: 'ws', reason: 'left' }), 1);
  t.is(after.value('hubbub_connection_duration_seconds_count', { transport: 'ws' }), 1);
  t.is(after.value('hubbub_connections_opened_total', { transport: 'ws' }), 2, 'never goes down');
});

test('an eviction for a full send buffer is counted once, with the close it caused', async (t) => {
  const server = await start(t, { sendBuffer: 8, maxMessageBytes: 4096 });
  const sender = await connectRegistered(server);
  const stalled = await connectRegistered(server);
  const leaver = await connectRegistered(server);
  t.teardown(() => Promise.all([sender.close(), stalled.close(), leaver.close()]));
  // As in test/adapters/ws/eviction.test.ts: this reader stops reading its socket, so the
  // kernel buffers fill, its writes stop completing and its pending broadcasts pile up.
  stalled.socket.pause();

  await leaver.close();
  await waitUntil(() => server.hub.state.connections.size === 2, 'the leaver to leave');

  const body = 'm'.repeat(3_990);
  const overflowed = () => server.events.find(isOverflowed(stalled.id));
  let sent = 0;
  while (overflowed() === undefined && sender.closedWith === undefined && sent < 20_000) {
    for (let i = 0; i < 50; i++) sender.send(`${String(sent++).padStart(6, '0')}${body}`);
    await waitUntil(
      () => sender.messages.length >= sent || overflowed() !== undefined,
      'the sender’s echoes',
    );
  }
  t.log(`${sent} messages of 3996 bytes before the eviction`);
  t.not(overflowed(), undefined, 'the stalled reader was evicted');
  t.is(sender.closedWith, undefined);
  await waitUntil(() => server.hub.state.connections.size === 1, 'the hub to remove it');

  const metrics = await scrape(server.metricsUrl);
  t.is(metrics.value('hubbub_evictions_total', { transport: 'ws', reason: 'send_buffer_full' }), 1);
  t.is(metrics.samples.filter((sample) => sample.name === 'hubbub_evictions_total').length, 1);
  t.is(
    metrics.value('hubbub_connections_closed_total', { transport: 'ws', reason: 'overflowed' }),
    1,
  );
  t.is(metrics.value('hubbub_connections_closed_total', { transport: 'ws', reason: 'left' }), 1);
  t.is(metrics.value('hubbub_connections', { transport: 'ws' }), 1);
  const evictions = server.logger.lines.filter((line) => line.message === 'connection evicted');
  t.is(evictions.length, 1, 'logged once');
  t.like(evictions[0], {
    level: 'warn',
    fields: { transport: 'ws', reason: 'overflowed', eviction: 'send_buffer_full' },
  });

  // The socket was destroyed at once: the close frame arrives only if the kernel had room.
  stalled.socket.resume();
  t.true([1006, 1008].includes((await stalled.waitForClose()).code));
});

test('GET /healthz and GET /readyz answer 200 while the server runs', async (t) => {
  const server = await start(t);
  const health = await httpGet(`${server.httpUrl}/healthz`);
  t.is(health.status, 200);
  t.is(health.body, 'ok');
  t.is(health.headers['cache-control'], 'no-store');
  const ready = await httpGet(`${server.httpUrl}/readyz`);
  t.is(ready.status, 200);
  t.is(ready.body, 'ready');
  t.is(ready.headers['cache-control'], 'no-store');
});

/**
 * A request whose headers are sent in two parts. Why: stop() begins with KoaWebServer.close(),
 * which closes the listener at once (new connections are refused, so /readyz cannot be asked on
 * a new connection) and drops idle keep-alive connections (closeIdleConnections). A connection
 * accepted before, in the middle of a request, is neither: it is not idle, so it stays, and
 * once the last header line arrives the request is served by the real route while the server is
 * shutting down. A control request made the same way before stop() shows the technique itself
 * does not change the answer. (Node's request timeout, --handshake-timeout-ms, 10 s here, is
 * far longer than the test.)
 */
class SplitRequest {
  readonly answer: Promise<string>;

  private constructor(readonly socket: Socket) {
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('error', () => {});
    this.answer = new Promise((resolve) => socket.once('close', () => resolve(text)));
  }

  static async begin(port: number, path: string): Promise<SplitRequest> {
    const socket = netConnect(port, '127.0.0.1');
    await within(
      new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('error', reject);
      }),
      'the connection',
    );
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`);
    return new SplitRequest(socket);
  }

  /** Sends the end of the headers (asking to close afterwards) and waits for the answer. */
  async finish(): Promise<{ statusLine: string; body: string }> {
    this.socket.write('Connection: close\r\n\r\n');
    const text = await within(this.answer, 'the answer');
    const [head = '', body = ''] = text.split('\r\n\r\n');
    return { statusLine: head.split('\r\n', 1)[0] ?? '', body };
  }
}

test('GET /readyz answers 503 once shutdown has begun, while connections are still closing', async (t) => {
  const server = await start(t);
  // The same kind of request, before shutdown: 200. What changes below is only the shutdown.
  const control = await SplitRequest.begin(server.port, '/readyz');
  t.teardown(() => control.socket.destroy());
  t.deepEqual(await control.finish(), { statusLine: 'HTTP/1.1 200 OK', body: 'ready' });

  // A WebSocket client that will not answer the server's close frame: stop() waits for it.
  const lingering = await RawWsClient.open(server.port);
  t.teardown(() => lingering.destroy());
  await waitUntil(() => server.hub.state.connections.size === 1, 'the client to register');
  const probe = await SplitRequest.begin(server.port, '/readyz');
  t.teardown(() => probe.socket.destroy());

  let stopped = false;
  const stopping = server.stop().then(() => {
    stopped = true;
  });
  // The server has sent its close frame (1001): shutdown is under way.
  await waitUntil(() => lingering.frames.some((frame) => frame.opcode === 8), 'the close frame');
  t.true(server.hub.isClosed);

  const answer = await probe.finish();
  t.false(stopped, 'stop() had not finished when /readyz answered');
  t.deepEqual(answer, { statusLine: 'HTTP/1.1 503 Service Unavailable', body: 'shutting down' });
  // A new connection is refused by now (the listener closed first) or, if it gets through,
  // is answered 503 too: either way no new client is told to come.
  const fresh = await httpGet(`${server.httpUrl}/readyz`).catch((error: NodeJS.ErrnoException) => ({
    status: error.code,
  }));
  t.true(fresh.status === 'ECONNREFUSED' || fresh.status === 503, `fresh: ${fresh.status}`);
  lingering.destroy();
  await within(stopping, 'stop() once the last client is gone');
});
