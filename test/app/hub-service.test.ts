import test from 'ava';
import { MEMORY_TOKENS } from '../../src/adapters/memory/memory.module.ts';
import type { MemoryTransport } from '../../src/adapters/memory/memory-transport.adapter.ts';
import type { HubService } from '../../src/app/hub-service.ts';
import type { Peer } from '../../src/app/ports/transport.port.ts';
import { HubClosedError } from '../../src/app/session.ts';
import { TOKENS } from '../../src/app/tokens.ts';
import { createContainer, defaultSettings } from '../../src/composition-root.ts';
import { type HubEvent, replay } from '../../src/domain/index.ts';
import { emptyHub } from '../domain/fixtures.ts';
import { RecordingLogger } from '../support/recording-logger.ts';
import { RecordingMetrics } from '../support/recording-metrics.ts';

const hubWith = (sendBuffer = 4) => {
  const logger = new RecordingLogger();
  const container = createContainer(defaultSettings({ sendBuffer, maxMessageBytes: 8 }), {
    logger,
    clock: { now: () => 1_000 },
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
  t.like(
    logger.lines.find((line) => line.level === 'error'),
    {
      message: 'hub listener failed',
      fields: { event: 'Registered', error: 'Error: observer bug' },
    },
  );
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

/** A peer that writes down what the hub asks of it. */
const recordingPeer = () => {
  const calls: unknown[][] = [];
  const peer: Peer = {
    transport: 'fake',
    remote: 'test',
    wake: (head) => calls.push(['wake', head]),
    close: (reason, detail) => calls.push(['close', reason, detail]),
  };
  return { peer, calls };
};

test('connections are named c1, c2, c3, ... in the order they connect', (t) => {
  const { transport } = hubWith();
  t.deepEqual(
    [transport.connect(), transport.connect(), transport.connect()].map((client) => client.id),
    ['c1', 'c2', 'c3'],
  );
});

test('the hub is open until shutdown; then a connection is refused with a HubClosedError saying so', (t) => {
  const { hub, transport } = hubWith();
  t.false(hub.isClosed);
  hub.shutdown();
  t.true(hub.isClosed);
  const error = t.throws(() => transport.connect(), {
    instanceOf: HubClosedError,
    message: 'the hub is shutting down',
  });
  t.is(error?.name, 'HubClosedError');
});

test('a message the hub publishes itself reaches every client, from no one', async (t) => {
  const { hub, transport, events } = hubWith();
  const [a, b] = [transport.connect(), transport.connect()];
  t.is(hub.publish('notice'), 'published');
  await settle();
  for (const client of [a, b]) {
    t.deepEqual(
      client.received.map(({ seq, text, from }) => ({ seq, text, from })),
      [{ seq: 1, text: 'notice', from: undefined }],
    );
    t.false('from' in (client.received[0] ?? {}));
  }
  const broadcast = events.find((event) => event.type === 'Broadcast');
  t.like(broadcast, { seq: 1, text: 'notice' });
  t.false('from' in (broadcast ?? {}));
});

test('a message from a client names its sender, to every reader and in its Broadcast', async (t) => {
  const { transport, events } = hubWith();
  const [a, b] = [transport.connect(), transport.connect()];
  a.send('hi');
  await settle();
  for (const client of [a, b]) t.like(client.received, [{ seq: 1, text: 'hi', from: a.id }]);
  t.like(
    events.find((event) => event.type === 'Broadcast'),
    { seq: 1, text: 'hi', from: a.id },
  );
});

test('the hub publishes nothing once it is shutting down', (t) => {
  const { hub, events } = hubWith();
  hub.shutdown();
  t.is(hub.publish('late'), 'closed');
  t.deepEqual(events, []);
});

test('the size limit counts UTF-8 bytes: a message of exactly the limit is published, one byte more is not', (t) => {
  const { hub, events } = hubWith(); // maxMessageBytes: 8
  t.is(hub.publish('12345678'), 'published');
  t.is(hub.publish('éééé'), 'published');
  t.is(hub.publish('123456789'), 'too-large');
  t.is(hub.publish('éééé!'), 'too-large');
  t.is(hub.publish('ééé'), 'published');
  t.deepEqual(
    events.map((event) => event.type === 'Broadcast' && event.text),
    ['12345678', 'éééé', 'ééé'],
  );
});

test('an unsubscribed listener hears nothing more', (t) => {
  const { hub } = hubWith();
  const heard: string[] = [];
  const unsubscribe = hub.subscribe((event) => heard.push(event.type));
  hub.publish('one');
  unsubscribe();
  hub.publish('two');
  t.deepEqual(heard, ['Broadcast']);
});

test('a session knows where it joined, the head, and whether it is still open', (t) => {
  const { hub } = hubWith();
  hub.publish('before');
  const { peer } = recordingPeer();
  const session = hub.connect(peer);
  t.is(session.joinedAfter, 1);
  hub.publish('after');
  t.is(session.head, 2);
  t.true(session.isOpen);
  session.leave('left');
  t.false(session.isOpen);
});

test('a session that has left can publish no more', (t) => {
  const { hub, events } = hubWith();
  const session = hub.connect(recordingPeer().peer);
  session.leave('left');
  t.is(session.publish('late'), 'closed');
  t.false(events.some((event) => event.type === 'Broadcast'));
});

test('a session reads at most max messages after the position it gives, oldest first', (t) => {
  const { hub } = hubWith();
  const session = hub.connect(recordingPeer().peer);
  for (const text of ['a', 'b', 'c']) t.is(session.publish(text), 'published');
  t.deepEqual(
    session.read(0, 2).map((message) => message.text),
    ['a', 'b'],
  );
  t.deepEqual(
    session.read(1, 10).map((message) => message.text),
    ['b', 'c'],
  );
  t.deepEqual(session.read(3, 10), []);
});

test('a read during the evictions of a publish sees nothing past the head: that message is not out yet', (t) => {
  const { hub } = hubWith(1);
  const reader = hub.connect(recordingPeer().peer);
  hub.connect(recordingPeer().peer); // will be full, and evicted by the next publish
  hub.publish('one');
  reader.acknowledge(1);
  const seen: string[][] = [];
  hub.subscribe((event) => {
    if (event.type === 'Overflowed') seen.push(reader.read(1, 10).map((message) => message.text));
  });
  hub.publish('two'); // appended to the log before the hub decides; broadcast after the eviction
  t.deepEqual(seen, [[]]);
  t.deepEqual(
    reader.read(1, 10).map((message) => message.text),
    ['two'],
  );
});

test('a listener that publishes and then calls into the hub again has its message published after the current one', async (t) => {
  const { hub, transport, logger } = hubWith(2);
  const [sender, slow] = [transport.connect(), transport.connect()];
  slow.stall();
  let reacted = false;
  hub.subscribe((event) => {
    if (event.type !== 'Overflowed' || reacted) return;
    reacted = true;
    hub.publish('bye'); // waits for the publish that is under way
    transport.connect(); // a command of its own, inside that publish
  });
  for (const text of ['one', 'two']) hub.publish(text);
  await settle(); // the sender reads and acknowledges them; slow does not
  hub.publish('three'); // slow is full: evicted, and the listener reacts
  await settle();
  t.deepEqual(
    logger.lines.filter((line) => line.level === 'error'),
    [],
  );
  t.is(slow.closeReason, 'send_buffer_full');
  t.deepEqual(
    sender.received.map((message) => [message.seq, message.text]),
    [
      [1, 'one'],
      [2, 'two'],
      [3, 'three'],
      [4, 'bye'],
    ],
  );
});

test('a connection removed while another leaves is logged with its own transport and address', (t) => {
  const { hub, logger } = hubWith();
  const leaving = hub.connect({
    ...recordingPeer().peer,
    transport: 'tcp',
    remote: '198.51.100.1:1',
  });
  const staying = hub.connect({
    ...recordingPeer().peer,
    transport: 'sse',
    remote: '198.51.100.2:2',
  });
  hub.subscribe((event) => {
    if (event.type === 'Unregistered' && event.connectionId === leaving.id) hub.shutdown();
  });
  leaving.leave('left');
  t.deepEqual(
    logger.lines
      .filter((line) => line.message === 'connection closed')
      .map(({ fields }) => [fields.connection, fields.transport, fields.remote, fields.reason]),
    [
      [leaving.id, 'tcp', '198.51.100.1:1', 'left'],
      [staying.id, 'sse', '198.51.100.2:2', 'shutdown'],
    ],
  );
});

test('the hub wakes every peer with the new head when it broadcasts, and closes the ones it removes', (t) => {
  const { hub } = hubWith(1);
  const [fast, slow] = [recordingPeer(), recordingPeer()];
  const session = hub.connect(fast.peer);
  hub.connect(slow.peer);
  hub.publish('one');
  session.acknowledge(1);
  hub.publish('two'); // slow has one pending at capacity 1: evicted before this broadcast
  hub.shutdown();
  t.deepEqual(fast.calls, [
    ['wake', 1],
    ['wake', 2],
    ['close', 'shutdown', undefined],
  ]);
  t.deepEqual(slow.calls, [
    ['wake', 1],
    ['close', 'send_buffer_full', undefined],
  ]);
});

test("a transport's own departure passes its reason and detail on, and the hub does not close the peer again", (t) => {
  const { hub, events, logger } = hubWith();
  const { peer, calls } = recordingPeer();
  const session = hub.connect(peer);
  session.leave('invalid_message', 'not JSON');
  session.leave('left');
  t.like(
    events.filter((event) => event.type === 'Unregistered'),
    [{ reason: 'invalid_message', detail: 'not JSON' }],
  );
  t.deepEqual(calls, []);
  t.deepEqual(
    logger.lines.filter((line) => line.level !== 'info'),
    [
      {
        level: 'warn',
        message: 'connection evicted',
        fields: {
          connection: session.id,
          transport: 'fake',
          remote: 'test',
          reason: 'dropped',
          eviction: 'invalid_message',
          detail: 'not JSON',
          durationMs: 0,
        },
      },
    ],
  );
});

test('a listener may publish in reply to every broadcast, thousands deep, without growing the stack', (t) => {
  const { hub } = hubWith();
  const replies = 20_000;
  hub.subscribe((event) => {
    if (event.type !== 'Broadcast') return;
    if (event.text === 'again') hub.publish('bye');
    else if (event.seq < replies) hub.publish('re');
  });
  t.is(hub.publish('start'), 'published');
  t.is(hub.state.head, replies);
  t.is(hub.publish('again'), 'published'); // replies still go out after the long chain
  t.is(hub.state.head, replies + 2);
});

test("a broadcast's fan-out, from the first wake-up to the last, is recorded once, in seconds", (t) => {
  const metrics = new RecordingMetrics();
  const container = createContainer(defaultSettings(), { logger: new RecordingLogger() });
  container.rebind(TOKENS.Metrics).toConstantValue(metrics);
  const hub = container.get<HubService>(TOKENS.HubService);
  hub.connect(recordingPeer().peer);
  const realNow = performance.now;
  let ms = 1_000;
  performance.now = () => (ms += 250); // each reading of the clock is 250 ms after the last
  try {
    hub.publish('timed');
  } finally {
    performance.now = realNow;
  }
  t.deepEqual(
    metrics.calls.filter(([method]) => method === 'fanOut'),
    [['fanOut', 0.25]],
  );
});
