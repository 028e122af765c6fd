import assert from 'node:assert/strict';
import { linesOf } from '../support/fake-connection.ts';
import {
  type ClientModel,
  type DeliveryModel,
  type DeliverySystem,
  MAX_LINE_BYTES,
  ROOM,
} from './model.ts';

/** What `client` should receive: everything broadcast while it was registered, in order. */
export const expectedOf = (model: DeliveryModel, client: ClientModel): string[] =>
  model.broadcasts.slice(client.joinedAfter, client.until ?? model.broadcasts.length);

/**
 * A client whose socket reads again and whose writes have all completed has caught up with
 * its stall: from now on it may not fall behind until it stalls again.
 */
export const noteDrained = (model: DeliveryModel, real: DeliverySystem): void => {
  model.clients.forEach((client, i) => {
    const socket = real.connections[i]?.socket;
    if (!client.stalled && socket?.pendingWrites === 0) client.behind = false;
  });
};

/** The invariants, after every command. */
export const assertDelivery = (model: DeliveryModel, real: DeliverySystem): void => {
  noteDrained(model, real);
  const registered = model.clients.flatMap((client, i) =>
    client.ending === undefined ? [real.connections[i]?.id] : [],
  );
  assert.deepEqual(
    [...real.hub.state.connections.keys()].sort(),
    registered.sort(),
    'registered connections',
  );
  model.clients.forEach((client, i) => {
    const connection = real.connections[i];
    assert.ok(connection !== undefined);
    const label = connection.name;
    const received = linesOf(connection.socket);
    const expected = expectedOf(model, client);
    assert.deepEqual(
      received,
      expected.slice(0, received.length),
      `${label} received broadcasts of its registration in order, once each, with no gap`,
    );
    assert.equal(connection.socket.writesAfterDestroy, 0, `${label} written after its close`);
    if (client.ending !== undefined) {
      assert.ok(connection.deliveryStopped, `${label} ended but delivery goes on`);
      return;
    }
    if (connection.socket.bufferedBytes >= model.highWaterBytes) {
      model.reached.add('high-water mark reached');
    }
    assert.ok(
      connection.socket.bufferedBytes < model.highWaterBytes + MAX_LINE_BYTES,
      `${label} holds ${connection.socket.bufferedBytes} bytes, past the high-water mark`,
    );
    const cursor =
      real.hub.state.connections.get(connection.id ?? '')?.cursors.get(ROOM) ?? Number.NaN;
    const written = client.joinedAfter + received.length;
    // Acknowledged lazily, every takeEagerlyAfter broadcasts taken: never further behind what it
    // wrote; and ahead of it by no more than its outbox (taken, not yet written, fewer than that).
    assert.ok(
      Math.abs(cursor - written) < model.takeEagerlyAfter,
      `${label} acknowledged up to ${cursor} having written up to ${written}`,
    );
    if (!client.behind) {
      // Fewer than takeEagerlyAfter not yet taken, and fewer than that taken but waiting for
      // the window in the outbox.
      assert.ok(
        expected.length - received.length <= 2 * (model.takeEagerlyAfter - 1),
        `${label} keeps up but is ${expected.length - received.length} broadcasts behind`,
      );
      assert.ok(
        model.broadcasts.length - cursor <= model.sendBuffer / 2,
        `${label} keeps up but the hub counts it ${model.broadcasts.length - cursor} behind`,
      );
    }
  });
  const errors = real.logger.lines.filter((line) => line.level === 'error');
  assert.deepEqual(errors, [], 'errors logged');
};

/**
 * The end: every socket reads again, and the batch window closes and writes complete until
 * nothing is left to do. Then a client still registered, refused or shut down has received
 * exactly what was broadcast while it was registered; one evicted or hung up, a prefix of it.
 */
export const assertDrainedDelivery = (model: DeliveryModel, real: DeliverySystem): void => {
  const behind = new Set(model.clients.filter((c) => c.ending === undefined && c.behind));
  model.clients.forEach((client, i) => {
    if (client.ending !== undefined) return;
    client.stalled = false;
    real.connections[i]?.socket.unstall();
  });
  let rounds = 0;
  for (;;) {
    const flushed = real.settings.batch.close();
    let completed = 0;
    for (const connection of real.connections) completed += connection.socket.complete();
    if (flushed === 0 && completed === 0) break;
    rounds++;
    assert.ok(rounds < 1_000, 'delivery never settles');
  }
  assertDelivery(model, real);
  model.clients.forEach((client, i) => {
    if (client.ending === 'evicted' || client.ending === 'hung up') return;
    const connection = real.connections[i];
    assert.ok(connection !== undefined);
    const received = linesOf(connection.socket);
    const expected = expectedOf(model, client);
    const label = `${connection.name} (${client.ending ?? 'registered'})`;
    assert.deepEqual(received, expected, `${label} received everything`);
    if (client.behindAtEnd === true) model.reached.add('behind at its last delivery');
    else if (behind.has(client)) model.reached.add('caught up at the end');
  });
};
