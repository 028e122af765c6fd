import test from 'ava';
import { WebSocket } from 'ws';
import {
  backoffDelay,
  type ChatMessage,
  HubbubClient,
  type WebSocketConstructor,
} from '../../src/client/index.ts';
import { waitUntil } from '../adapters/support/ws-client.ts';
import { startServer } from '../support/start-server.ts';

/** `ws`'s WebSocket, keeping every socket made, so a test can cut one as a network would. */
const recordingWebSocket = () => {
  const made: WebSocket[] = [];
  class Recording extends WebSocket {
    constructor(url: string, protocols: string[]) {
      super(url, protocols);
      made.push(this);
    }
  }
  return { made, WebSocket: Recording as unknown as WebSocketConstructor };
};

const FAST = { initialMs: 20, maxMs: 100, factor: 2 };

const setUp = async (t: import('ava').ExecutionContext) => {
  const server = await startServer({ batchWindowMs: 0 });
  t.teardown(() => server.stop());
  const client = (name: string) => {
    const sockets = recordingWebSocket();
    const hubbub = new HubbubClient({
      url: server.wsUrl,
      name,
      WebSocket: sockets.WebSocket,
      backoff: FAST,
    });
    const got: ChatMessage[] = [];
    hubbub.on('message', (message) => got.push(message));
    t.teardown(() => hubbub.close());
    return { hubbub, got, sockets };
  };
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
  const states: string[] = [];
  ann.hubbub.on('state', (state) => states.push(state));
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
  const { server } = await setUp(t);
  const sockets = recordingWebSocket();
  const guest = new HubbubClient({
    url: server.wsUrl,
    WebSocket: sockets.WebSocket,
    backoff: FAST,
  });
  t.teardown(() => guest.close());
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
