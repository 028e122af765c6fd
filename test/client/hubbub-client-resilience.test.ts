import test, { type ExecutionContext } from 'ava';
import type { RoomsHub } from '../../src/app/rooms/rooms-hub.ts';
import { TOKENS } from '../../src/app/tokens.ts';
import type { HubbubError, JoinedRoom } from '../../src/client/index.ts';
import { sleep, waitUntil, within } from '../adapters/support/ws-client.ts';
import { type RunningServer, type ServerOverrides, startServer } from '../support/start-server.ts';
import { FAST, socketOf, type TestedClient, testedClient } from './support/client-setup.ts';

/**
 * The real server in process, which a test can stop and start again on the same port, as an
 * operator restarting it would; the one running is stopped when the test ends.
 */
const restartable = async (t: ExecutionContext, overrides: ServerOverrides = {}) => {
  let server: RunningServer | undefined = await startServer({ batchWindowMs: 0, ...overrides });
  const { port, wsUrl } = server;
  t.teardown(() => server?.stop());
  return {
    wsUrl,
    rooms: () => server?.container.get<RoomsHub>(TOKENS.RoomsHub),
    stop: async () => {
      await server?.stop();
      server = undefined;
    },
    /** Starts again on the port: a port just freed can be held a moment, so a few tries. */
    start: async (again: ServerOverrides = {}) => {
      for (let attempt = 1; server === undefined; attempt++) {
        try {
          server = await startServer({ batchWindowMs: 0, ...overrides, ...again, port });
        } catch (error) {
          if (attempt === 20) throw error;
          await sleep(50);
        }
      }
    },
  };
};

/** Every `joined` event of a client, in order. */
const joinsOf = (client: TestedClient): JoinedRoom[] => {
  const joins: JoinedRoom[] = [];
  client.hubbub.on('joined', (joined) => joins.push(joined));
  return joins;
};

const textsIn = (client: TestedClient, room: string): string[] =>
  client.got.filter((message) => message.room === room).map((message) => message.text);

test('the server restarts on the same port: the client reconnects with backoff, rejoins every room unrecovered (a new numbering), sends what was queued offline once, and goes on', async (t) => {
  const server = await restartable(t);
  // No jitter: each wait is the whole step of the backoff.
  const ann = testedClient(t, server.wsUrl, 'ann', { random: () => 1 });
  const bob = testedClient(t, server.wsUrl, 'bob');
  for (const room of ['r', 's']) {
    await ann.hubbub.join(room);
    await bob.hubbub.join(room, { history: 10 });
  }
  t.deepEqual(await ann.hubbub.send('r', 'before'), { seq: 1 });
  await waitUntil(() => textsIn(bob, 'r').length === 1, 'bob to get the first message');
  const annJoins = joinsOf(ann);
  const bobJoins = joinsOf(bob);

  const down = ann.states.length;
  await server.stop();
  await waitUntil(
    () => ann.states.slice(down).filter(({ state }) => state === 'reconnecting').length >= 4,
    'ann to try again and again while the server is down',
  );
  const waits = ann.states.slice(down).filter(({ state }) => state === 'reconnecting');
  t.deepEqual(
    waits.slice(0, 4).map(({ retryInMs }) => retryInMs),
    [FAST.initialMs, FAST.initialMs * FAST.factor, FAST.initialMs * FAST.factor ** 2, FAST.maxMs],
  );
  const offline = [ann.hubbub.send('r', 'offline r'), ann.hubbub.send('s', 'offline s')];

  await server.start();
  // The memory engine numbers every room anew: both sends are each room's first message.
  t.deepEqual(await within(Promise.all(offline), 'the offline sends to be acknowledged'), [
    { seq: 1 },
    { seq: 1 },
  ]);
  await waitUntil(() => annJoins.length === 2 && bobJoins.length === 2, 'every room rejoined');
  for (const joined of [...annJoins, ...bobJoins]) t.false(joined.recovered, joined.room);
  t.is(ann.hubbub.state, 'connected');
  t.deepEqual(await bob.hubbub.send('r', 'after'), { seq: 2 });
  await waitUntil(() => textsIn(ann, 'r').includes('after'), 'ann to get what follows');
  await waitUntil(() => textsIn(bob, 's').length === 1, 'bob to get the offline send to s');
  // Stored once each, and each heard once: nothing was sent twice.
  const rooms = server.rooms();
  t.deepEqual(
    (await rooms?.history('r', 10))?.map((m) => m.text),
    ['offline r', 'after'],
  );
  t.deepEqual(
    (await rooms?.history('s', 10))?.map((m) => m.text),
    ['offline s'],
  );
  t.deepEqual(textsIn(bob, 'r'), ['before', 'offline r', 'after']);
  t.deepEqual(textsIn(ann, 'r'), ['before', 'offline r', 'after']);
  t.deepEqual(textsIn(bob, 's'), ['offline s']);
});

