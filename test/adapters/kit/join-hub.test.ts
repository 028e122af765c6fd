import test from 'ava';
import { ConnectionSweep } from '../../../src/adapters/kit/connection-sweep.ts';
import { joinHub } from '../../../src/adapters/kit/join-hub.ts';
import type { HubService } from '../../../src/app/hub-service.ts';
import type { Hub } from '../../../src/app/ports/transport.port.ts';
import { TOKENS } from '../../../src/app/tokens.ts';
import { createContainer, defaultSettings } from '../../../src/composition-root.ts';
import { RecordingLogger } from '../../support/recording-logger.ts';
import { FakeConnection, fakeSettings } from './support/fake-connection.ts';

const joining = (hub?: Hub) => {
  const real = createContainer(defaultSettings(), {
    logger: new RecordingLogger(),
  }).get<HubService>(TOKENS.HubService);
  /** What the transport logs. */
  const logger = new RecordingLogger();
  const connection = new FakeConnection(fakeSettings({ sendBuffer: 4, highWaterBytes: 64 }), 'ann');
  const sweep = new ConnectionSweep();
  let refusals = 0;
  const join = () =>
    joinHub(hub ?? real, connection, sweep, logger, () => {
      refusals++;
    });
  return { hub: real, connection, sweep, logger, join, refusals: () => refusals };
};

test('a connection that joins is attached to its session and swept', (t) => {
  const { hub, connection, sweep, logger, join, refusals } = joining();
  join();
  t.deepEqual([...hub.state.connections.keys()], [connection.id]);
  t.true(sweep.has(connection));
  t.is(refusals(), 0);
  t.false(connection.socket.destroyed);
  t.deepEqual(logger.lines, []);
});

test('once the hub is shutting down the connection is refused, not swept, not cut', (t) => {
  const { hub, connection, sweep, logger, join, refusals } = joining();
  hub.shutdown();
  join();
  t.is(refusals(), 1);
  t.false(sweep.has(connection));
  t.false(connection.socket.destroyed, 'the refusal tells the client');
  t.deepEqual(logger.lines, []);
});

test('any other failure to join cuts the connection and is logged', (t) => {
  const failing: Hub = {
    isClosed: false,
    publish: () => 'closed',
    connect: () => {
      throw new Error('boom');
    },
  };
  const { connection, sweep, logger, join, refusals } = joining(failing);
  join();
  t.true(connection.socket.destroyed);
  t.is(refusals(), 0);
  t.false(sweep.has(connection));
  t.deepEqual(
    logger.lines.map((line) => [line.level, line.message, line.fields.error]),
    [['error', 'connection could not join the hub', 'Error: boom']],
  );
});

test('a connection that fails to start after joining leaves the hub again', (t) => {
  const { hub, connection, sweep, logger } = joining();
  connection.attach = () => {
    throw new Error('no stream');
  };
  joinHub(hub, connection, sweep, logger, () => t.fail('not a refusal'));
  t.is(hub.state.connections.size, 0);
  t.false(sweep.has(connection));
  t.true(connection.socket.destroyed);
});
