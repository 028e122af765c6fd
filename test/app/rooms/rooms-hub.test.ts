import test from 'ava';
import { MemoryEngine } from '../../../src/adapters/memory/memory-engine.adapter.ts';
import type { Engine, RoomMessage } from '../../../src/app/ports/engine.port.ts';
import type { RoomPeer } from '../../../src/app/rooms/room-peer.ts';
import { RoomsGateway } from '../../../src/app/rooms/rooms-gateway.ts';
import { RoomsHub, type RoomsHubSettings } from '../../../src/app/rooms/rooms-hub.ts';
import { JoinRefusedError } from '../../../src/app/session.ts';
import type { ConnectionTable, DepartureReason } from '../../../src/domain/index.ts';
import type { PresenceChange } from '../../../src/domain/rooms/index.ts';
import { PersistentMap } from '../../../src/lib/persistent-map.ts';
import { ManualClock } from '../../contract/engine-contract.ts';
import { ControlledEngine } from '../../support/controlled-engine.ts';
import { RecordingLogger } from '../../support/recording-logger.ts';
import { RecordingMetrics } from '../../support/recording-metrics.ts';

/** A peer that reads everything it is woken for, unless stalled, and records what it got. */
class ReadingPeer implements RoomPeer {
  readonly transport = 'test';
  readonly remote = 'test';
  showsPresence = true;
  readonly got: RoomMessage[] = [];
  readonly presences: PresenceChange[] = [];
  closed: DepartureReason | undefined;
  stalled = false;
  id = '';
  private readonly cursors = new Map<string, number>();

  constructor(private readonly hub: () => RoomsHub) {}

  wake(room: string, head: number): void {
    if (this.stalled) return;
    const after = this.cursors.get(room) ?? 0;
    const messages = this.hub().read(room, after, head - after);
    this.got.push(...messages);
    const last = messages.at(-1);
    if (last !== undefined) {
      this.cursors.set(room, last.seq);
      this.hub().acknowledge(this.id, room, last.seq);
    }
  }

  joined(room: string, answer: { seq: number }): void {
    this.cursors.set(room, answer.seq);
  }

  renumbered(room: string): void {
    this.cursors.set(room, 0);
  }

  presence(change: PresenceChange): void {
    this.presences.push(change);
  }

  close(reason: DepartureReason): void {
    this.closed = reason;
  }
}

const setUp = (settings: Partial<RoomsHubSettings> = {}, outside: { engine?: Engine } = {}) => {
  const clock = new ManualClock();
  const engine =
    outside.engine ??
    new MemoryEngine(
      { historySize: 100, historyTtlMs: 86_400_000, dedupeWindowMs: 300_000, maxRooms: 1_000 },
      clock,
    );
  const logger = new RecordingLogger();
  const hub = new RoomsHub(
    { sendBuffer: 8, maxRoomsPerConnection: 3, maxMessageBytes: 512, ...settings },
    engine,
    clock,
    logger,
    new RecordingMetrics(),
    <V>(): ConnectionTable<V> => PersistentMap.empty<V>(),
  );
  const connect = (name: string) => {
    const peer = new ReadingPeer(() => hub);
    peer.id = hub.connect(peer, name) ?? '';
    return peer;
  };
  const join = async (peer: ReadingPeer, room: string, request = {}) => {
    return hub.join(peer.id, room, request);
  };
  return { hub, engine, clock, logger, connect, join };
};

const texts = (messages: readonly RoomMessage[]) =>
  messages.map((m) => `${m.room}#${m.seq} ${m.text}`);

test('members of a room get its messages, in seq order, and nothing of other rooms', async (t) => {
  const { hub, connect, join } = setUp();
  const [ann, bob, cat] = [connect('ann'), connect('bob'), connect('cat')];
  await join(ann, 'a');
  await join(bob, 'a');
  await join(cat, 'b');
  t.like(await hub.send(ann.id, 'a', 'hi'), { kind: 'stored', seq: 1, repeat: false });
  await hub.send(cat.id, 'b', 'elsewhere');
  await hub.send(bob.id, 'a', 'hello');
  t.deepEqual(texts(ann.got), ['a#1 hi', 'a#2 hello']);
  t.deepEqual(texts(bob.got), ['a#1 hi', 'a#2 hello']);
  t.deepEqual(texts(cat.got), ['b#1 elsewhere']);
  t.like(ann.got[0], { from: 'ann' });
});

test('a join gets history and resumes by the recovery rule, then live messages without a repeat or a gap', async (t) => {
  const { hub, connect, join } = setUp();
  const ann = connect('ann');
  await join(ann, 'a');
  for (const text of ['1', '2', '3']) await hub.send(ann.id, 'a', text);
  const bob = connect('bob');
  const first = await join(bob, 'a', { history: 2 });
  if (first.kind !== 'joined') return t.fail();
  t.deepEqual(
    first.messages.map((m) => m.text),
    ['2', '3'],
  );
  t.deepEqual(first.members, [
    { name: 'ann', connections: 1 },
    { name: 'bob', connections: 1 },
  ]);
  await hub.send(ann.id, 'a', '4');
  t.deepEqual(
    bob.got.map((m) => m.text),
    ['4'],
  );

  const back = connect('bob');
  const resumed = await join(back, 'a', { since: { epoch: first.epoch, seq: 2 } });
  t.like(resumed, { kind: 'joined', recovered: true, seq: 4 });
  if (resumed.kind === 'joined')
    t.deepEqual(
      resumed.messages.map((m) => m.text),
      ['3', '4'],
    );
  await hub.send(ann.id, 'a', '5');
  t.deepEqual(
    back.got.map((m) => m.text),
    ['5'],
  );
});

