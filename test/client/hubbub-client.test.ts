import test from 'ava';
import {
  backoffDelay,
  type ChatMessage,
  HubbubClient,
  HubbubError,
} from '../../src/client/index.ts';
import { waitUntil, within } from '../adapters/support/ws-client.ts';
import { startServer } from '../support/start-server.ts';
import { FAST, recordingWebSocket, testedClient } from './support/client-setup.ts';

const setUp = async (t: import('ava').ExecutionContext) => {
  const server = await startServer({ batchWindowMs: 0 });
  t.teardown(() => server.stop());
  const client = (name: string | undefined) => testedClient(t, server.wsUrl, name);
  return { server, client };
};

test('join, send, and every member gets the message; send resolves with its seq', async (t) => {
  const { client } = await setUp(t);
  const ann = client('ann');
  const bob = client('bob');
  await ann.hubbub.join('r');
  const joined = await bob.hubbub.join('r');
  t.deepEqual(
    joined.members.map((m) => m.name),
    ['ann', 'bob'],
  );
  t.deepEqual(await ann.hubbub.send('r', 'hello'), { seq: 1 });
  await waitUntil(() => bob.got.length === 1, 'bob to get it');
  t.like(bob.got[0], { room: 'r', seq: 1, text: 'hello', from: 'ann' });
  await waitUntil(() => ann.hubbub.members('r').length === 2, 'ann to see bob');
});

test('a connection cut while others send: the client reconnects, resumes, and ends with every message once, in order', async (t) => {
  const { client } = await setUp(t);
  const ann = client('ann');
  const bob = client('bob');
  await ann.hubbub.join('r');
  await bob.hubbub.join('r');
  for (let i = 1; i <= 5; i++) await bob.hubbub.send('r', `m${i}`);
  ann.sockets.made.at(-1)?.terminate();
  for (let i = 6; i <= 10; i++) await bob.hubbub.send('r', `m${i}`);
  await waitUntil(
    () => ann.got.length >= 10,
    () => `ann to have 10 (has ${ann.got.length})`,
  );
  t.deepEqual(
    ann.got.map((m) => m.text),
    Array.from({ length: 10 }, (_, i) => `m${i + 1}`),
  );
  t.deepEqual(
    ann.got.map((m) => m.seq),
    Array.from({ length: 10 }, (_, i) => i + 1),
  );
  const states = ann.states.map(({ state }) => state);
  t.true(states.includes('reconnecting') && states.at(-1) === 'connected');
});

test('sends made while offline are kept and delivered once after the reconnect', async (t) => {
  const { client } = await setUp(t);
  const ann = client('ann');
  const bob = client('bob');
  await ann.hubbub.join('r');
  await bob.hubbub.join('r');
  ann.sockets.made.at(-1)?.terminate();
  await waitUntil(() => ann.hubbub.state === 'reconnecting', 'ann to notice');
  const sent = [ann.hubbub.send('r', 'one'), ann.hubbub.send('r', 'two')];
  t.deepEqual(await Promise.all(sent), [{ seq: 1 }, { seq: 2 }]);
  await waitUntil(() => bob.got.length === 2, 'bob to get both');
  t.deepEqual(
    bob.got.map((m) => m.text),
    ['one', 'two'],
  );
});

test('backoff grows to its ceiling, with jitter between half and all of it', (t) => {
  const backoff = { initialMs: 100, maxMs: 1_000, factor: 2 };
  t.is(
    backoffDelay(backoff, 0, () => 1),
    100,
  );
  t.is(
    backoffDelay(backoff, 0, () => 0),
    50,
  );
  t.is(
    backoffDelay(backoff, 3, () => 1),
    800,
  );
  t.is(
    backoffDelay(backoff, 10, () => 1),
    1_000,
  );
  t.is(
    backoffDelay(backoff, 10, () => 0),
    500,
  );
});

test('a client without a name keeps one guest name across reconnects; sends to a room not joined, and what is pending at close, are refused', async (t) => {
  const { client } = await setUp(t);
  const { hubbub: guest, sockets } = client(undefined);
  const first = await guest.join('r');
  const name = first.members[0]?.name ?? '';
  t.regex(name, /^guest-[0-9a-f]{6}$/);
  sockets.made.at(-1)?.terminate();
  await waitUntil(() => guest.state === 'reconnecting', 'the cut to be noticed');
  await waitUntil(() => guest.state === 'connected', 'the reconnect');
  t.deepEqual(
    guest.members('r').map((m) => m.name),
    [name],
  );
  await t.throwsAsync(() => guest.send('elsewhere', 'x'), { message: /join elsewhere/ });
  const pending = guest.join('later');
  guest.close();
  await t.throwsAsync(() => pending, { message: /closed/ });
});

