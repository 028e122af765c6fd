import { request as httpRequest } from 'node:http';
import test from 'ava';
import { type RunningServer, startServer } from '../../support/start-server.ts';
import { connectSse, connectSseRegistered } from '../support/sse-client.ts';
import { waitUntil, within } from '../support/ws-client.ts';

let server: RunningServer;

test.before(async () => {
  server = await startServer({ maxMessageBytes: 64, pingIntervalMs: 50 });
});

test.after.always(async () => {
  await server?.stop();
});

/** Like `curl -N`: the raw bytes of the stream, as they arrive. */
const rawStream = async (url: string) => {
  let text = '';
  const request = httpRequest(url, { agent: false });
  const response = await within(
    new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
      request.once('response', resolve);
      request.once('error', reject);
      request.end();
    }),
    'the stream',
  );
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => {
    text += chunk;
  });
  response.on('error', () => {});
  return { response, text: () => text, close: () => request.destroy() };
};

test.serial('GET /events streams each broadcast with its sequence number as id', async (t) => {
  const stream = await rawStream(`${server.httpUrl}/events`);
  t.teardown(stream.close);
  t.is(stream.response.statusCode, 200);
  t.regex(stream.response.headers['content-type'] ?? '', /^text\/event-stream/);
  t.is(stream.response.headers['cache-control'], 'no-cache');
  t.is(stream.response.headers['x-accel-buffering'], 'no');
  const answer = await fetch(`${server.httpUrl}/send`, { method: 'POST', body: 'hello sse' });
  t.is(answer.status, 204);
  await waitUntil(() => stream.text().includes('hello sse'), 'the broadcast');
  const [message] = await server.hub.history('lobby', 1);
  t.is(message?.text, 'hello sse');
  const id = `${message?.epoch}:${message?.seq}`;
  t.true(stream.text().includes(`id: ${id}\ndata: hello sse\n\n`), stream.text());
});

test.serial('a message with newlines is one event of several data lines', async (t) => {
  const client = await connectSseRegistered(server);
  t.teardown(() => client.leave());
  await client.send('one\ntwo\n\nfour');
  t.deepEqual(await client.waitForMessages(1), ['one\ntwo\n\nfour']);
  const [message] = await server.hub.history('lobby', 1);
  t.is(client.events[0]?.id, `${message?.epoch}:${message?.seq}`);
});

test.serial('keepalive comments flow while the chat is quiet', async (t) => {
  const client = await connectSse(server.httpUrl);
  t.teardown(() => client.leave());
  await waitUntil(() => client.comments.includes('keepalive'), 'a keepalive comment');
  t.pass();
});

test.serial('POST /send over the size limit is 413 and publishes nothing', async (t) => {
  const head = await server.latestSeq();
  const declared = await fetch(`${server.httpUrl}/send`, { method: 'POST', body: 'x'.repeat(65) });
  t.is(declared.status, 413);
  t.is(await declared.text(), 'message too large');
  // Without Content-Length (chunked): the reader stops as soon as the limit is passed.
  const chunked = await new Promise<number>((resolve, reject) => {
    const request = httpRequest(`${server.httpUrl}/send`, {
      method: 'POST',
      agent: false,
      headers: { 'Content-Type': 'text/plain' },
    });
    request.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    request.write('y'.repeat(40));
    request.write('y'.repeat(40));
    request.end();
  });
  t.is(chunked, 413);
  const fits = await fetch(`${server.httpUrl}/send`, { method: 'POST', body: 'é'.repeat(32) });
  t.is(fits.status, 204);
  t.is(await server.latestSeq(), head + 1);
});

test.serial('GET /send and POST /events are 405 with Allow', async (t) => {
  const getSend = await fetch(`${server.httpUrl}/send`);
  t.is(getSend.status, 405);
  t.is(getSend.headers.get('allow'), 'POST');
  const postEvents = await fetch(`${server.httpUrl}/events`, { method: 'POST', body: 'x' });
  t.is(postEvents.status, 405);
  t.is(postEvents.headers.get('allow'), 'GET');
});

test.serial('a client that closes the stream leaves the hub', async (t) => {
  const client = await connectSseRegistered(server);
  await client.leave();
  await waitUntil(
    () =>
      server.events.some(
        (e) => e.type === 'Unregistered' && e.connectionId === client.id && e.reason === 'left',
      ),
    'the departure',
  );
  t.pass();
});

test('shutdown ends the stream with a bye event', async (t) => {
  const own = await startServer();
  const client = await connectSse(own.httpUrl);
  await own.stop();
  t.is(await client.closed, 'shutdown');
  t.like(client.events.at(-1), { event: 'bye', data: 'server shutting down' });
});
