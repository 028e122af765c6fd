import test from 'ava';
import { MEMORY_TOKENS } from '../../src/adapters/memory/memory.module.ts';
import type { MemoryTransport } from '../../src/adapters/memory/memory-transport.adapter.ts';
import { PROMETHEUS_TOKENS } from '../../src/adapters/prometheus/prometheus.module.ts';
import type { PrometheusMetrics } from '../../src/adapters/prometheus/prometheus-metrics.adapter.ts';
import { ConnectionJournal, closedReason } from '../../src/app/connection-journal.ts';
import type { RoomsHub } from '../../src/app/rooms/rooms-hub.ts';
import { TOKENS } from '../../src/app/tokens.ts';
import { createContainer, defaultSettings } from '../../src/composition-root.ts';
import type { DepartureReason, Unregistered } from '../../src/domain/index.ts';
import { RecordingLogger } from '../support/recording-logger.ts';
import { RecordingMetrics } from '../support/recording-metrics.ts';

/** The rooms hub on the memory transport with a clock the test moves by hand. */
const hubAt = () => {
  const logger = new RecordingLogger();
  const clock = { time: 1_000, now: () => clock.time };
  const container = createContainer(defaultSettings({ sendBuffer: 2 }), { logger, clock });
  return {
    logger,
    clock,
    hub: container.get<RoomsHub>(TOKENS.RoomsHub),
    transport: container.get<MemoryTransport>(MEMORY_TOKENS.MemoryTransport),
    metrics: container.get<PrometheusMetrics>(PROMETHEUS_TOKENS.PrometheusMetrics),
  };
};

const linesOf = (logger: RecordingLogger, message: string) =>
  logger.lines.filter((line) => line.message === message).map((line) => line.fields);

test('each connection is logged once when it opens and once when it closes, with how long it stayed', async (t) => {
  const { logger, clock, transport } = hubAt();
  const client = await transport.connect();
  clock.time += 2_500;
  client.leave();
  t.deepEqual(linesOf(logger, 'connection opened'), [
    { connection: client.id, transport: 'memory', remote: 'in-process' },
  ]);
  t.deepEqual(linesOf(logger, 'connection closed'), [
    {
      connection: client.id,
      transport: 'memory',
      remote: 'in-process',
      reason: 'left',
      durationMs: 2_500,
    },
  ]);
  t.deepEqual(linesOf(logger, 'connection evicted'), []);
});

test('an eviction is one warning with its reason, counted by reason, and no second close line', async (t) => {
  const { logger, transport, metrics } = hubAt();
  const slow = await transport.connect();
  const sender = await transport.connect();
  slow.stall();
  for (const text of ['1', '2', '3']) {
    sender.send(text);
    await new Promise((resolve) => setImmediate(resolve)); // the sender keeps up
  }
  t.is(slow.closeReason, 'send_buffer_full');
  t.is(sender.closeReason, undefined);
  const evicted = logger.lines.filter((line) => line.message === 'connection evicted');
  t.is(evicted.length, 1);
  t.like(evicted[0], {
    level: 'warn',
    fields: { connection: slow.id, reason: 'overflowed', eviction: 'send_buffer_full' },
  });
  t.deepEqual(linesOf(logger, 'connection closed'), []);
  const { body } = await metrics.render();
  t.regex(body, /hubbub_evictions_total\{transport="memory",reason="send_buffer_full"\} 1\n/);
  t.regex(body, /hubbub_connections\{transport="memory"\} 1\n/);
  t.regex(body, /hubbub_connections_closed_total\{transport="memory",reason="overflowed"\} 1\n/);
});

test('every broadcast is timed once in the fan-out histogram', async (t) => {
  const { transport, metrics } = hubAt();
  const client = await transport.connect();
  for (const text of ['a', 'b', 'c']) client.send(text);
  const { body } = await metrics.render();
  t.regex(body, /hubbub_broadcast_fanout_seconds_count 3\n/);
});

test('a shutdown closes every connection with reason shutdown, each logged once', async (t) => {
  const { logger, hub, transport } = hubAt();
  const clients = [await transport.connect(), await transport.connect()];
  hub.shutdown();
  t.deepEqual(
    linesOf(logger, 'connection closed').map((fields) => [fields.connection, fields.reason]),
    clients.map((client) => [client.id, 'shutdown']),
  );
});

