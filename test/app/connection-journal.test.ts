import test from 'ava';
import { MEMORY_TOKENS } from '../../src/adapters/memory/memory.module.ts';
import type { MemoryTransport } from '../../src/adapters/memory/memory-transport.adapter.ts';
import { PROMETHEUS_TOKENS } from '../../src/adapters/prometheus/prometheus.module.ts';
import type { PrometheusMetrics } from '../../src/adapters/prometheus/prometheus-metrics.adapter.ts';
import type { HubService } from '../../src/app/hub-service.ts';
import { TOKENS } from '../../src/app/tokens.ts';
import { createContainer, defaultSettings } from '../../src/composition-root.ts';
import { RecordingLogger } from '../support/recording-logger.ts';

/** A hub on the memory transport with a clock the test moves by hand. */
const hubAt = () => {
  const logger = new RecordingLogger();
  const clock = { time: 1_000, now: () => clock.time };
  const container = createContainer(defaultSettings({ sendBuffer: 2 }), { logger, clock });
  return {
    logger,
    clock,
    hub: container.get<HubService>(TOKENS.HubService),
    transport: container.get<MemoryTransport>(MEMORY_TOKENS.MemoryTransport),
    metrics: container.get<PrometheusMetrics>(PROMETHEUS_TOKENS.PrometheusMetrics),
  };
};

const linesOf = (logger: RecordingLogger, message: string) =>
  logger.lines.filter((line) => line.message === message).map((line) => line.fields);

test('each connection is logged once when it opens and once when it closes, with how long it stayed', (t) => {
  const { logger, clock, transport } = hubAt();
  const client = transport.connect();
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
  const slow = transport.connect();
  const sender = transport.connect();
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
  const client = transport.connect();
  for (const text of ['a', 'b', 'c']) client.send(text);
  const { body } = await metrics.render();
  t.regex(body, /hubbub_broadcast_fanout_seconds_count 3\n/);
});

test('a shutdown closes every connection with reason shutdown, each logged once', (t) => {
  const { logger, hub, transport } = hubAt();
  const clients = [transport.connect(), transport.connect()];
  hub.shutdown();
  t.deepEqual(
    linesOf(logger, 'connection closed').map((fields) => [fields.connection, fields.reason]),
    clients.map((client) => [client.id, 'shutdown']),
  );
});

test('leaving never throws into the transport, even when recording the departure fails', (t) => {
  const logger = new RecordingLogger();
  const info = logger.info.bind(logger);
  logger.info = (message, fields) => {
    if (message === 'connection closed') throw new Error('log sink broken');
    info(message, fields);
  };
  const container = createContainer(defaultSettings(), { logger });
  const client = container.get<MemoryTransport>(MEMORY_TOKENS.MemoryTransport).connect();
  t.notThrows(() => client.leave());
  t.like(
    logger.lines.find((line) => line.message === 'leaving the hub failed'),
    { level: 'error', fields: { connection: client.id, error: 'Error: log sink broken' } },
  );
  t.is(container.get<HubService>(TOKENS.HubService).state.connections.size, 0);
});
