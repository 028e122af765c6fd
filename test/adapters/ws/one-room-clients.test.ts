import test from 'ava';
import { startServer } from '../../support/start-server.ts';
import { connectSse } from '../support/sse-client.ts';
import { connectTcp } from '../support/tcp-client.ts';
import { V2TestClient } from '../support/v2-client.ts';
import { connect, refusal, type TestClient, waitUntil } from '../support/ws-client.ts';

type Started = Awaited<ReturnType<typeof startServer>>;

const start = async (t: { teardown(fn: () => Promise<void>): void }) => {
  const server = await startServer({ tcpPort: 0 });
  t.teardown(() => server.stop());
  return server;
};

const plain = async (
  t: { teardown(fn: () => void): void },
  server: Started,
  query = '',
  protocols: readonly string[] = [],
): Promise<TestClient> => {
  const client = await connect(`${server.wsUrl}${query}`, {}, protocols);
  t.teardown(() => client.ws.terminate());
  return client;
};

/** Waits until `room` has `count` connections: a one-room client has joined once it counts. */
const joinedCount = (server: Started, room: string, count: number) =>
  waitUntil(
    () => (server.hub.state.rooms.get(room)?.members.size === count ? true : undefined),
    `${count} members in ${room}`,
  );

test('plain /ws?room=R: each client hears its own room only', async (t) => {
  const server = await start(t);
  const alpha = await plain(t, server, '?room=alpha');
  const beta = await plain(t, server, '?room=beta');
  await joinedCount(server, 'alpha', 1);
  await joinedCount(server, 'beta', 1);
  alpha.ws.send('for alpha');
  beta.ws.send('for beta');
  await waitUntil(
    () => (alpha.messages.length && beta.messages.length ? true : undefined),
    'echoes',
  );
  t.deepEqual(alpha.messages, ['for alpha']);
  t.deepEqual(beta.messages, ['for beta']);
});

test('plain, hubbub.v1, SSE, TCP and hubbub.v2 clients without a room are all in lobby together', async (t) => {
  const server = await start(t);
  const plainClient = await plain(t, server, '?name=pat');
  const v1 = await plain(t, server, '', ['hubbub.v1']);
  const sse = await connectSse(server.httpUrl, '?name=sam');
  t.teardown(() => sse.leave());
  const tcp = await connectTcp(server.tcpPort ?? 0);
  t.teardown(() => tcp.socket.destroy());
  await joinedCount(server, 'lobby', 4);
  const v2 = await V2TestClient.open(server.wsUrl, '?name=vic');
  t.teardown(() => v2.ws.terminate());
  const joined = await v2.join('lobby');
  const names = (joined.members as { name: string }[]).map((member) => member.name).sort();
  t.is(names.length, 5, 'every connection in lobby, whatever its transport');
  t.true(names.includes('pat') && names.includes('sam') && names.includes('vic'));

  plainClient.ws.send('from plain');
  await v2.next('message', 'lobby');
  tcp.socket.write('from tcp\n');
  await v2.next('message', 'lobby', 2);
  v2.command({ type: 'send', room: 'lobby', text: 'from v2' });
  const expected = ['from plain', 'from tcp', 'from v2'];
  await waitUntil(() => (sse.messages.length >= 3 ? true : undefined), 'SSE to hear all three');
  t.deepEqual(sse.messages, expected);
  await waitUntil(() => (tcp.messages.length >= 3 ? true : undefined), 'TCP to hear all three');
  t.deepEqual(tcp.messages, expected);
  await waitUntil(() => (plainClient.messages.length >= 3 ? true : undefined), 'plain');
  t.deepEqual(plainClient.messages, expected);
  t.like(v2.of('message', 'lobby')[0], { text: 'from plain', from: 'pat', seq: 1 });
  // hubbub.v1 carries the room's own seq.
  await waitUntil(() => (v1.messages.length > 0 ? true : undefined), 'v1');
  const v1Items = await waitUntil(() => {
    const items = v1.messages.flatMap((frame) => JSON.parse(frame) as { seq: number }[]);
    return items.length >= 3 ? items : undefined;
  }, 'three v1 items');
  t.deepEqual(
    v1Items.map((item) => item.seq),
    [1, 2, 3],
  );
});

test('hubbub.v1 in another room numbers from 1 in that room', async (t) => {
  const server = await start(t);
  server.publish('a lobby message first');
  const v1 = await plain(t, server, '?room=quiet', ['hubbub.v1']);
  await joinedCount(server, 'quiet', 1);
  v1.ws.send(JSON.stringify({ type: 'send', text: 'hello' }));
  const frame = await waitUntil(() => v1.messages[0], 'the echo');
  t.deepEqual(JSON.parse(frame), [{ type: 'message', seq: 1, text: 'hello' }]);
});

test('a bad ?room or ?name on a plain upgrade is 400', async (t) => {
  const server = await start(t);
  t.is((await refusal(`${server.wsUrl}?room=bad%20room`)).status, 400);
  t.is((await refusal(`${server.wsUrl}?name=${'n'.repeat(33)}`)).status, 400);
});

test('a plain client that sends as soon as it opens loses nothing while it joins', async (t) => {
  const server = await start(t);
  const listener = await plain(t, server, '?room=fast');
  await joinedCount(server, 'fast', 1);
  const fast = await plain(t, server, '?room=fast');
  for (let i = 0; i < 5; i++) fast.ws.send(`quick ${i}`);
  const heard = await waitUntil(
    () => (listener.messages.length >= 5 ? listener.messages : undefined),
    'five messages',
  );
  t.deepEqual(
    heard,
    [0, 1, 2, 3, 4].map((i) => `quick ${i}`),
  );
});

test('a plain client whose room cannot be made (every kept room has members) is closed with 1013', async (t) => {
  const server = await startServer({ maxRooms: 1 });
  t.teardown(() => server.stop());
  await plain(t, server, '?room=first');
  await joinedCount(server, 'first', 1);
  const refused = await plain(t, server, '?room=second');
  t.deepEqual(await refused.closed, { code: 1013, reason: 'room unavailable: too_many_rooms' });
  t.false(server.hub.state.rooms.has('second'));
});