test('a repeated client id is acknowledged with the first seq and not delivered again', async (t) => {
  const { hub, connect, join } = setUp();
  const ann = connect('ann');
  await join(ann, 'a');
  t.like(await hub.send(ann.id, 'a', 'once', 'id-1'), { seq: 1, repeat: false });
  t.like(await hub.send(ann.id, 'a', 'once', 'id-1'), { seq: 1, repeat: true });
  t.is(ann.got.length, 1);
});

test('refusals: a bad room, a room not joined, too many rooms, a message too large', async (t) => {
  const { hub, connect, join } = setUp({ maxRoomsPerConnection: 1, maxMessageBytes: 4 });
  const ann = connect('ann');
  t.like(await join(ann, '-bad'), { kind: 'refused', reason: 'bad_room' });
  await join(ann, 'a');
  t.like(await join(ann, 'b'), { kind: 'refused', reason: 'too_many_rooms' });
  t.like(await hub.send(ann.id, 'b', 'x'), { kind: 'refused', reason: 'not_joined' });
  t.like(await hub.send(ann.id, 'a', 'héllo'), { kind: 'refused', reason: 'message_too_large' });
  t.true(hub.leave(ann.id, 'a'));
  t.false(hub.leave(ann.id, 'a'));
  t.like(await join(ann, 'b'), { kind: 'joined' });
});

test('a member that stops reading is evicted when its buffer, all its rooms together, is full; the others carry on', async (t) => {
  const { hub, connect, join } = setUp({ sendBuffer: 3 });
  const [ann, slow] = [connect('ann'), connect('slow')];
  await join(ann, 'a');
  await join(slow, 'a');
  await join(slow, 'b');
  slow.stalled = true;
  await hub.send(ann.id, 'a', '1');
  await hub.send(ann.id, 'a', '2');
  await join(ann, 'b');
  await hub.send(ann.id, 'b', '3');
  t.is(slow.closed, undefined);
  await hub.send(ann.id, 'a', '4');
  t.is(slow.closed, 'send_buffer_full');
  t.deepEqual(
    ann.got.map((m) => m.text),
    ['1', '2', '3', '4'],
  );
  t.deepEqual(hub.members('b'), [{ name: 'ann', connections: 1 }]);
});

test('presence: members hear a name arrive and go, not their own arrival', async (t) => {
  const { hub, connect, join } = setUp();
  const [ann, bob] = [connect('ann'), connect('bob')];
  await join(ann, 'a');
  await join(bob, 'a');
  hub.disconnect(bob.id, 'left');
  t.deepEqual(ann.presences, [
    { type: 'member_joined', room: 'a', name: 'bob' },
    { type: 'member_left', room: 'a', name: 'bob' },
  ]);
  t.deepEqual(bob.presences, []);
});

test('a room with no member here has no feed: the engine is not listened to for it', async (t) => {
  const { hub, connect, join, engine } = setUp();
  const ann = connect('ann');
  await join(ann, 'a');
  hub.leave(ann.id, 'a');
  const other = connect('bob');
  await join(other, 'b');
  await engine.publish({ room: 'a', text: 'nobody here', from: 'x', at: 0 });
  t.is(hub.read('a', 0, 10).length, 0);
  t.deepEqual(ann.got, []);
});

test('shutdown closes every connection and refuses new ones', async (t) => {
  const { hub, connect, join } = setUp();
  const ann = connect('ann');
  await join(ann, 'a');
  hub.shutdown();
  t.is(ann.closed, 'shutdown');
  t.is(hub.connect(new ReadingPeer(() => hub), 'late'), undefined);
  t.like(await hub.send(ann.id, 'a', 'x'), { kind: 'refused', reason: 'closed' });
});

test('a message stored while a join waits for the engine reaches the joiner once, in a room with or without members here', async (t) => {
  for (const withMember of [true, false]) {
    const { connect, join, engine } = setUp();
    const ann = connect('ann');
    if (withMember) await join(ann, 'a');
    await engine.publish({ room: 'a', text: 'before', from: 'x', at: 0 });
    const bob = connect('bob');
    const joining = join(bob, 'a', { history: 5 });
    await engine.publish({ room: 'a', text: 'during', from: 'x', at: 0 });
    const answer = await joining;
    if (answer.kind !== 'joined') return t.fail();
    const seen = [...answer.messages, ...bob.got].map((m) => m.text);
    t.deepEqual(seen, ['before', 'during'], withMember ? 'with a member here' : 'alone');
    await engine.publish({ room: 'a', text: 'after', from: 'x', at: 0 });
    t.deepEqual(
      [...answer.messages, ...bob.got].map((m) => m.text),
      ['before', 'during', 'after'],
    );
  }
});