test('a client evicted for not reading (its send buffer full) resumes within history and ends with every message once, in order', async (t) => {
  const server = await restartable(t, {
    sendBuffer: 2,
    maxMessageBytes: 2_000_000,
    historySize: 1_000,
  });
  const ann = testedClient(t, server.wsUrl, 'ann');
  const bob = testedClient(t, server.wsUrl, 'bob');
  await ann.hubbub.join('r');
  await bob.hubbub.join('r');
  const annJoins = joinsOf(ann);
  for (const text of ['small 1', 'small 2']) await bob.hubbub.send('r', text);
  await waitUntil(() => ann.got.length === 2, 'ann to get the first two');

  socketOf(ann.sockets.made.at(-1)).pause();
  const body = 'x'.repeat(1_000_000);
  const inRoom = () =>
    server
      .rooms()
      ?.members('r')
      .some((member) => member.name === 'ann');
  for (let n = 0; inRoom(); n++) {
    if (n === 40) t.fail('ann was not evicted');
    await bob.hubbub.send('r', `large ${n} ${body}`);
  }
  for (const text of ['late 1', 'late 2']) await bob.hubbub.send('r', text);
  socketOf(ann.sockets.made.at(-1)).resume();

  const sent = bob.got.map((message) => message.text);
  await waitUntil(
    () => ann.got.length >= sent.length,
    () => `ann to catch up (${ann.got.length} of ${sent.length})`,
  );
  t.true(ann.states.some(({ state }) => state === 'reconnecting'));
  t.true(annJoins.at(-1)?.recovered, 'the rejoin was recovered');
  t.deepEqual(
    ann.got.map((message) => message.seq),
    sent.map((_, i) => i + 1),
  );
  t.true(
    ann.got.every((message, i) => message.text === sent[i]),
    'every text as sent',
  );
});

test('a rejoin the server refuses after a reconnect is told (an error event), leaves the room refused and refuses its sends; the other rooms go on', async (t) => {
  const server = await restartable(t);
  const ann = testedClient(t, server.wsUrl, 'ann');
  const errors: HubbubError[] = [];
  ann.hubbub.on('error', (error) => errors.push(error));
  await ann.hubbub.join('r');
  await ann.hubbub.join('s');
  await server.stop();
  await waitUntil(() => ann.hubbub.state === 'reconnecting', 'ann to notice');
  t.is(ann.hubbub.roomState('r'), 'joining');
  const queued = ann.hubbub.send('s', 'queued while offline');

  // Back with one room per connection: the second rejoin is refused.
  await server.start({ maxRoomsPerConnection: 1 });
  const refused = await t.throwsAsync(queued);
  t.like(refused, { reason: 'too_many_rooms', room: 's' });
  t.like(errors, [{ reason: 'too_many_rooms', room: 's' }]);
  t.is(ann.hubbub.roomState('s'), 'refused');
  await waitUntil(() => ann.hubbub.roomState('r') === 'joined', 'r to be joined again');
  await t.throwsAsync(() => ann.hubbub.send('s', 'later'), { message: /too many rooms/ });
  t.deepEqual(await ann.hubbub.send('r', 'still here'), { seq: 1 });

  // Joining again is the way back in, once there is room for it.
  ann.hubbub.leave('r');
  const again = await ann.hubbub.join('s');
  t.is(again.room, 's');
  t.is(ann.hubbub.roomState('s'), 'joined');
  t.is(errors.length, 1);
});
