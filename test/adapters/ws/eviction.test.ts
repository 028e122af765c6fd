import test, { type ExecutionContext } from 'ava';
import type { RecordedEvent } from '../../support/start-server.ts';
import { type RunningServer, startServer } from '../../support/start-server.ts';
import {
  connectRegistered,
  isOverflowed,
  isUnregistered,
  type Overflowed,
  type TestClient,
  waitUntil,
} from '../support/ws-client.ts';

const CAPACITY = 64;
/**
 * Messages the sender sends before waiting for its own echoes: more than the capacity, so
 * readers that keep up must survive bursts larger than their send buffer.
 */
const ROUND = 100;

/** The largest pending count any registered connection had at any point in `events`. */
const maxPendingOf = (events: readonly RecordedEvent[]): number => {
  let head = 0;
  let max = 0;
  const cursors = new Map<string, number>();
  for (const event of events) {
    if (event.type === 'Joined') cursors.set(event.connectionId, event.cursor);
    else if (event.type === 'Acknowledged') cursors.set(event.connectionId, event.upTo);
    else if (event.type === 'Unregistered') cursors.delete(event.connectionId);
    else if (event.type === 'Broadcast') head = event.seq;
    for (const cursor of cursors.values()) max = Math.max(max, head - cursor);
  }
  return max;
};

const numbered = (n: number, body: string): string => `${String(n).padStart(6, '0')}|${body}`;

type Stall = Readonly<{
  server: RunningServer;
  sender: TestClient;
  reader: TestClient;
  stalled: TestClient;
  sent: readonly string[];
  overflow: Overflowed | undefined;
}>;

/**
 * A (sender, reading normally), B (reader) and C (its socket paused right after opening). A
 * sends ~4000-byte messages, pacing itself on its own echoes, until the hub evicts C (or A is
 * itself cut off, or a bound of 20 000 messages / 30 s is reached).
 */
const stallScenario = async (t: ExecutionContext): Promise<Stall> => {
  const server = await startServer({ sendBuffer: CAPACITY, maxMessageBytes: 4096 });
  t.teardown(() => server.stop());
  const sender = await connectRegistered(server);
  const reader = await connectRegistered(server);
  const stalled = await connectRegistered(server);
  stalled.socket.pause();

  const body = 'm'.repeat(4000 - 7);
  const sent: string[] = [];
  const overflowed = () => server.events.find(isOverflowed(stalled.id));
  const giveUpAt = Date.now() + 30_000;
  while (
    overflowed() === undefined &&
    sender.closedWith === undefined &&
    sent.length < 20_000 &&
    Date.now() < giveUpAt
  ) {
    for (let i = 0; i < ROUND; i++) {
      const text = numbered(sent.length, body);
      sent.push(text);
      sender.send(text);
    }
    await waitUntil(
      () =>
        sender.messages.length >= sent.length ||
        sender.closedWith !== undefined ||
        overflowed() !== undefined,
      'the sender’s echoes',
    );
  }
  t.log(`${sent.length} messages of ~4000 bytes were sent before the eviction`);
  return { server, sender, reader, stalled, sent, overflow: overflowed() };
};

test('a stalled reader is evicted at the capacity: Overflowed, Unregistered, then close 1008', async (t) => {
  const { server, stalled, sent, overflow } = await stallScenario(t);
  if (overflow === undefined) return t.fail('the stalled client was never evicted');

  t.like(overflow, { pending: CAPACITY, capacity: CAPACITY });
  t.like(server.events[server.events.indexOf(overflow) + 1], {
    type: 'Unregistered',
    connectionId: stalled.id,
    reason: 'send_buffer_full',
  });
  t.is(server.events.filter(isUnregistered(stalled.id)).length, 1);
  t.false(server.hub.state.connections.has(stalled.id));
  t.true(server.logger.lines.some((line) => line.message === 'connection evicted'));
  t.true(maxPendingOf(server.events) <= CAPACITY, 'no registered connection exceeded capacity');
  t.is(maxPendingOf(server.events), CAPACITY, 'the stalled one reached it');

  // Reading again, C drains what reached its side before the eviction (a prefix of the
  // broadcasts, in order), then the connection ends: the server queued the close frame and
  // destroyed the socket at once, so the frame arrives only if it fitted in the kernel's
  // buffers (1008 with the reason), and otherwise C sees an abnormal closure (1006).
  stalled.socket.resume();
  const closed = await stalled.waitForClose();
  if (closed.code === 1008) t.is(closed.reason, 'send buffer full: client too slow');
  else t.is(closed.code, 1006);
  t.true(stalled.messages.length >= CAPACITY);
  t.true(stalled.messages.length < sent.length);
  t.true(stalled.messages.every((text, i) => text === sent[i]));
});

test('while a stalled reader is evicted, the others receive everything, in order, and stay', async (t) => {
  const { server, sender, reader, stalled, sent, overflow } = await stallScenario(t);
  t.not(overflow, undefined, 'the stalled client was evicted');
  t.deepEqual(
    server.events.filter((e) => e.type === 'Overflowed').map((e) => e.connectionId),
    [stalled.id],
    'only the stalled client overflowed',
  );
  t.is(sender.closedWith, undefined, 'the sender was not cut off');

  await reader.waitForMessages(sent.length);
  await sender.waitForMessages(sent.length);
  for (const client of [reader, sender]) {
    t.is(client.messages.length, sent.length);
    t.true(
      client.messages.every((text, i) => text === sent[i]),
      'every message in order, without gaps or duplicates',
    );
    t.true(client.isOpen);
  }
  t.deepEqual([...server.hub.state.connections.keys()].sort(), [sender.id, reader.id].sort());
  t.true(maxPendingOf(server.events) <= CAPACITY);
});

test('connections that keep up are never evicted, however many broadcasts are made', async (t) => {
  const server = await startServer({ sendBuffer: 8, maxMessageBytes: 4096 });
  t.teardown(() => server.stop());
  const sender = await connectRegistered(server);
  const readers = [await connectRegistered(server), await connectRegistered(server)];
  const total = 100; // more than ten times the capacity
  // One at a time, waiting for the echo: nobody ever has more than a message or two pending.
  for (let n = 0; n < total; n += 1) {
    sender.send(numbered(n, 'k'.repeat(3000)));
    await sender.waitForMessages(n + 1);
  }
  for (const client of readers) await client.waitForMessages(total);
  t.false(server.events.some((event) => event.type === 'Overflowed'));
  t.is(server.hub.state.connections.size, 3);
  t.true(server.events.some((event) => event.type === 'Acknowledged'));
  t.true(maxPendingOf(server.events) <= 8);
});

test('a burst of more than sendBuffer short messages does not evict prompt readers', async (t) => {
  const server = await startServer(); // sendBuffer 256
  t.teardown(() => server.stop());
  const sender = await connectRegistered(server);
  const reader = await connectRegistered(server);
  const burst = Array.from({ length: 300 }, (_, i) => `line ${i}`);
  for (const text of burst) sender.send(text);

  await reader.waitForMessages(burst.length);
  await sender.waitForMessages(burst.length);
  t.deepEqual(reader.messages, burst);
  t.deepEqual(sender.messages, burst);
  t.false(server.events.some((event) => event.type === 'Overflowed'));
});
