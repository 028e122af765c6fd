import test from 'ava';
import { MEMORY_TOKENS } from '../../src/adapters/memory/memory.module.ts';
import type { MemoryTransport } from '../../src/adapters/memory/memory-transport.adapter.ts';
import type { HubService } from '../../src/app/hub-service.ts';
import { HubClosedError } from '../../src/app/session.ts';
import { TOKENS } from '../../src/app/tokens.ts';
import { createContainer, defaultSettings } from '../../src/composition-root.ts';
import { type HubEvent, replay } from '../../src/domain/index.ts';
import { emptyHub } from '../domain/fixtures.ts';
import { RecordingLogger } from '../support/recording-logger.ts';

const hubWith = (sendBuffer = 4) => {
  const logger = new RecordingLogger();
  const container = createContainer(defaultSettings({ sendBuffer, maxMessageBytes: 8 }), {
    logger,
  });
  const hub = container.get<HubService>(TOKENS.HubService);
  const events: HubEvent[] = [];
  hub.subscribe((event) => events.push(event));
  return {
    hub,
    transport: container.get<MemoryTransport>(MEMORY_TOKENS.MemoryTransport),
    events,
    logger,
  };
};

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('every message reaches every client, the sender included, in order', async (t) => {
  const { transport } = hubWith();
  const [a, b] = [transport.connect(), transport.connect()];
  a.send('one');
  b.send('two');
  await settle();
  for (const client of [a, b]) {
    t.deepEqual(
      client.received.map((m) => [m.seq, m.text]),
      [
        [1, 'one'],
        [2, 'two'],
      ],
    );
  }
});

test('a client only receives what was broadcast after it joined', async (t) => {
  const { transport } = hubWith();
  const early = transport.connect();
  early.send('before');
  const late = transport.connect();
  early.send('after');
  await settle();
  t.deepEqual(
    late.received.map((m) => m.text),
    ['after'],
  );
});

test('a message over the size limit closes only its sender', async (t) => {
  const { transport, events } = hubWith();
  const [loud, quiet] = [transport.connect(), transport.connect()];
  loud.send('123456789');
  quiet.send('ok');
  await settle();
  t.is(loud.closeReason, 'too-large');
  t.is(quiet.closeReason, undefined);
  t.deepEqual(
    quiet.received.map((m) => m.text),
    ['ok'],
  );
  t.true(events.some((e) => e.type === 'Unregistered' && e.reason === 'message_too_large'));
});

test('a stalled client is evicted by the broadcast that finds its buffer full', async (t) => {
  const { transport, events } = hubWith(2);
  const [sender, slow] = [transport.connect(), transport.connect()];
  slow.stall();
  sender.send('1');
  sender.send('2');
  await settle();
  t.is(slow.closeReason, undefined);
  sender.send('3');
  await settle();
  t.is(slow.closeReason, 'send_buffer_full');
  t.deepEqual(
    events.filter((e) => e.type === 'Overflowed').map((e) => e.type === 'Overflowed' && e.pending),
    [2],
  );
  t.deepEqual(
    sender.received.map((m) => m.text),
    ['1', '2', '3'],
  );
});

test('shutdown closes every client and refuses new ones', (t) => {
  const { hub, transport } = hubWith();
  const clients = [transport.connect(), transport.connect()];
  hub.shutdown();
  t.deepEqual(
    clients.map((c) => c.closeReason),
    ['shutdown', 'shutdown'],
  );
  t.is(hub.state.connections.size, 0);
  t.throws(() => transport.connect(), { instanceOf: HubClosedError });
});

test('replaying the events it emitted rebuilds the live state', async (t) => {
  const { hub, transport, events } = hubWith(2);
  const [a, b, c] = [transport.connect(), transport.connect(), transport.connect()];
  c.stall();
  for (const text of ['x', 'y', 'z']) a.send(text);
  b.leave();
  await settle();
  t.deepEqual(replay(emptyHub(2), events), hub.state);
});

test('a failing listener is logged and does not stop the hub', async (t) => {
  const { hub, transport, logger } = hubWith();
  hub.subscribe(() => {
    throw new Error('observer bug');
  });
  const client = transport.connect();
  client.send('works');
  await settle();
  t.deepEqual(
    client.received.map((m) => m.text),
    ['works'],
  );
  t.true(logger.lines.some((line) => line.level === 'error' && line.message.includes('listener')));
});

test('a listener that publishes while an event is applied keeps the log and the hub in step', async (t) => {
  const { hub, transport, events } = hubWith(2);
  hub.subscribe((event) => {
    if (event.type === 'Overflowed') transport.connect().send('bye');
  });
  const [sender, slow] = [transport.connect(), transport.connect()];
  slow.stall();
  for (const text of ['1', '2']) {
    sender.send(text);
    await settle();
  }
  sender.send('3'); // finds slow full: evicted, and the listener announces it mid-publish
  await settle();
  t.is(slow.closeReason, 'send_buffer_full');
  t.deepEqual(
    sender.received.map((m) => [m.seq, m.text]),
    [
      [1, '1'],
      [2, '2'],
      [3, '3'],
      [4, 'bye'],
    ],
  );
  t.deepEqual(replay(emptyHub(2), events), hub.state);
});