test('the welcome gives the name the server uses and its limit; a send over the limit is refused before it leaves, the rest go', async (t) => {
  const server = await startServer({ batchWindowMs: 0, maxMessageBytes: 10 });
  t.teardown(() => server.stop());
  const { WebSocket } = recordingWebSocket();
  const guest = new HubbubClient({ url: server.wsUrl, WebSocket, backoff: FAST });
  t.teardown(() => guest.close());
  const welcomes: unknown[] = [];
  guest.on('welcome', (welcome) => welcomes.push(welcome));
  t.is(guest.limits, undefined);
  const joined = await guest.join('r');
  t.deepEqual(welcomes, [{ name: guest.name, maxMessageBytes: 10 }]);
  t.deepEqual(guest.limits, { maxMessageBytes: 10 });
  t.deepEqual(
    joined.members.map((m) => m.name),
    [guest.name],
  );
  await t.throwsAsync(() => guest.send('r', 'ééééé!'), {
    message: "11 bytes, over the server's limit of 10", // the client's words, not the server's
    instanceOf: HubbubError,
  });
  t.deepEqual(await guest.send('r', 'ééééé'), { seq: 1 });
});

test('across a server restart on the same port: connecting, reconnecting and connected again; the room comes back under a new epoch, not recovered; a send made while it was down is stored once', async (t) => {
  const first = await startServer({ batchWindowMs: 0 });
  const sockets = recordingWebSocket();
  const ann = new HubbubClient({
    url: first.wsUrl,
    name: 'ann',
    WebSocket: sockets.WebSocket,
    backoff: FAST,
  });
  t.teardown(() => ann.close());
  const got: ChatMessage[] = [];
  ann.on('message', (message) => got.push(message));
  const joins: Array<boolean | undefined> = [];
  ann.on('joined', (joined) => joins.push(joined.recovered));
  const states: string[] = [];
  ann.on('state', (state) => states.push(state));
  const joined = await ann.join('r', { history: 10 });
  await ann.send('r', 'before');
  await first.stop();
  await waitUntil(() => states.includes('reconnecting'), 'the client to notice');
  const sent = ann.send('r', 'while down');
  const second = await startServer({ batchWindowMs: 0, port: first.port });
  t.teardown(() => second.stop());
  t.deepEqual(await sent, { seq: 1 });
  await waitUntil(() => got.length === 2, 'the message sent while down to come back');
  t.deepEqual(
    got.map((m) => [m.text, m.seq]),
    [
      ['before', 1],
      ['while down', 1],
    ],
  );
  t.not(got[1]?.epoch, joined.messages[0]?.epoch ?? got[0]?.epoch);
  t.deepEqual(joins, [undefined, false]);
  // Each attempt says so; attempts fail until the server is back.
  t.deepEqual(states.slice(0, 3), ['connected', 'reconnecting', 'connecting']);
  t.is(states.at(-1), 'connected');
  t.is(states.filter((state) => state === 'connecting').length, sockets.made.length - 1);
});

test('reconnect() tries at once instead of waiting out the backoff', async (t) => {
  const { server } = await setUp(t);
  const sockets = recordingWebSocket();
  const slow = { initialMs: 60_000, maxMs: 60_000, factor: 2 };
  const ann = new HubbubClient({ url: server.wsUrl, WebSocket: sockets.WebSocket, backoff: slow });
  t.teardown(() => ann.close());
  await ann.join('r');
  const waits: Array<number | undefined> = [];
  ann.on('state', (state, retryInMs) => {
    if (state === 'reconnecting') waits.push(retryInMs);
  });
  sockets.made.at(-1)?.terminate();
  await waitUntil(() => ann.state === 'reconnecting', 'the cut to be noticed');
  t.true((waits[0] ?? 0) >= 30_000);
  ann.reconnect();
  await waitUntil(() => ann.state === 'connected', 'the reconnect');
  t.is(sockets.made.length, 2);
});

test('a join refused at once rejects, and so do the sends made while it was on its way; a join left before its answer rejects', async (t) => {
  const { client } = await setUp(t);
  const { hubbub: ann } = client('ann');
  const [join, send] = await Promise.all([
    t.throwsAsync(ann.join('not a room'), { instanceOf: HubbubError }),
    t.throwsAsync(within(ann.send('not a room', 'x'), 'the send to settle'), {
      instanceOf: HubbubError,
    }),
  ]);
  t.like(join, { reason: 'bad_room', room: 'not a room' });
  t.like(send, { reason: 'bad_room', room: 'not a room' });
  t.is(ann.roomState('not a room'), undefined);
  const left = ann.join('r');
  ann.leave('r');
  t.like(await t.throwsAsync(within(left, 'the join to settle')), {
    reason: 'not_joined',
    room: 'r',
  });
  t.is(ann.roomState('r'), undefined);
});
