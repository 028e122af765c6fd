import test from 'ava';
import type { RoomsHub } from '../../../src/app/rooms/rooms-hub.ts';
import { TOKENS } from '../../../src/app/tokens.ts';
import { startServer } from '../../support/start-server.ts';
import { V2TestClient } from '../support/v2-client.ts';
import { refusal, waitUntil } from '../support/ws-client.ts';

const start = async (t: import('ava').ExecutionContext, overrides = {}) => {
  const server = await startServer({ batchWindowMs: 0, ...overrides });
  t.teardown(() => server.stop());
  return server;
};

test('v2: join, send with an id, and every member gets the message with its seq, epoch, name and time', async (t) => {
  const server = await start(t);
  const ann = await V2TestClient.open(server.wsUrl, '?name=ann');
  const bob = await V2TestClient.open(server.wsUrl, '?name=bob');
  t.teardown(() => Promise.all([ann.close(), bob.close()]));
  t.is(ann.ws.protocol, 'hubbub.v2');
  const joined = await ann.join('lobby');
  t.like(joined, {
    room: 'lobby',
    seq: 0,
    messages: [],
    members: [{ name: 'ann', connections: 1 }],
  });
  t.is(joined.recovered, undefined);
  await bob.join('lobby');
  await ann.next('member_joined', 'lobby');
  ann.command({ type: 'send', room: 'lobby', text: 'hello', id: 'm1' });
  const ack = await ann.next('ack');
  t.like(ack, { id: 'm1', room: 'lobby', seq: 1 });
  const message = await bob.next('message', 'lobby');
  t.like(message, {
    room: 'lobby',
    seq: 1,
    epoch: joined.epoch,
    text: 'hello',
    from: 'ann',
    id: 'm1',
  });
  t.is(typeof message.at, 'number');
  await ann.next('message', 'lobby');
});

test('v2: rooms are apart; leave, members and history answer; errors keep the connection open', async (t) => {
  const server = await start(t);
  const ann = await V2TestClient.open(server.wsUrl, '?name=ann');
  t.teardown(() => ann.close());
  ann.command({ type: 'send', room: 'a', text: 'x' });
  t.like(await ann.next('error'), { for: 'send', reason: 'not_joined', room: 'a' });
  await ann.join('a');
  await ann.join('b');
  for (const text of ['1', '2', '3']) ann.command({ type: 'send', room: 'a', text });
  await waitUntil(() => ann.texts('a').length === 3, 'three messages in a');
  t.deepEqual(ann.texts('b'), []);
  ann.command({ type: 'history', room: 'a', before: 3, limit: 1 });
  t.deepEqual(
    ((await ann.next('history', 'a')).messages as Array<{ text: string }>).map((m) => m.text),
    ['2'],
  );
  ann.command({ type: 'members', room: 'b' });
  t.like(await ann.next('members', 'b'), { members: [{ name: 'ann', connections: 1 }] });
  ann.command({ type: 'leave', room: 'b' });
  await ann.next('left', 'b');
  ann.command({ type: 'shout', room: 'a' });
  t.like(await ann.next('error', undefined, 2), { reason: 'unknown_type', for: 'shout' });
  ann.command({ type: 'join', room: '-bad' });
  t.like(await ann.next('error', undefined, 3), { reason: 'bad_room' });
  t.is(ann.closed, undefined);
});

test('v2: a resume within history is recovered with exactly what was missed, a repeated id is acknowledged once', async (t) => {
  const server = await start(t);
  const ann = await V2TestClient.open(server.wsUrl, '?name=ann');
  t.teardown(() => ann.close());
  const joined = await ann.join('r');
  for (const text of ['1', '2', '3', '4']) ann.command({ type: 'send', room: 'r', text });
  await waitUntil(() => ann.texts('r').length === 4, 'four messages');
  const back = await V2TestClient.open(server.wsUrl, '?name=ann');
  t.teardown(() => back.close());
  const resumed = await back.join('r', { since: { epoch: joined.epoch, seq: 2 } });
  t.true(resumed.recovered);
  t.deepEqual(
    (resumed.messages as Array<{ seq: number }>).map((m) => m.seq),
    [3, 4],
  );
  const stale = await back.join('s', { since: { epoch: 'another', seq: 2 }, history: 5 });
  t.false(stale.recovered);
  back.command({ type: 'send', room: 'r', text: 'once', id: 'k' });
  back.command({ type: 'send', room: 'r', text: 'once', id: 'k' });
  await back.next('ack', undefined, 2);
  t.deepEqual(
    back.of('ack').map((item) => item.seq),
    [5, 5],
  );
  await waitUntil(() => back.texts('r').length === 1, 'the message once');
  t.deepEqual(back.texts('r'), ['once']);
});

