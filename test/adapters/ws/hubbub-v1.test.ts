import test, { type ExecutionContext } from 'ava';
import { WebSocket } from 'ws';
import { type RunningServer, startServer } from '../../support/start-server.ts';
import { Opcode, RawWsClient } from '../support/raw-ws.ts';
import { connect, TestClient, waitUntil, within } from '../support/ws-client.ts';

type Item = { type: string; seq: number; text: string };

const openV1 = async (server: RunningServer, protocols = ['hubbub.v1']): Promise<TestClient> => {
  const ws = new WebSocket(server.wsUrl, protocols);
  const client = new TestClient(ws);
  await within(
    new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    }),
    'the hubbub.v1 client to open',
  );
  return client;
};

const sendV1 = (client: TestClient, text: string): void =>
  client.send(JSON.stringify({ type: 'send', text }));

/** Every item of every frame received so far, in order. */
const itemsOf = (client: TestClient): Item[] =>
  client.messages.flatMap((frame) => JSON.parse(frame) as Item[]);

const waitForItems = (client: TestClient, count: number): Promise<Item[]> =>
  waitUntil(
    () => (itemsOf(client).length >= count ? itemsOf(client) : undefined),
    () => `${count} items (have ${itemsOf(client).length})`,
  );

/** Each test has a hub of its own: tests run concurrently and every message goes to everyone. */
const ownServer = async (t: ExecutionContext): Promise<RunningServer> => {
  const server = await startServer();
  t.teardown(() => server.stop());
  return server;
};

test('offering hubbub.v1 among others selects it; offering none gets the plain protocol', async (t) => {
  const server = await ownServer(t);
  const v1 = await openV1(server, ['chat', 'hubbub.v1']);
  const plain = await connect(server.wsUrl);
  t.is(v1.ws.protocol, 'hubbub.v1');
  t.is(plain.ws.protocol, '');
  await Promise.all([v1.close(), plain.close()]);
});

test('a send reaches hubbub.v1 clients as a message item with its seq, and plain clients as text', async (t) => {
  const server = await ownServer(t);
  const v1 = await openV1(server);
  const plain = await connect(server.wsUrl);
  sendV1(v1, 'héllo <b>"quoted"</b>\n🎉');
  const [item] = await waitForItems(v1, 1);
  t.like(item, { type: 'message', text: 'héllo <b>"quoted"</b>\n🎉' });
  t.true(Number.isSafeInteger(item?.seq));
  t.deepEqual(await plain.waitForMessages(1), ['héllo <b>"quoted"</b>\n🎉']);
  plain.send('from plain');
  const items = await waitForItems(v1, 2);
  t.deepEqual(items[1], { type: 'message', seq: (item?.seq ?? 0) + 1, text: 'from plain' });
  await Promise.all([v1.close(), plain.close()]);
});

test('messages pending together go out together in one frame, with consecutive seqs', async (t) => {
  const server = await ownServer(t);
  const reader = await openV1(server);
  const raw = await RawWsClient.open(server.port);
  t.teardown(() => raw.destroy());
  // Ten plain frames in one TCP write: the server reads them in one turn and broadcasts them
  // before it writes, so the hubbub.v1 reader has ten pending at once.
  const frames = Array.from({ length: 10 }, (_, i) =>
    RawWsClient.maskedFrame(Opcode.text, `m${i}`),
  );
  raw.socket.write(Buffer.concat(frames));
  const items = await waitForItems(reader, 10);
  t.deepEqual(
    items.map((item) => item.text),
    Array.from({ length: 10 }, (_, i) => `m${i}`),
  );
  t.deepEqual(
    items.map((item) => item.seq - (items[0]?.seq ?? 0)),
    Array.from({ length: 10 }, (_, i) => i),
  );
  t.true(reader.messages.length < 10, `${reader.messages.length} frames for 10 messages`);
  await reader.close();
});

