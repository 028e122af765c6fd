import test from 'ava';
import { HubbubServer } from '../../src/app/hubbub-server.ts';
import type { Engine } from '../../src/app/ports/engine.port.ts';
import type { Transport } from '../../src/app/ports/transport.port.ts';
import type { WebServer } from '../../src/app/ports/web-server.port.ts';
import type { RoomsHub } from '../../src/app/rooms/rooms-hub.ts';
import { TOKENS } from '../../src/app/tokens.ts';
import { createContainer, defaultSettings } from '../../src/composition-root.ts';
import { RecordingLogger } from '../support/recording-logger.ts';

/** A web server and two transports that write down what is asked of them, in order. */
const serverWithFakes = () => {
  const logger = new RecordingLogger();
  const container = createContainer(defaultSettings(), { logger });
  const hub = container.get<RoomsHub>(TOKENS.RoomsHub);
  const calls: string[] = [];
  const step = (name: string) => async (): Promise<void> => {
    calls.push(`${name} begins`);
    await new Promise((resolve) => setImmediate(resolve));
    calls.push(`${name} ends`);
  };
  const web: WebServer = {
    listen: async () => {
      await step('listen')();
      return { host: '127.0.0.1', port: 4321 };
    },
    close: step('close'),
  };
  const transport = (name: string): Transport => ({
    name,
    start: step(`${name}.start`),
    stop: () => {
      calls.push(`${name}.stop finds ${hub.state.connections.size} connections`);
      return step(`${name}.stop`)();
    },
  });
  const real = container.get<Engine>(TOKENS.Engine);
  const engine: Engine = Object.assign(Object.create(real), {
    open: step('engine.open'),
    close: step('engine.close'),
  });
  const server = new HubbubServer(web, [transport('a'), transport('b')], hub, engine, logger);
  return { server, hub, calls, logger };
};

test('start opens the engine, starts each transport in turn, then listens, and resolves with the address', async (t) => {
  const { server, calls } = serverWithFakes();
  t.deepEqual(await server.start(), { host: '127.0.0.1', port: 4321 });
  t.deepEqual(calls, [
    'engine.open begins',
    'engine.open ends',
    'a.start begins',
    'a.start ends',
    'b.start begins',
    'b.start ends',
    'listen begins',
    'listen ends',
  ]);
});

test('stop closes the listener, shuts the hub down before it stops the transports, waits for all, closes the engine and logs how many connections it closed', async (t) => {
  const { server, hub, calls, logger } = serverWithFakes();
  const peer = {
    transport: 'fake',
    remote: 'here',
    showsPresence: false,
    joined: () => {},
    wake: () => {},
    presence: () => {},
    renumbered: () => {},
    close: () => {},
  };
  hub.connect(peer, 'ann');
  hub.connect(peer, 'bob');
  await server.stop();
  t.true(hub.isClosed);
  t.is(hub.state.connections.size, 0);
  t.deepEqual(calls.slice(0, 5), [
    'close begins',
    'a.stop finds 0 connections',
    'a.stop begins',
    'b.stop finds 0 connections',
    'b.stop begins',
  ]);
  t.deepEqual(calls.slice(5, 8).toSorted(), ['a.stop ends', 'b.stop ends', 'close ends']);
  t.deepEqual(calls.slice(8), ['engine.close begins', 'engine.close ends'], 'the engine goes last');
  t.deepEqual(logger.lines.at(-1), {
    level: 'info',
    message: 'hubbub stopped',
    fields: { connectionsClosed: 2 },
  });
});

test('stop twice stops once: the second call returns the same promise', async (t) => {
  const { server, calls } = serverWithFakes();
  const first = server.stop();
  t.is(server.stop(), first);
  await first;
  t.is(calls.filter((call) => call === 'close begins').length, 1);
});
