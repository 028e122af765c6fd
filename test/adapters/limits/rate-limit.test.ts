import { request as httpRequest } from 'node:http';
import test, { type ExecutionContext } from 'ava';
import {
  type RunningServer,
  type ServerOverrides,
  startServer,
} from '../../support/start-server.ts';
import { scrape } from '../prometheus/scrape.ts';
import { connectTcpRegistered } from '../support/tcp-client.ts';
import {
  connectRegistered,
  connectV1,
  sleep,
  type TestClient,
  waitUntil,
  within,
} from '../support/ws-client.ts';

const RATE = 5;
const BURST = 10;
const RATE_LIMITED = 'rate limit exceeded: too many messages';

const start = async (
  t: ExecutionContext,
  overrides: ServerOverrides = {},
): Promise<RunningServer> => {
  const server = await startServer({
    rateLimit: RATE,
    rateLimitBurst: BURST,
    batchWindowMs: 0,
    ...overrides,
  });
  t.teardown(() => server.stop());
  return server;
};

const numbered = (count: number, prefix = 'm'): string[] =>
  Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(2, '0')}`);

/** What `lobby` has stored, oldest first: a post is stored whether or not anyone listens. */
const broadcastTexts = async (server: RunningServer): Promise<string[]> =>
  (await server.hub.history('lobby', 1000)).map((message) => message.text);

const evictionLines = (server: RunningServer) =>
  server.logger.lines.filter((line) => line.message === 'connection evicted');

/** Every sample of `name`, as `transport/reason value`, sorted. */
const samplesOf = async (server: RunningServer, name: string): Promise<string[]> =>
  (await scrape(server.metricsUrl)).samples
    .filter((sample) => sample.name === name)
    .map((sample) => `${sample.labels.transport}/${sample.labels.reason} ${sample.value}`)
    .sort();

/**
 * After the flooder is gone, one of the others sends a marker: broadcasts keep their order, so
 * once every watcher has the marker, nothing else from the flooder can still be on its way.
 */
const assertOthersGotExactly = async (
  t: ExecutionContext,
  expected: readonly string[],
  watchers: readonly TestClient[],
): Promise<void> => {
  const [speaker] = watchers;
  if (speaker === undefined) throw new Error('no watcher');
  speaker.send('marker: still chatting');
  for (const watcher of watchers) {
    await watcher.waitForMessages(expected.length + 1);
    t.deepEqual(watcher.messages, [...expected, 'marker: still chatting']);
    t.true(watcher.isOpen, 'the others stay connected');
  }
};

const assertEvictedOnce = async (
  t: ExecutionContext,
  server: RunningServer,
  transport: string,
): Promise<void> => {
  const lines = evictionLines(server);
  t.is(lines.length, 1, 'the eviction is logged once');
  t.like(lines[0], {
    level: 'warn',
    fields: { transport, reason: 'dropped', eviction: 'rate_limited' },
  });
  t.deepEqual(await samplesOf(server, 'hubbub_evictions_total'), [`${transport}/rate_limited 1`]);
  t.false(
    server.logger.lines.some(
      (line) => line.message === 'connection closed' && line.fields.transport === transport,
    ),
    'and not logged again as an ordinary close',
  );
};

test('a ws client sending 30 messages at once is closed with 1008 after the burst of 10', async (t) => {
  const server = await start(t);
  const flooder = await connectRegistered(server);
  const watchers = [await connectRegistered(server), await connectRegistered(server)];
  t.teardown(() => Promise.all([flooder, ...watchers].map((client) => client.close())));

  const sent = numbered(30);
  for (const text of sent) flooder.send(text);
  t.deepEqual(await flooder.waitForClose(), { code: 1008, reason: RATE_LIMITED });

  await assertOthersGotExactly(t, sent.slice(0, BURST), watchers);
  t.deepEqual(await broadcastTexts(server), [...sent.slice(0, BURST), 'marker: still chatting']);
  t.is(server.hub.state.connections.size, 2);
  t.false(server.hub.state.connections.has(flooder.id));
  await assertEvictedOnce(t, server, 'ws');
  t.deepEqual(await samplesOf(server, 'hubbub_connections_closed_total'), ['ws/dropped 1']);
});

test('a hubbub.v1 client over the rate is closed with 1008 the same way', async (t) => {
  const server = await start(t);
  const flooder = await connectV1(server);
  await waitUntil(() => server.hub.state.connections.size === 1, 'the v1 client to register');
  const watchers = [await connectRegistered(server), await connectRegistered(server)];
  t.teardown(() => Promise.all([flooder, ...watchers].map((client) => client.close())));

  const sent = numbered(30, 'v');
  for (const text of sent) flooder.send(JSON.stringify({ type: 'send', text }));
  t.deepEqual(await flooder.waitForClose(), { code: 1008, reason: RATE_LIMITED });

  await assertOthersGotExactly(t, sent.slice(0, BURST), watchers);
  t.is(server.hub.state.connections.size, 2);
  await assertEvictedOnce(t, server, 'ws');
});

test('a client sending steadily under the rate, past its burst, is never closed', async (t) => {
  const server = await start(t);
  const sender = await connectRegistered(server);
  const watcher = await connectRegistered(server);
  t.teardown(() => Promise.all([sender.close(), watcher.close()]));

  // Most of the burst at once (2 tokens left), then 4 messages a second, under the rate of 5:
  // 14 in all, more than the burst, so only the refill lets them through.
  const sent = numbered(14, 's');
  for (const text of sent.slice(0, 8)) sender.send(text);
  for (const text of sent.slice(8)) {
    await sleep(250);
    sender.send(text);
  }
  t.deepEqual(await watcher.waitForMessages(sent.length), sent);
  t.deepEqual(await sender.waitForMessages(sent.length), sent);
  t.true(sender.isOpen);
  t.is(sender.closedWith, undefined);
  t.is(evictionLines(server).length, 0);
  t.deepEqual(await samplesOf(server, 'hubbub_evictions_total'), []);
});

test('a TCP client over the rate gets the error line, then is closed', async (t) => {
  const server = await start(t, { tcpPort: 0 });
  const flooder = await connectTcpRegistered(server);
  t.teardown(() => flooder.socket.destroy());
  let raw = '';
  flooder.socket.on('data', (chunk: string) => {
    raw += chunk;
  });
  const watchers = [await connectRegistered(server), await connectRegistered(server)];
  t.teardown(() => Promise.all(watchers.map((client) => client.close())));

  const sent = numbered(30, 't');
  flooder.write(sent.map((text) => `${text}\n`).join(''));
  await within(flooder.closed, 'the server to close the TCP connection');
  const lines = raw.split('\n');
  t.is(lines.pop(), '', 'the last line is complete');
  t.is(lines.at(-1), `error: ${RATE_LIMITED}`);
  // Whatever came before the error line was its own echoes, in order.
  t.deepEqual(lines.slice(0, -1), sent.slice(0, lines.length - 1));

  await assertOthersGotExactly(t, sent.slice(0, BURST), watchers);
  await assertEvictedOnce(t, server, 'tcp');
});

/** POST /send from `localAddress`; resolves with the status and body. */
const post = (
  server: RunningServer,
  text: string,
  localAddress = '127.0.0.1',
): Promise<{ status: number; body: string }> =>
  within(
    new Promise((resolve, reject) => {
      const request = httpRequest(
        `${server.httpUrl}/send`,
        { method: 'POST', agent: false, localAddress, headers: { 'Content-Type': 'text/plain' } },
        (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            body += chunk;
          });
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        },
      );
      request.on('error', reject);
      request.end(text);
    }),
    'POST /send',
  );

test('POST /send beyond the burst gets 429 and publishes nothing; another address is not limited', async (t) => {
  const server = await start(t);
  const texts = numbered(40, 'p');
  const statuses: number[] = [];
  const startedAt = performance.now();
  let refused: { status: number; body: string } | undefined;
  for (const text of texts) {
    const answer = await post(server, text);
    statuses.push(answer.status);
    if (answer.status !== 204) {
      refused = answer;
      break;
    }
  }
  const elapsedS = (performance.now() - startedAt) / 1000;
  t.log(`${statuses.length} posts in ${Math.round(elapsedS * 1000)} ms`);
  t.deepEqual(statuses.slice(0, BURST), Array(BURST).fill(204), 'the burst goes through');
  t.deepEqual(refused, { status: 429, body: RATE_LIMITED });
  // The refill during the posts may let a few more through, never more than the rate allows.
  const accepted = statuses.length - 1;
  t.true(accepted <= BURST + Math.ceil(elapsedS * RATE), `${accepted} accepted`);
  t.deepEqual(
    await broadcastTexts(server),
    texts.slice(0, accepted),
    'the refused post was not published',
  );

  t.deepEqual(await samplesOf(server, 'hubbub_rejections_total'), ['sse/rate_limited 1']);
  const rejected = server.logger.lines.filter((line) => line.message === 'connection rejected');
  t.is(rejected.length, 1);
  t.like(rejected[0], { fields: { transport: 'sse', reason: 'rate_limited' } });

  // The limit is per client address.
  t.is((await post(server, 'from elsewhere', '127.0.0.2')).status, 204);
});