test('leaving never throws into the transport, even when recording the departure fails', async (t) => {
  const logger = new RecordingLogger();
  const info = logger.info.bind(logger);
  logger.info = (message, fields) => {
    if (message === 'connection closed') throw new Error('log sink broken');
    info(message, fields);
  };
  const container = createContainer(defaultSettings(), { logger });
  const client = await container.get<MemoryTransport>(MEMORY_TOKENS.MemoryTransport).connect();
  t.notThrows(() => client.leave());
  t.like(
    logger.lines.find((line) => line.message === 'leaving the hub failed'),
    { level: 'error', fields: { connection: client.id, error: 'Error: log sink broken' } },
  );
  t.is(container.get<RoomsHub>(TOKENS.RoomsHub).state.connections.size, 0);
});

// The journal on its own, with a recording Metrics port.
const journal = () => {
  const logger = new RecordingLogger();
  const metrics = new RecordingMetrics();
  return { logger, metrics, journal: new ConnectionJournal(logger, metrics) };
};
const peer = { transport: 'tcp', remote: '203.0.113.7:5000', wake: () => {}, close: () => {} };
const departure = (reason: DepartureReason, at: number, detail?: string): Unregistered => ({
  type: 'Unregistered',
  connectionId: 'c7',
  reason,
  at,
  ...(detail === undefined ? {} : { detail }),
});

const CLOSED_REASONS: [DepartureReason, ReturnType<typeof closedReason>][] = [
  ['left', 'left'],
  ['dropped', 'dropped'],
  ['shutdown', 'shutdown'],
  ['send_buffer_full', 'overflowed'],
  ['pong_timeout', 'dropped'],
  ['write_timeout', 'dropped'],
  ['rate_limited', 'dropped'],
  ['message_too_large', 'dropped'],
  ['invalid_message', 'dropped'],
  ['protocol_error', 'dropped'],
];
for (const [reason, closed] of CLOSED_REASONS) {
  test(`closedReason: a departure for ${reason} is counted and logged as ${closed}`, (t) => {
    t.is(closedReason(reason), closed);
  });
}

test('an opening is counted for its transport and logged with who is at the other end', (t) => {
  const { logger, metrics, journal: j } = journal();
  j.opened('c7', peer);
  t.deepEqual(metrics.calls, [['connectionOpened', 'tcp']]);
  t.deepEqual(logger.lines, [
    {
      level: 'info',
      message: 'connection opened',
      fields: { connection: 'c7', transport: 'tcp', remote: '203.0.113.7:5000' },
    },
  ]);
});

test('a departure is counted with its reason and how long the connection stayed, in seconds', (t) => {
  const { logger, metrics, journal: j } = journal();
  j.closed(peer, departure('dropped', 4_500, 'socket hang up'), 2_000);
  t.deepEqual(metrics.calls, [['connectionClosed', 'tcp', 'dropped', 2.5]]);
  t.deepEqual(logger.lines, [
    {
      level: 'info',
      message: 'connection closed',
      fields: {
        connection: 'c7',
        transport: 'tcp',
        remote: '203.0.113.7:5000',
        reason: 'dropped',
        detail: 'socket hang up',
        durationMs: 2_500,
      },
    },
  ]);
});

test('a clock that stepped back gives a stay of 0, never a negative one', (t) => {
  const { logger, metrics, journal: j } = journal();
  j.closed(peer, departure('left', 1_000), 3_000);
  t.deepEqual(metrics.calls, [['connectionClosed', 'tcp', 'left', 0]]);
  t.like(logger.lines[0], { fields: { durationMs: 0 } });
});

test('an eviction is counted as one, and its warning has the eviction reason and its detail', (t) => {
  const { logger, metrics, journal: j } = journal();
  j.closed(peer, departure('invalid_message', 1_250, 'not JSON'), 1_000);
  t.deepEqual(metrics.calls, [
    ['connectionClosed', 'tcp', 'dropped', 0.25],
    ['evicted', 'tcp', 'invalid_message'],
  ]);
  t.deepEqual(logger.lines, [
    {
      level: 'warn',
      message: 'connection evicted',
      fields: {
        connection: 'c7',
        transport: 'tcp',
        remote: '203.0.113.7:5000',
        reason: 'dropped',
        eviction: 'invalid_message',
        detail: 'not JSON',
        durationMs: 250,
      },
    },
  ]);
});