test('v2: a bad ?name gets 400 before the upgrade; what is not a JSON object closes the connection', async (t) => {
  const server = await start(t);
  t.is((await refusal(`${server.wsUrl}?name=${'x'.repeat(33)}`)).status, 400);
  t.is((await refusal(`${server.wsUrl}?room=-x`)).status, 400);
  const ann = await V2TestClient.open(server.wsUrl);
  ann.command({ type: 'join', room: 'lobby' });
  const joined = await ann.next('joined');
  t.regex(String((joined.members as Array<{ name: string }>)[0]?.name), /^guest-[0-9a-f]{6}$/);
  ann.ws.send('[1]');
  await waitUntil(() => ann.closed !== undefined, 'the close');
  t.like(ann.closed, { code: 1008, reason: 'expected a JSON object' });
});

test('v2: shutdown closes every v2 connection with 1001', async (t) => {
  const server = await startServer();
  const ann = await V2TestClient.open(server.wsUrl, '?name=ann');
  await ann.join('lobby');
  await server.stop();
  await waitUntil(() => ann.closed !== undefined, 'the close');
  t.like(ann.closed, { code: 1001 });
});

test('v2: a client that stops reading is evicted for its send buffer, all rooms together; resuming within history it loses nothing', async (t) => {
  const server = await start(t, { sendBuffer: 4, maxMessageBytes: 100_000, historySize: 1_000 });
  const rooms = server.container.get<RoomsHub>(TOKENS.RoomsHub);
  const sender = await V2TestClient.open(server.wsUrl, '?name=sender');
  const slow = await V2TestClient.open(server.wsUrl, '?name=slow');
  t.teardown(() => Promise.all([sender.close(), slow.close()]));
  const joined = await slow.join('a');
  await slow.join('b');
  await sender.join('a');
  await sender.join('b');
  slow.pauseReading();
  const body = 'x'.repeat(90_000);
  let sent = 0;
  while (rooms.state.connections.size === 2 && sent < 400) {
    sender.command({ type: 'send', room: sent % 2 === 0 ? 'a' : 'b', text: `${sent} ${body}` });
    sent += 1;
    await waitUntil(() => sender.of('message').length >= sent, 'the sender to get its own message');
  }
  t.is(rooms.state.connections.size, 1, 'the slow client was evicted');
  t.is(sender.closed, undefined);

  // The slow client comes back: every message of room a after what it had, nothing twice.
  slow.resumeReading();
  await waitUntil(() => slow.closed !== undefined, 'the evicted client to see its connection end');
  const had = slow.of('message', 'a').map((item) => Number(item.seq));
  const since = had.at(-1) ?? Number(joined.seq);
  const back = await V2TestClient.open(server.wsUrl, '?name=slow');
  t.teardown(() => back.close());
  const resumed = await back.join('a', { since: { epoch: joined.epoch, seq: since } });
  t.true(resumed.recovered);
  const all = [...had, ...(resumed.messages as Array<{ seq: number }>).map((m) => m.seq)];
  t.deepEqual(
    all,
    Array.from({ length: Math.ceil(sent / 2) }, (_, i) => i + 1),
  );
});

