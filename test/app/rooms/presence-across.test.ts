import test, { type ExecutionContext } from 'ava';
import type { RoomPeer } from '../../../src/app/rooms/room-peer.ts';
import type { DepartureReason } from '../../../src/domain/index.ts';
import type { PresenceChange } from '../../../src/domain/rooms/index.ts';
import { waitUntil } from '../../adapters/support/ws-client.ts';
import { OtherNodesEngine } from '../../support/other-nodes-engine.ts';
import { type ServerOverrides, startServer } from '../../support/start-server.ts';

/** A connection that never reads: it records the presence it is told and how it was closed. */
class ListeningPeer implements RoomPeer {
  readonly transport = 'test';
  readonly remote = 'test';
  readonly showsPresence = true;
  readonly presences: PresenceChange[] = [];
  closed: DepartureReason | undefined;
  id = '';

  joined(): void {}

  wake(): void {}

  renumbered(): void {}

  presence(change: PresenceChange): void {
    this.presences.push(change);
  }

  close(reason: DepartureReason): void {
    this.closed = reason;
  }
}

/** The real server on an engine whose other processes the test plays. */
const setUp = async (t: ExecutionContext, overrides: ServerOverrides = {}) => {
  const engine = new OtherNodesEngine();
  const server = await startServer({ batchWindowMs: 0, ...overrides }, { engine });
  t.teardown(() => server.stop());
  const { hub } = server;
  const connect = (name: string) => {
    const peer = new ListeningPeer();
    peer.id = hub.connect(peer, name) ?? '';
    return peer;
  };
  const join = async (peer: ListeningPeer, room: string) => {
    const result = await hub.join(peer.id, room, {});
    if (result.kind !== 'joined') throw new Error(`join refused: ${result.reason}`);
    return result;
  };
  return { engine, hub, connect, join };
};

test('this process announces its count of a name in a room at every change: a first and a second connection, a leave, a departure from every room', async (t) => {
  const { engine, hub, connect, join } = await setUp(t);
  const [first, second] = [connect('ann'), connect('ann')];
  await join(first, 'a');
  await join(second, 'a');
  await join(second, 'b');
  hub.leave(first.id, 'a');
  hub.disconnect(second.id, 'left');
  t.deepEqual(engine.announced, [
    { room: 'a', name: 'ann', connections: 1 },
    { room: 'a', name: 'ann', connections: 2 },
    { room: 'b', name: 'ann', connections: 1 },
    { room: 'a', name: 'ann', connections: 1 },
    { room: 'a', name: 'ann', connections: 0 },
    { room: 'b', name: 'ann', connections: 0 },
  ]);
});

test('an eviction is announced as the name gone from the room', async (t) => {
  const { engine, hub, connect, join } = await setUp(t, { sendBuffer: 2 });
  const bob = connect('bob');
  await join(bob, 'a');
  for (const text of ['1', '2', '3']) await hub.post('a', 'test', text);
  await waitUntil(() => bob.closed === 'send_buffer_full', 'bob evicted');
  t.deepEqual(engine.announced, [
    { room: 'a', name: 'bob', connections: 1 },
    { room: 'a', name: 'bob', connections: 0 },
  ]);
});

test('the other processes are watched from before the engine answers the first join here until the last member here leaves', async (t) => {
  const { engine, hub, connect, join } = await setUp(t);
  const [ann, bob] = [connect('ann'), connect('bob')];
  await join(ann, 'a');
  await join(bob, 'a');
  t.deepEqual(engine.calls, ['watch a', 'join a', 'join a']);
  hub.leave(ann.id, 'a');
  t.is(engine.watching('a'), 1);
  hub.disconnect(bob.id, 'left');
  t.is(engine.watching('a'), 0);
  t.deepEqual(engine.calls.at(-1), 'unwatch a');
  // Nobody here: what the others report is not kept, and a join later gets it afresh.
  engine.report('n2', 'a', 'zed', 1);
  t.deepEqual(hub.members('a'), []);
  const cat = connect('cat');
  t.deepEqual((await join(cat, 'a')).members, [
    { name: 'cat', connections: 1 },
    { name: 'zed', connections: 1 },
  ]);
  t.is(engine.watching('a'), 1);
});

test('the members are summed over processes, in the join answer and when asked', async (t) => {
  const { engine, hub, connect, join } = await setUp(t);
  engine.report('n2', 'a', 'ann', 2);
  engine.report('n3', 'a', 'ann', 1);
  engine.report('n3', 'a', 'zed', 1);
  engine.report('n3', 'b', 'bob', 1);
  const joined = await join(connect('ann'), 'a');
  const expected = [
    { name: 'ann', connections: 4 },
    { name: 'zed', connections: 1 },
  ];
  t.deepEqual(joined.members, expected);
  t.deepEqual(hub.members('a'), expected);
  engine.report('n3', 'a', 'zed', 0);
  t.deepEqual(hub.members('a'), [{ name: 'ann', connections: 4 }]);
});

test('a name is told as joined when its first connection anywhere comes, and as left when its last one anywhere goes', async (t) => {
  const { engine, hub, connect, join } = await setUp(t);
  const cat = connect('cat');
  await join(cat, 'a');
  engine.report('n2', 'a', 'ann', 1);
  const ann = connect('ann');
  await join(ann, 'a');
  hub.disconnect(ann.id, 'left');
  engine.report('n2', 'a', 'ann', 0);
  await join(connect('bob'), 'a');
  engine.report('n3', 'a', 'bob', 2);
  engine.report('n3', 'a', 'dan', 1);
  engine.expire('n3');
  t.deepEqual(cat.presences, [
    { type: 'member_joined', room: 'a', name: 'ann' },
    { type: 'member_left', room: 'a', name: 'ann' },
    { type: 'member_joined', room: 'a', name: 'bob' },
    { type: 'member_joined', room: 'a', name: 'dan' },
    { type: 'member_left', room: 'a', name: 'dan' },
  ]);
  t.deepEqual(hub.members('a'), [
    { name: 'bob', connections: 1 },
    { name: 'cat', connections: 1 },
  ]);
});
