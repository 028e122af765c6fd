import test from 'ava';
import { ConnectionSweep } from '../../../src/adapters/kit/connection-sweep.ts';
import { type JoinRefusal, joinHub } from '../../../src/adapters/kit/join-hub.ts';
import type { Hub, Placement } from '../../../src/app/ports/transport.port.ts';
import type { RoomsHub } from '../../../src/app/rooms/rooms-hub.ts';
import { JoinRefusedError } from '../../../src/app/session.ts';
import { TOKENS } from '../../../src/app/tokens.ts';
import { createContainer, defaultSettings } from '../../../src/composition-root.ts';
import { RecordingLogger } from '../../support/recording-logger.ts';
import { FakeConnection, type FakeSettings, fakeSettings } from './support/fake-connection.ts';

/** A fake connection whose socket can close, as a transport's 'close' handler reports it. */
class ClosingConnection extends FakeConnection {
  hangsUp(): void {
    this.socket.destroy();
    this.onClosed();
  }
}

const LOBBY: Placement = { room: 'lobby', name: 'ann' };

const joining = (hub?: Hub, placement: Placement = LOBBY) => {
  /** What the hub logs (the connection journal). */
  const hubLogger = new RecordingLogger();
  const container = createContainer(defaultSettings(), { logger: hubLogger });
  const rooms = container.get<RoomsHub>(TOKENS.RoomsHub);
  const gateway = container.get<Hub>(TOKENS.Hub);
  /** What the transport logs. */
  const logger = new RecordingLogger();
  const settings: FakeSettings = fakeSettings({ sendBuffer: 4, highWaterBytes: 64 });
  const connection = new ClosingConnection(settings, 'ann');
  const sweep = new ConnectionSweep();
  const refusals: JoinRefusal[] = [];
  const join = () =>
    joinHub(hub ?? gateway, connection, placement, sweep, logger, (why) => {
      refusals.push(why);
    });
  return { hub: rooms, hubLogger, connection, sweep, logger, join, refusals };
};

test('a connection that joins is attached to its session and swept', async (t) => {
  const { hub, connection, sweep, logger, join, refusals } = joining();
  await join();
  t.deepEqual([...hub.state.connections.keys()], [connection.id]);
  t.deepEqual([...(hub.state.rooms.get('lobby')?.members.keys() ?? [])], [connection.id]);
  t.true(sweep.has(connection));
  t.deepEqual(refusals, []);
  t.false(connection.socket.destroyed);
  t.deepEqual(logger.lines, []);
});

test('once the hub is shutting down the connection is refused, not swept, not cut', async (t) => {
  const { hub, connection, sweep, logger, join, refusals } = joining();
  hub.shutdown();
  await join();
  t.deepEqual(refusals, ['shutdown']);
  t.false(sweep.has(connection));
  t.false(connection.socket.destroyed, 'the refusal tells the client');
  t.deepEqual(logger.lines, []);
});

test('a room that refuses the connection: refuse gets its reason; not swept, not cut, not left registered', async (t) => {
  const { hub, connection, sweep, logger, join, refusals } = joining(undefined, {
    room: '-not a room-',
    name: 'ann',
  });
  await join();
  t.deepEqual(refusals, ['bad_room']);
  t.is(hub.state.connections.size, 0);
  t.false(sweep.has(connection));
  t.is(connection.id, undefined, 'never attached');
  t.false(connection.socket.destroyed, 'the refusal tells the client');
  t.deepEqual(logger.lines, []);
});

test("a JoinRefusedError from the hub gives refuse the error's reason", async (t) => {
  const refusing: Hub = {
    isClosed: false,
    storeAvailable: true,
    post: () => Promise.resolve({ kind: 'refused', reason: 'closed' }),
    history: () => Promise.resolve([]),
    connect: () => Promise.reject(new JoinRefusedError('too_many_rooms')),
  };
  const { connection, sweep, logger, join, refusals } = joining(refusing);
  await join();
  t.deepEqual(refusals, ['too_many_rooms']);
  t.false(sweep.has(connection));
  t.false(connection.socket.destroyed);
  t.deepEqual(logger.lines, []);
});

test('any other failure to join cuts the connection and is logged', async (t) => {
  const failing: Hub = {
    isClosed: false,
    storeAvailable: true,
    post: () => Promise.resolve({ kind: 'refused', reason: 'closed' }),
    history: () => Promise.resolve([]),
    connect: () => Promise.reject(new Error('boom')),
  };
  const { connection, sweep, logger, join, refusals } = joining(failing);
  await join();
  t.true(connection.socket.destroyed);
  t.deepEqual(refusals, []);
  t.false(sweep.has(connection));
  t.deepEqual(
    logger.lines.map((line) => [line.level, line.message, line.fields.error]),
    [['error', 'connection could not join the hub', 'Error: boom']],
  );
});

test('a connection that fails to start after joining leaves the hub again', async (t) => {
  const { hub, connection, sweep, logger, join, refusals } = joining();
  connection.attach = () => {
    throw new Error('no stream');
  };
  await join();
  t.deepEqual(refusals, []);
  t.is(hub.state.connections.size, 0);
  t.false(sweep.has(connection));
  t.true(connection.socket.destroyed);
  t.like(logger.lines, [
    {
      level: 'error',
      message: 'connection could not join the hub',
      fields: { error: 'Error: no stream' },
    },
  ]);
});

test('a connection whose socket closed while it was joining leaves at once, never attached nor swept', async (t) => {
  const { hub, hubLogger, connection, sweep, logger, join, refusals } = joining();
  const joined = join();
  // The hub has registered it and waits for the engine's answer to the join.
  t.is(hub.state.connections.size, 1);
  connection.hangsUp();
  await joined;
  t.is(hub.state.connections.size, 0);
  t.false(hub.state.rooms.has('lobby'));
  t.false(sweep.has(connection));
  t.is(connection.id, undefined, 'never attached');
  t.deepEqual(refusals, []);
  t.deepEqual(logger.lines, []);
  t.like(
    hubLogger.lines.find((line) => line.message === 'connection closed'),
    { fields: { reason: 'left', detail: 'closed while joining' } },
  );
});

test('a connection whose socket closed while it was joining is not refused when the hub shuts down meanwhile', async (t) => {
  const { hub, connection, sweep, logger, join, refusals } = joining();
  const joined = join();
  connection.hangsUp();
  hub.shutdown();
  await joined;
  t.deepEqual(refusals, [], 'no one to tell');
  t.is(hub.state.connections.size, 0);
  t.false(sweep.has(connection));
  t.deepEqual(logger.lines, []);
});