test('a joiner that falls more than its send buffer behind while the engine answers never gets a gap: it is evicted at once, and resumes with everything', async (t) => {
  const { connect, join, engine } = setUp({ sendBuffer: 4 });
  const ann = connect('ann');
  await join(ann, 'a');
  const bob = connect('bob');
  const joining = join(bob, 'a');
  // Stored while bob's join waits for the engine's answer: more than bob's buffer holds.
  const burst = Array.from({ length: 10 }, (_, i) =>
    engine.publish({ room: 'a', text: `m${i + 1}`, from: 'x', at: 0 }),
  );
  await Promise.all(burst);
  t.deepEqual(await joining, { kind: 'refused', reason: 'closed' });
  t.deepEqual(bob.got, [], 'nothing after a gap');
  t.is(bob.closed, 'send_buffer_full');
  t.is(ann.got.length, 10);
  const back = connect('bob');
  const since = { epoch: ann.got[0]?.epoch ?? '', seq: 0 };
  const resumed = await join(back, 'a', { since });
  if (resumed.kind !== 'joined') return t.fail();
  t.true(resumed.recovered);
  t.deepEqual(
    resumed.messages.map((m) => m.text),
    Array.from({ length: 10 }, (_, i) => `m${i + 1}`),
  );
});

test('presence is told only to members that show it; the others never hear of it', async (t) => {
  const { connect, join } = setUp();
  const plain = connect('plain');
  plain.showsPresence = false;
  const shower = connect('shower');
  await join(plain, 'p');
  await join(shower, 'p');
  const late = connect('late');
  await join(late, 'p');
  t.deepEqual(plain.presences, []);
  t.deepEqual(shower.presences, [{ type: 'member_joined', room: 'p', name: 'late' }]);
});

test('the first joiner of a room with no member here that falls behind while joining is evicted; the room stays usable', async (t) => {
  const { connect, join, engine, hub } = setUp({ sendBuffer: 4 });
  const bob = connect('bob');
  const joining = join(bob, 'a');
  await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      engine.publish({ room: 'a', text: `m${i + 1}`, from: 'x', at: 0 }),
    ),
  );
  t.deepEqual(await joining, { kind: 'refused', reason: 'closed' });
  t.is(bob.closed, 'send_buffer_full');
  t.deepEqual(bob.got, [], 'nothing after a gap');
  const ann = connect('ann');
  const joined = await join(ann, 'a');
  t.like(joined, { kind: 'joined', seq: 10 });
  t.like(await hub.send(ann.id, 'a', 'after'), { kind: 'stored', seq: 11 });
  t.deepEqual(texts(ann.got), ['a#11 after']);
});

test('a room whose numbering restarts: its members get the new epoch from seq 1, and a join the engine answered in the old numbering is asked again', async (t) => {
  const engine = new ControlledEngine();
  const { hub, connect, join } = setUp({}, { engine });
  const [ann, bob] = [connect('ann'), connect('bob')];
  const first = await join(ann, 'a');
  await hub.send(ann.id, 'a', 'm1');
  await hub.send(ann.id, 'a', 'm2');
  // bob's join reads the room before it is lost, and is answered after its new numbering began.
  const release = engine.holdJoins();
  const joining = join(bob, 'a');
  engine.lose('a');
  t.like(await hub.send(ann.id, 'a', 'n1'), { kind: 'stored', seq: 1 });
  release();
  const joined = await joining;
  const renumbered = ann.got.at(-1)?.epoch;
  t.not(renumbered, first.kind === 'joined' ? first.epoch : undefined);
  t.like(joined, { kind: 'joined', epoch: renumbered, seq: 1 });
  await hub.send(ann.id, 'a', 'n2');
  t.deepEqual(texts(ann.got), ['a#1 m1', 'a#2 m2', 'a#1 n1', 'a#2 n2']);
  t.deepEqual(texts(bob.got), ['a#2 n2']);
  t.true([...ann.got, ...bob.got].slice(2).every((m) => m.epoch === renumbered));
});

test('a join the engine never answers is refused as unavailable after the join timeout: a one-room connection waiting for it leaves the hub', async (t) => {
  const engine = new ControlledEngine();
  engine.holdJoins(); // never released: the engine hangs
  const { hub, logger } = setUp({ joinTimeoutMs: 20 }, { engine });
  const gateway = new RoomsGateway(hub, 512);
  const peer = { transport: 'test', remote: 'test', wake() {}, renumbered() {}, close() {} };
  const refusal = await t.throwsAsync(gateway.connect(peer, { room: 'a', name: 'ann' }), {
    instanceOf: JoinRefusedError,
  });
  t.is(refusal?.reason, 'unavailable');
  t.is(hub.state.connections.size, 0);
  t.is(hub.feedOf('a'), undefined, 'nothing listens for the room any more');
  t.true(logger.lines.some((line) => line.message === 'join failed'));
});
