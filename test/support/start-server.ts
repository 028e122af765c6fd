import type { Container } from 'inversify';
import { MetricsListener } from '../../src/adapters/prometheus/metrics-listener.adapter.ts';
import type { TcpTransport } from '../../src/adapters/tcp/tcp-transport.adapter.ts';
import type { HubbubServer } from '../../src/app/hubbub-server.ts';
import type { Engine } from '../../src/app/ports/engine.port.ts';
import type { Transport } from '../../src/app/ports/transport.port.ts';
import type { RoomsHub } from '../../src/app/rooms/rooms-hub.ts';
import { TOKENS } from '../../src/app/tokens.ts';
import {
  createContainer,
  defaultSettings,
  type Overrides,
  type Settings,
} from '../../src/composition-root.ts';
import type { RoomsEvent } from '../../src/domain/rooms/index.ts';
import { RecordingLogger } from './recording-logger.ts';

type RoomBroadcast = Extract<RoomsEvent, { type: 'Broadcast' }>;

/** A hub event as tests see it: a broadcast with its message's text and sender's name. */
export type RecordedEvent =
  | Exclude<RoomsEvent, RoomBroadcast>
  | (RoomBroadcast & Readonly<{ text: string; from: string }>);

/** Every event of `hub` from now on, in order, each broadcast with its text and sender. */
export const recordEvents = (hub: RoomsHub): RecordedEvent[] => {
  const events: RecordedEvent[] = [];
  hub.subscribe((event) => {
    if (event.type !== 'Broadcast') {
      events.push(event);
      return;
    }
    // The room's feed holds the message by the time the core broadcasts it.
    const message = hub.feedOf(event.room)?.get(event.seq);
    events.push({ ...event, text: message?.text ?? '', from: message?.from ?? '' });
  });
  return events;
};

export type RunningServer = Readonly<{
  port: number;
  /** http://127.0.0.1:PORT */
  httpUrl: string;
  /** ws://127.0.0.1:PORT/ws */
  wsUrl: string;
  /** The TCP line protocol's port, when `tcpPort` was set (0 picks a free one). */
  tcpPort: number | undefined;
  /** http://127.0.0.1:PORT/metrics, the metrics listener's; `undefined` when it is off. */
  metricsUrl: string | undefined;
  hub: RoomsHub;
  logger: RecordingLogger;
  /** Every hub event so far, in order. */
  events: RecordedEvent[];
  /** Publishes `text` to `room` (default `lobby`) as the user `test`, as `POST /send` would. */
  publish: (text: string, room?: string) => void;
  /** The latest seq of `room` (default `lobby`), 0 when it has none. */
  latestSeq: (room?: string) => Promise<number>;
  /** The composition, for looking at a service from outside (e.g. `KIT_TOKENS.Admission`). */
  container: Container;
  stop: () => Promise<void>;
}>;

/** Any setting, the core's or an adapter's (`tcpPort` turns the TCP transport on). */
export type ServerOverrides = Partial<Settings>;

/**
 * The real server, in process, on ephemeral loopback ports (the chat's and the metrics
 * listener's: tests run many servers at once, and a fixed port would collide), with a
 * recording logger; `outside.clock` replaces the system clock, `outside.engine` the engine.
 */
export const startServer = async (
  overrides: ServerOverrides = {},
  outside: Pick<Overrides, 'clock'> & Readonly<{ engine?: Engine }> = {},
): Promise<RunningServer> => {
  // Tests send bursts far faster than a person types, all from 127.0.0.1: no rate limit unless
  // a test asks for one.
  const config = defaultSettings({
    host: '127.0.0.1',
    port: 0,
    metricsPort: 0,
    rateLimit: 0,
    rateLimitPerIp: 0,
    ...overrides,
  });
  const logger = new RecordingLogger();
  const container = createContainer(config, { ...outside, logger });
  if (outside.engine) container.rebind(TOKENS.Engine).toConstantValue(outside.engine);
  const server = container.get<HubbubServer>(TOKENS.HubbubServer);
  const events = recordEvents(server.hub);
  const { port } = await server.start();
  const transports = container.getAll<Transport>(TOKENS.Transport);
  const tcp = transports.find((transport): transport is TcpTransport => transport.name === 'tcp');
  const metricsPort = transports.find((transport) => transport instanceof MetricsListener)?.port;
  return {
    port,
    httpUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    tcpPort: tcp?.port,
    metricsUrl: metricsPort === undefined ? undefined : `http://127.0.0.1:${metricsPort}/metrics`,
    hub: server.hub,
    logger,
    events,
    publish: (text, room = 'lobby') => {
      void server.hub.post(room, 'test', text);
    },
    latestSeq: async (room = 'lobby') => (await server.hub.history(room, 1)).at(-1)?.seq ?? 0,
    container,
    stop: () => server.stop(),
  };
};