test('a send of exactly --max-message-bytes is accepted even when its JSON is six times larger', async (t) => {
  const server = await ownServer(t);
  const v1 = await openV1(server);
  const text = '\u0001'.repeat(512); // each byte is escaped as \u0001 in JSON
  sendV1(v1, text);
  const [item] = await waitForItems(v1, 1);
  t.is(item?.text, text);
  await v1.close();
});

const refusals: [string, string | Buffer, number, string][] = [
  ['a frame that is not JSON', '{"type":"send",', 1007, 'invalid JSON'],
  ['JSON that is not an object', '["send","hi"]', 1008, 'expected a JSON object'],
  ['an unknown type', '{"type":"shout","text":"hi"}', 1008, 'unknown message type "shout"'],
  ['a send without text', '{"type":"send"}', 1008, 'send needs a string text'],
  [
    'a send whose text is not a string',
    '{"type":"send","text":42}',
    1008,
    'send needs a string text',
  ],
  [
    'a text over the limit',
    JSON.stringify({ type: 'send', text: 'x'.repeat(513) }),
    1009,
    'message too large',
  ],
  ['a binary frame', Buffer.from([1, 2, 3]), 1003, 'binary messages are not accepted'],
];

for (const [what, frame, code, reason] of refusals) {
  test(`hubbub.v1: ${what} closes the sender with ${code} "${reason}"; nothing is broadcast`, async (t) => {
    const own = await ownServer(t);
    const bystander = await openV1(own);
    const sender = await openV1(own);
    sender.ws.send(frame);
    t.deepEqual(await sender.waitForClose(), { code, reason });
    sendV1(bystander, 'after');
    const items = await waitForItems(bystander, 1);
    t.deepEqual(
      items.map((item) => item.text),
      ['after'],
    );
    t.true(bystander.isOpen);
  });
}

test('messages sent in separate turns within the batch window go out in one frame', async (t) => {
  const server = await startServer({ batchWindowMs: 300 });
  t.teardown(() => server.stop());
  const reader = await openV1(server);
  const sender = await openV1(server);
  sendV1(sender, 'first');
  await new Promise((resolve) => setImmediate(resolve));
  sendV1(sender, 'second');
  const items = await waitForItems(reader, 2);
  t.deepEqual(
    items.map((item) => item.text),
    ['first', 'second'],
  );
  t.is(reader.messages.length, 1, 'one frame for both');
});

test('an unknown type too long for a close reason is cut to fit, and the server carries on', async (t) => {
  const server = await ownServer(t);
  const bystander = await openV1(server);
  const sender = await openV1(server);
  sender.ws.send(JSON.stringify({ type: '中'.repeat(40), text: 'x' }));
  const closed = await sender.waitForClose();
  t.is(closed.code, 1008);
  t.true(Buffer.byteLength(closed.reason) <= 123, closed.reason);
  t.regex(closed.reason, /^unknown message type "中+"$/);
  sendV1(bystander, 'still here');
  t.deepEqual(
    (await waitForItems(bystander, 1)).map((item) => item.text),
    ['still here'],
  );
});

test('a burst of many times the send buffer in one network read evicts no prompt reader', async (t) => {
  const server = await startServer({ sendBuffer: 16 });
  t.teardown(() => server.stop());
  const v1 = await openV1(server);
  const plain = await connect(server.wsUrl);
  const raw = await RawWsClient.open(server.port);
  t.teardown(() => raw.destroy());
  const burst = Array.from({ length: 200 }, (_, i) => RawWsClient.maskedFrame(Opcode.text, `${i}`));
  raw.socket.write(Buffer.concat(burst));
  const items = await waitForItems(v1, 200);
  t.deepEqual(
    items.map((item) => item.text),
    Array.from({ length: 200 }, (_, i) => `${i}`),
  );
  t.is((await plain.waitForMessages(200)).length, 200);
  t.false(server.events.some((event) => event.type === 'Overflowed'));
});
