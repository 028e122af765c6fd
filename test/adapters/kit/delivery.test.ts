import { setTimeout as sleep } from 'node:timers/promises';
import test from 'ava';
import type { Hub } from '../../../src/app/ports/transport.port.ts';
import type { RoomsHub } from '../../../src/app/rooms/rooms-hub.ts';
import { TOKENS } from '../../../src/app/tokens.ts';
import { createContainer, defaultSettings } from '../../../src/composition-root.ts';
import { RecordingLogger } from '../../support/recording-logger.ts';
import { FakeConnection, fakeSettings, linesOf } from './support/fake-connection.ts';

const WRITE_TIMEOUT_MS = 1_000;

/**
 * A hub and one fake connection in `lobby` (send buffer 8: a broadcast alone waits for the
 * window). `publish` posts to the room as no connection does: with the memory engine the message
 * is stored and broadcast within the call.
 */
const connected = async (
  sizes: { sendBuffer: number; highWaterBytes: number } = { sendBuffer: 8, highWaterBytes: 1_024 },
) => {
  const logger = new RecordingLogger();
  const container = createContainer(defaultSettings({ sendBuffer: sizes.sendBuffer }), { logger });
  const hub = container.get<RoomsHub>(TOKENS.RoomsHub);
  const gateway = container.get<Hub>(TOKENS.Hub);
  const settings = fakeSettings({ ...sizes, writeTimeoutMs: WRITE_TIMEOUT_MS, logger });
  const connection = new FakeConnection(settings, 'ann');
  connection.attach(await gateway.connect(connection, { room: 'lobby', name: 'ann' }));
  const publish = (text: string): void => {
    void hub.post('lobby', 'test', text);
  };
  /** One broadcast, written at once: the window closes. */
  const deliver = (text: string): void => {
    publish(text);
    settings.batch.close();
  };
  return { hub, publish, settings, connection, deliver, logger };
};

/** The clock `Delivery` reads. */
const clock = (): number => Math.floor(performance.now());

/** Waits until that clock has moved past `at`. */
const clockPast = async (at: number): Promise<void> => {
  while (clock() <= at) await sleep(1);
};

test('with no write in flight a connection is never stalled, however long it has been', async (t) => {
  const { connection, publish } = await connected();
  t.false(connection.writeStalled(clock() + 100 * WRITE_TIMEOUT_MS));
  publish('waits for the window');
  t.is(connection.socket.pendingWrites, 0);
  t.false(connection.writeStalled(clock() + 100 * WRITE_TIMEOUT_MS), 'not yet written');
});

test('a write in flight with no completion for writeTimeoutMs is stalled', async (t) => {
  const { connection, deliver } = await connected();
  const before = clock();
  deliver('hello');
  const after = clock();
  t.is(connection.socket.pendingWrites, 1);
  t.false(connection.writeStalled(before + WRITE_TIMEOUT_MS - 1));
  t.true(connection.writeStalled(after + WRITE_TIMEOUT_MS));
});

test('once its writes complete a connection is no longer stalled', async (t) => {
  const { connection, deliver } = await connected();
  deliver('hello');
  t.true(connection.writeStalled(clock() + WRITE_TIMEOUT_MS));
  connection.socket.complete();
  t.false(connection.writeStalled(clock() + 100 * WRITE_TIMEOUT_MS));
});

test('a completion with writes still in flight is progress: the deadline starts again', async (t) => {
  const { connection, deliver } = await connected();
  deliver('one');
  const firstWriteBy = clock();
  deliver('two');
  t.is(connection.socket.pendingWrites, 2);
  await clockPast(firstWriteBy);
  const before = clock();
  connection.socket.complete(1);
  const after = clock();
  t.false(connection.writeStalled(before + WRITE_TIMEOUT_MS - 1));
  t.true(connection.writeStalled(after + WRITE_TIMEOUT_MS));
});

test('another write while one is in flight does not put the deadline off', async (t) => {
  const { connection, deliver } = await connected();
  deliver('one');
  const firstWriteBy = clock();
  await clockPast(firstWriteBy);
  deliver('two');
  connection.keepalive();
  t.true(connection.writeStalled(firstWriteBy + WRITE_TIMEOUT_MS));
});

test('a failed write is no longer in flight', async (t) => {
  const { connection, deliver } = await connected();
  deliver('hello');
  connection.socket.destroy();
  connection.socket.complete();
  t.false(connection.writeStalled(clock() + 100 * WRITE_TIMEOUT_MS));
});

test("a transport's own write (a keepalive) counts for the write deadline", async (t) => {
  const { connection } = await connected();
  const before = clock();
  connection.keepalive();
  const after = clock();
  t.false(connection.writeStalled(before + WRITE_TIMEOUT_MS - 1));
  t.true(connection.writeStalled(after + WRITE_TIMEOUT_MS));
  connection.socket.complete();
  t.false(connection.writeStalled(after + WRITE_TIMEOUT_MS));
});

/** Texts of 9 bytes: lines of 10. */
const text = (seq: number): string => `m${String(seq).padStart(8, '0')}`;

test('a shutdown writes a stalled client everything broadcast before it, past the high-water mark', async (t) => {
  const { hub, publish, connection } = await connected({ sendBuffer: 8, highWaterBytes: 40 });
  connection.socket.stall();
  for (let seq = 1; seq <= 8; seq++) publish(text(seq));
  t.true(connection.socket.bufferedBytes >= 40, 'blocked at the high-water mark');
  t.true(linesOf(connection.socket).length < 8);
  hub.shutdown();
  t.is(connection.closedBy, 'shutdown');
  t.deepEqual(linesOf(connection.socket), [1, 2, 3, 4, 5, 6, 7, 8].map(text));
});

// The outbox never holds more than `sendBuffer`, so the last delivery of everything writes it a
// send buffer at a time: a blocked connection whose outbox already holds some broadcasts (taken
// into the room left under the high-water mark, too few to write before the window closes) and
// whose send buffer is full still gets all of them before its goodbye.
test('a last delivery of everything writes it all even when the outbox already holds some', async (t) => {
  const { hub, publish, connection } = await connected({ sendBuffer: 8, highWaterBytes: 25 });
  connection.socket.stall();
  // 1 and 2 are written (20 bytes); 3 fills the 5 bytes of room and waits in the outbox with
  // taking blocked; 4 to 11 leave the hub counting 8 pending: full, but not yet evicted.
  for (let seq = 1; seq <= 11; seq++) publish(text(seq));
  t.is(connection.closedBy, undefined);
  t.deepEqual(linesOf(connection.socket), [1, 2].map(text));
  hub.shutdown();
  t.deepEqual(linesOf(connection.socket), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map(text));
});
