import test from 'ava';
import { startServer } from '../../support/start-server.ts';
import { Opcode, RawWsClient } from '../support/raw-ws.ts';
import {
  broadcastCount,
  connectMany,
  connectRegistered,
  utf8OfBytes,
  waitUntil,
} from '../support/ws-client.ts';

const MAX = 512;

const SAMPLES = [
  'hello',
  'héllo wörld',
  '日本語のテキスト',
  'emoji 😀👍🏽🇫🇷 and a ZWJ family 👨‍👩‍👧',
  '',
  '  leading and trailing spaces  ',
  '<b>not html</b> &amp; <script>alert(1)</script>',
  'line\nbreak\r\nand\ttab',
  '\u0000 nul and \u{10FFFF} the last code point',
  utf8OfBytes(MAX, 'max:'),
];

test('every text message reaches every client, the sender included, unchanged', async (t) => {
  const server = await startServer({ maxMessageBytes: MAX });
  t.teardown(() => server.stop());
  const [a, b, c] = await connectMany(server, 3);
  if (a === undefined || b === undefined || c === undefined) throw new Error('unreachable');
  t.is(Buffer.byteLength(SAMPLES.at(-1) ?? ''), MAX);
  const nameOfA = server.hub.state.connections.get(a.id)?.name;
  t.regex(nameOfA ?? '', /^guest-[0-9a-f]{6}$/, 'a client without ?name is a guest');

  for (const text of SAMPLES) a.send(text);

  for (const client of [a, b, c]) {
    await client.waitForMessages(SAMPLES.length);
    t.deepEqual(client.messages, SAMPLES);
    t.is(client.binaryMessages, 0);
  }
  const broadcasts = server.events.filter((event) => event.type === 'Broadcast');
  t.deepEqual(
    broadcasts.map((event) => [event.text, event.from]),
    SAMPLES.map((text) => [text, nameOfA]),
  );
  for (const client of [a, b, c]) t.true(client.isOpen);
});

test('order is kept per sender, and every client sees the same single order', async (t) => {
  const server = await startServer();
  t.teardown(() => server.stop());
  const clients = await connectMany(server, 4);
  const perSender = 60;

  // Every client sends at once, without waiting, so the sends interleave at the hub.
  for (let i = 0; i < perSender; i++) {
    for (const [n, client] of clients.entries()) client.send(`s${n}:${i}`);
  }

  const total = perSender * clients.length;
  for (const client of clients) await client.waitForMessages(total);
  const first = clients[0]?.messages ?? [];
  t.is(first.length, total);
  for (const client of clients) t.deepEqual(client.messages, first);
  for (const n of clients.keys()) {
    const fromN = first.filter((text) => text.startsWith(`s${n}:`));
    t.deepEqual(
      fromN,
      Array.from({ length: perSender }, (_, i) => `s${n}:${i}`),
    );
  }
});

test('each chat message is one complete text frame on the wire', async (t) => {
  const server = await startServer({ maxMessageBytes: 70_000 });
  t.teardown(() => server.stop());
  const sender = await connectRegistered(server);
  const raw = await RawWsClient.open(server.port);
  t.teardown(() => raw.destroy());
  await waitUntil(() => server.hub.state.connections.size === 2, 'both registered');

  // Sizes on each side of the 7-bit, 16-bit and 64-bit length encodings.
  const texts = ['', 'a', 'x'.repeat(125), 'y'.repeat(126), 'é'.repeat(33_000), ...SAMPLES];
  for (const text of texts) sender.send(text);

  const frames = await raw.waitForDataFrames(texts.length);
  t.is(frames.length, texts.length);
  for (const [i, frame] of frames.entries()) {
    t.true(frame.fin, `frame ${i} is final`);
    t.is(frame.opcode, Opcode.text, `frame ${i} is a text frame`);
  }
  t.deepEqual(
    frames.map((frame) => frame.payload.toString('utf8')),
    texts,
  );
});

test('a message the client sent in fragments is broadcast as one message in one frame', async (t) => {
  const server = await startServer();
  t.teardown(() => server.stop());
  const reader = await connectRegistered(server);
  const raw = await RawWsClient.open(server.port);
  t.teardown(() => raw.destroy());
  await waitUntil(() => server.hub.state.connections.size === 2, 'both registered');

  // "héllo" split inside the two-byte é, across three frames.
  const bytes = Buffer.from('héllo 😀', 'utf8');
  raw.sendFrame(Opcode.text, bytes.subarray(0, 2), false);
  raw.sendFrame(Opcode.continuation, bytes.subarray(2, 7), false);
  raw.sendFrame(Opcode.continuation, bytes.subarray(7), true);

  t.deepEqual(await reader.waitForMessages(1), ['héllo 😀']);
  const frames = await raw.waitForDataFrames(1);
  t.is(frames.length, 1);
  t.true(frames[0]?.fin);
  t.is(frames[0]?.opcode, Opcode.text);
  t.is(frames[0]?.payload.toString('utf8'), 'héllo 😀');
});

test('a client receives only what is broadcast after it joined', async (t) => {
  const server = await startServer();
  t.teardown(() => server.stop());
  const early = await connectRegistered(server);
  early.send('before');
  await early.waitForMessages(1);

  const late = await connectRegistered(server);
  early.send('after');
  await early.waitForMessages(2);
  await late.waitForMessages(1);
  t.deepEqual(early.messages, ['before', 'after']);
  t.deepEqual(late.messages, ['after']);
  t.is(broadcastCount(server), 2);
});

test('a client that leaves is unregistered as left and the others carry on', async (t) => {
  const server = await startServer();
  t.teardown(() => server.stop());
  const [a, b, c] = await connectMany(server, 3);
  if (a === undefined || b === undefined || c === undefined) throw new Error('unreachable');
  await b.close();
  const left = await waitUntil(
    () => server.events.find((e) => e.type === 'Unregistered' && e.connectionId === b.id),
    'b to be unregistered',
  );
  t.like(left, { reason: 'left' });
  a.send('still here');
  await c.waitForMessages(1);
  t.deepEqual(c.messages, ['still here']);
  t.deepEqual(b.messages, []);
});
