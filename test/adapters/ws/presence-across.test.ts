import test, { type ExecutionContext } from 'ava';
import { OtherNodesEngine } from '../../support/other-nodes-engine.ts';
import { startServer } from '../../support/start-server.ts';
import { connectSse } from '../support/sse-client.ts';
import { V2TestClient } from '../support/v2-client.ts';
import { waitUntil } from '../support/ws-client.ts';

/** A server whose engine has other processes, played by the test. */
const start = async (t: ExecutionContext) => {
  const engine = new OtherNodesEngine();
  const server = await startServer({ batchWindowMs: 0 }, { engine });
  t.teardown(() => server.stop());
  const open = async (name: string) => {
    const client = await V2TestClient.open(server.wsUrl, `?name=${name}`);
    t.teardown(() => client.close());
    return client;
  };
  return { engine, server, open };
};

const names = (client: V2TestClient, type: string) =>
  client.of(type, 'lobby').map((item) => item.name);

test('v2 and SSE ?format=v2: the members of a room are counted on every process, in joined and in members', async (t) => {
  const { engine, server, open } = await start(t);
  engine.report('n2', 'lobby', 'ann', 2);
  engine.report('n2', 'lobby', 'zed', 1);
  const ann = await open('ann');
  t.deepEqual((await ann.join('lobby')).members, [
    { name: 'ann', connections: 3 },
    { name: 'zed', connections: 1 },
  ]);
  engine.report('n3', 'lobby', 'bob', 1);
  ann.command({ type: 'members', room: 'lobby' });
  t.deepEqual((await ann.next('members', 'lobby')).members, [
    { name: 'ann', connections: 3 },
    { name: 'bob', connections: 1 },
    { name: 'zed', connections: 1 },
  ]);
  const stream = await connectSse(server.httpUrl, '?room=lobby&name=cy&format=v2');
  t.teardown(() => stream.leave());
  const joined = await waitUntil(
    () => stream.events.find((event) => event.event === 'joined'),
    'the SSE joined event',
  );
  t.deepEqual(JSON.parse(joined.data).members, [
    { name: 'ann', connections: 3 },
    { name: 'bob', connections: 1 },
    { name: 'cy', connections: 1 },
    { name: 'zed', connections: 1 },
  ]);
});

test('v2: a name on another process is not told as joined again when it joins here, nor as left until its last connection anywhere goes', async (t) => {
  const { engine, server, open } = await start(t);
  const cat = await open('cat');
  await cat.join('lobby');
  engine.report('n2', 'lobby', 'ann', 1);
  await cat.next('member_joined', 'lobby');
  const ann = await open('ann');
  await ann.join('lobby');
  // Items come in order: bob's coming is told after anything ann's join would have told.
  const bob = await open('bob');
  await bob.join('lobby');
  await cat.next('member_joined', 'lobby', 2);
  t.deepEqual(names(cat, 'member_joined'), ['ann', 'bob']);
  await ann.close();
  await waitUntil(
    () => server.hub.members('lobby').some((m) => m.name === 'ann' && m.connections === 1),
    'ann gone from here',
  );
  await bob.close();
  await cat.next('member_left', 'lobby');
  t.deepEqual(names(cat, 'member_left'), ['bob']);
  engine.report('n2', 'lobby', 'ann', 0);
  await cat.next('member_left', 'lobby', 2);
  t.deepEqual(names(cat, 'member_left'), ['bob', 'ann']);
  cat.command({ type: 'members', room: 'lobby' });
  t.deepEqual((await cat.next('members', 'lobby')).members, [{ name: 'cat', connections: 1 }]);
});

test('v2: a process that died takes its members with it once its presence expires; the room is watched while it has members here', async (t) => {
  const { engine, open } = await start(t);
  const cat = await open('cat');
  await cat.join('lobby');
  engine.report('n2', 'lobby', 'ann', 1);
  engine.report('n2', 'lobby', 'dan', 2);
  await cat.next('member_joined', 'lobby', 2);
  engine.expire('n2');
  await cat.next('member_left', 'lobby', 2);
  t.deepEqual(names(cat, 'member_left'), ['ann', 'dan']);
  t.is(engine.watching('lobby'), 1);
  cat.command({ type: 'leave', room: 'lobby' });
  await cat.next('left', 'lobby');
  t.is(engine.watching('lobby'), 0);
  t.deepEqual(engine.announced, [
    { room: 'lobby', name: 'cat', connections: 1 },
    { room: 'lobby', name: 'cat', connections: 0 },
  ]);
});
