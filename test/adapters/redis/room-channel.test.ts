import test from 'ava';
import { type ChannelReader, RoomChannel } from '../../../src/adapters/redis/room-channel.ts';
import type { NodePresence, RoomMessage } from '../../../src/app/ports/engine.port.ts';
import { waitUntil } from '../support/ws-client.ts';

/** A room as Redis would hold it: its epoch and every message, which the fake reader serves. */
class FakeRoom {
  epoch = 'e1';
  messages: RoomMessage[] = [];
  presence: NodePresence[] = [];
  reads = 0;
  presenceReads = 0;
  failNext = 0;

  store(text: string): RoomMessage {
    const seq = this.messages.filter((m) => m.epoch === this.epoch).length + 1;
    const message = { room: 'r', seq, epoch: this.epoch, text, from: 'ann', at: 0 };
    this.messages.push(message);
    return message;
  }

  lose(epoch: string): void {
    this.epoch = epoch;
    this.messages = [];
  }

  readonly reader: ChannelReader = {
    readAfter: async (_room, after, upto) => {
      this.reads += 1;
      if (this.failNext > 0) {
        this.failNext -= 1;
        throw new Error('redis is away');
      }
      const latest = this.messages.filter((m) => m.epoch === this.epoch).length;
      const messages = this.messages.filter(
        (m) => m.epoch === this.epoch && m.seq > after && m.seq <= (upto ?? latest),
      );
      return { epoch: this.epoch, latest, messages };
    },
    presenceOf: async () => {
      this.presenceReads += 1;
      return this.presence;
    },
  };
}

const wire = (message: RoomMessage): string =>
  JSON.stringify({
    e: message.epoch,
    s: message.seq,
    b: { text: message.text, from: 'ann', at: 0 },
  });

const presenceWire = (node: string, name: string, connections: number): string =>
  JSON.stringify({ k: `${node}\n${name}`, c: connections });

const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

/** A presence TTL longer than any test here, unless a test says otherwise. */
const LONG_TTL_MS = 60_000;

const channelOn = async (room: FakeRoom, presenceTtlMs = LONG_TTL_MS) => {
  const got: string[] = [];
  const presence: string[] = [];
  const faults: unknown[] = [];
  const channel = new RoomChannel(
    'r',
    'me',
    room.reader,
    async () => {},
    (error) => faults.push(error),
    presenceTtlMs,
  );
  channel.messageListeners.add((m) => got.push(`${m.epoch}:${m.seq}:${m.text}`));
  channel.presenceListeners.add((p) => presence.push(`${p.node}/${p.name}=${p.connections}`));
  await channel.ready;
  return { channel, got, presence, faults };
};

test('given a room at seq 2, when 3 and 4 arrive, then only they are handed over, once each', async (t) => {
  const room = new FakeRoom();
  room.store('a');
  room.store('b');
  const { channel, got } = await channelOn(room);
  const m3 = room.store('c');
  channel.received(wire(m3));
  channel.received(wire(m3));
  channel.received(wire(room.store('d')));
  await settle();
  t.deepEqual(got, ['e1:3:c', 'e1:4:d']);
});

test('when a message arrives after a jump in seq, the missing ones are read first', async (t) => {
  const room = new FakeRoom();
  const { channel, got } = await channelOn(room);
  channel.received(wire(room.store('a')));
  room.store('b');
  room.store('c');
  channel.received(wire(room.store('d')));
  await settle();
  t.deepEqual(got, ['e1:1:a', 'e1:2:b', 'e1:3:c', 'e1:4:d']);
});

test('what was stored while the subscription was away is read when it comes back', async (t) => {
  const room = new FakeRoom();
  const { channel, got } = await channelOn(room);
  channel.received(wire(room.store('a')));
  room.store('b');
  room.store('c');
  channel.resubscribed();
  await settle();
  t.deepEqual(got, ['e1:1:a', 'e1:2:b', 'e1:3:c'], 'with no message after them');
});