test('v2: each connection is logged and counted as it opens and closes, as every other', async (t) => {
  const server = await start(t);
  const ann = await V2TestClient.open(server.wsUrl, '?name=ann');
  await ann.join('lobby');
  await ann.close();
  await waitUntil(
    () => server.logger.lines.some((line) => line.message === 'connection closed'),
    'the closing line',
  );
  const opened = server.logger.lines.find((line) => line.message === 'connection opened');
  const closed = server.logger.lines.find((line) => line.message === 'connection closed');
  t.like(opened?.fields, { transport: 'ws' });
  t.regex(String(opened?.fields.connection), /^c\d+$/);
  t.like(closed?.fields, {
    transport: 'ws',
    reason: 'left',
    connection: opened?.fields.connection,
  });
});

test('v2: commands run in the order sent; limits answer errors, never crash', async (t) => {
  const server = await start(t, { maxRooms: 2, maxRoomsPerConnection: 2 });
  const ann = await V2TestClient.open(server.wsUrl, '?name=ann');
  const bob = await V2TestClient.open(server.wsUrl, '?name=bob');
  t.teardown(() => Promise.all([ann.close(), bob.close()]));
  // A send and a leave right behind their join find the room joined.
  ann.command({ type: 'join', room: 'a' });
  ann.command({ type: 'send', room: 'a', text: 'first', id: 'x1' });
  ann.command({ type: 'join', room: 'b' });
  ann.command({ type: 'leave', room: 'b' });
  await ann.next('ack');
  await ann.next('left', 'b');
  t.deepEqual(ann.of('error'), []);
  ann.command({ type: 'send', room: 'b', text: 'gone', id: 'x2' });
  t.like(await ann.next('error'), { for: 'send', reason: 'not_joined', room: 'b', id: 'x2' });
  // Three joins at once with room for two: the third is refused as too many.
  bob.command({ type: 'join', room: 'a' });
  bob.command({ type: 'join', room: 'b' });
  bob.command({ type: 'join', room: 'c' });
  t.like(await bob.next('error'), { for: 'join', reason: 'too_many_rooms', room: 'c' });
  t.is(bob.of('joined').length, 2);
  // The server keeps --max-rooms (2) rooms, a and b, both with members: a new one is refused.
  const cat = await V2TestClient.open(server.wsUrl, '?name=cat');
  t.teardown(() => cat.close());
  cat.command({ type: 'join', room: 'c' });
  t.like(await cat.next('error'), { for: 'join', reason: 'too_many_rooms', room: 'c' });
  t.like(await cat.join('a'), { room: 'a' });
});

test('v2: every connection starts with a welcome: the name the server uses for it and --max-message-bytes, which sends are held to', async (t) => {
  const server = await start(t, { maxMessageBytes: 300 });
  const ann = await V2TestClient.open(server.wsUrl, '?name=ann');
  const guest = await V2TestClient.open(server.wsUrl);
  t.teardown(() => Promise.all([ann.close(), guest.close()]));
  const binary: boolean[] = [];
  ann.ws.on('message', (_data, isBinary) => binary.push(isBinary));
  await ann.next('welcome');
  t.deepEqual(ann.items[0], { type: 'welcome', name: 'ann', maxMessageBytes: 300 });
  await ann.join('elsewhere');
  t.true(binary.length > 0);
  t.false(binary.includes(true), 'text frames, as PROTOCOL-v2 says (a browser gets a string)');
  const welcome = await guest.next('welcome');
  t.is(guest.items[0], welcome);
  t.regex(String(welcome.name), /^guest-[0-9a-f]{6}$/);
  const joined = await guest.join('lobby');
  t.deepEqual(joined.members, [{ name: welcome.name, connections: 1 }]);
  // 150 two-byte characters are 300 bytes: at the limit; one more byte is over it.
  guest.command({ type: 'send', room: 'lobby', text: 'é'.repeat(150), id: 'at' });
  guest.command({ type: 'send', room: 'lobby', text: `${'é'.repeat(150)}!`, id: 'over' });
  t.like(await guest.next('ack'), { id: 'at', seq: 1 });
  t.like(await guest.next('error'), { for: 'send', reason: 'message_too_large', id: 'over' });
  t.is(guest.of('welcome').length, 1);
});