test('messages stored between the channel being made and its subscription are not missed', async (t) => {
  const room = new FakeRoom();
  room.store('before');
  let subscribed = () => {};
  const got: number[] = [];
  const channel = new RoomChannel(
    'r',
    'me',
    room.reader,
    () =>
      new Promise<void>((resolve) => {
        subscribed = resolve;
      }),
    () => {},
    LONG_TTL_MS,
  );
  channel.messageListeners.add((m) => got.push(m.seq));
  await settle(); // the baseline was read: the room is at seq 1
  room.store('during');
  subscribed();
  await channel.ready;
  t.deepEqual(got, [2]);
});

test('a new epoch is handed over from seq 1, read from the stream when its first messages were missed', async (t) => {
  const room = new FakeRoom();
  const { channel, got } = await channelOn(room);
  channel.received(wire(room.store('a')));
  room.lose('e2');
  room.store('x');
  channel.received(wire(room.store('y')));
  await settle();
  t.deepEqual(got, ['e1:1:a', 'e2:1:x', 'e2:2:y']);
});

test('a gap that cannot be read now is closed when the read works again', async (t) => {
  const room = new FakeRoom();
  const { channel, got, faults } = await channelOn(room);
  room.store('a');
  room.failNext = 1;
  channel.received(wire(room.store('b')));
  await settle();
  t.deepEqual(got, []);
  t.is(faults.length, 1);
  channel.received(wire(room.store('c')));
  await settle();
  t.deepEqual(got, ['e1:1:a', 'e1:2:b', 'e1:3:c']);
  channel.close();
});

test("presence: other processes' changes pass, and this process's own do not", async (t) => {
  const room = new FakeRoom();
  room.presence = [{ room: 'r', node: 'n2', name: 'bob', connections: 1 }];
  const { channel, presence } = await channelOn(room);
  channel.received(presenceWire('me', 'ann', 1));
  channel.received(presenceWire('n3', 'cat', 2));
  channel.received(presenceWire('n2', 'bob', 0));
  await settle();
  t.deepEqual(presence, ['n2/bob=1', 'n3/cat=2', 'n2/bob=0']);
  channel.close();
});

test('presence: who is missing from the read after a return is told gone only if still missing a TTL later', async (t) => {
  const room = new FakeRoom();
  room.presence = [
    { room: 'r', node: 'n2', name: 'bob', connections: 1 },
    { room: 'r', node: 'n3', name: 'cat', connections: 2 },
  ];
  const { channel, presence } = await channelOn(room, 30);
  room.presence = [{ room: 'r', node: 'n3', name: 'cat', connections: 2 }];
  channel.resubscribed();
  await settle();
  t.deepEqual(presence, ['n2/bob=1', 'n3/cat=2'], 'not at once: Redis may have lost it');
  await waitUntil(() => presence.length === 3, 'the check a TTL later');
  t.deepEqual(presence, ['n2/bob=1', 'n3/cat=2', 'n2/bob=0']);
  channel.close();
});

test('presence: an entry Redis lost that its process writes again within the TTL is never told gone', async (t) => {
  const room = new FakeRoom();
  const bob = { room: 'r', node: 'n2', name: 'bob', connections: 1 };
  room.presence = [bob];
  const { channel, presence } = await channelOn(room, 30);
  const before = room.presenceReads;
  room.presence = []; // Redis restarted, empty
  channel.resubscribed();
  await settle();
  room.presence = [bob]; // bob's process wrote it again (it publishes no change: it had it)
  await waitUntil(() => room.presenceReads === before + 2, 'the check a TTL later');
  await settle();
  t.deepEqual(presence, ['n2/bob=1']);
  channel.close();
});

test('a message of an old epoch still on its way after the room was made anew is not taken', async (t) => {
  const room = new FakeRoom();
  const { channel, got } = await channelOn(room);
  const late = room.store('late'); // stored before the room was lost, heard after
  room.lose('e2');
  channel.received(wire(room.store('x')));
  channel.received(wire(late));
  channel.received(wire(room.store('y')));
  await settle();
  t.deepEqual(got, ['e2:1:x', 'e2:2:y']);
});
