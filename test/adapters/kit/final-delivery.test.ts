import test from 'ava';
import type { BatchWindow } from '../../../src/adapters/kit/batch-window.ts';
import { Delivery, type WriteDone } from '../../../src/adapters/kit/delivery.ts';
import type { DeliverySettings } from '../../../src/adapters/kit/delivery-settings.ts';
import { type Outbound, OutboundCache } from '../../../src/adapters/kit/outbound-cache.ts';
import type { TransportMetrics } from '../../../src/app/ports/metrics.port.ts';
import type { Session } from '../../../src/app/session.ts';
import { roomMessage } from '../../support/room-message.ts';

const NO_METRICS: TransportMetrics = { received: () => {}, delivered: () => {} };
const MESSAGE_BYTES = 10;

/** A connection whose socket holds `buffered` bytes and takes every write; it records the seqs. */
class RecordingConnection extends Delivery {
  buffered: number;
  readonly written: number[] = [];

  constructor(settings: DeliverySettings, buffered: number) {
    super(settings);
    this.buffered = buffered;
  }

  begin(session: Session): void {
    this.startDelivery(session);
  }

  goodbye(everything: boolean): void {
    this.finalDelivery(everything);
  }

  protected get bufferedBytes(): number {
    return this.buffered;
  }

  protected get writable(): boolean {
    return true;
  }

  protected sizeOf(): number {
    return MESSAGE_BYTES;
  }

  protected writeOutbox(
    outbox: readonly Outbound[],
    bytes: number,
    _head: number,
    _done: WriteDone,
  ) {
    this.written.push(...outbox.map((outbound) => outbound.seq));
    this.buffered += bytes;
    return bytes;
  }

  protected deliveryFailed(error: unknown): void {
    throw error;
  }
}

/** A session over `count` messages, 1..count, of which the hub has seen `acknowledged` taken. */
const sessionOver = (count: number) => {
  const acknowledged: number[] = [];
  const messages = Array.from({ length: count }, (_, i) => roomMessage(i + 1, `m${i + 1}`));
  const session: Session = {
    id: 'c1',
    room: 'lobby',
    name: 'ann',
    takeEntry: () => ({ kind: 'joined', epoch: 'e1', seq: 0, messages: [], members: [] }),
    joinedAfter: 0,
    head: count,
    isOpen: true,
    publish: () => 'published',
    read: (after, max) => messages.slice(after, after + max),
    acknowledge: (upTo) => acknowledged.push(upTo),
    leave: () => {},
  };
  return { session, acknowledged };
};

const settings = (sendBuffer: number): DeliverySettings => ({
  sendBuffer,
  writeTimeoutMs: 1_000,
  highWaterBytes: 100,
  takeEagerlyAfter: sendBuffer / 2,
  cache: new OutboundCache(),
  batch: { schedule: () => {} } as unknown as BatchWindow,
  metrics: NO_METRICS,
});

test('a goodbye writes everything broadcast before it, even a send buffer behind with an outbox half full', (t) => {
  // The socket has room for two messages: they are taken (and acknowledged, exactly, as
  // taking is blocked) but wait in the outbox for the batch window. The hub is 8 ahead of
  // that: a send buffer's worth, not yet an eviction.
  const connection = new RecordingConnection(settings(8), 100 - 2 * MESSAGE_BYTES + 5);
  const { session, acknowledged } = sessionOver(10);
  connection.begin(session);
  connection.wake(10);
  t.deepEqual(acknowledged, [2]);
  t.deepEqual(connection.written, []);

  connection.goodbye(true);

  t.deepEqual(connection.written, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  t.true(connection.deliveryStopped);
});

test('a goodbye without everything writes only what was taken', (t) => {
  const connection = new RecordingConnection(settings(8), 100 - 2 * MESSAGE_BYTES + 5);
  const { session } = sessionOver(10);
  connection.begin(session);
  connection.wake(10);

  connection.goodbye(false);

  t.deepEqual(connection.written, [1, 2]);
  connection.wake(10);
  connection.flush();
  t.deepEqual(connection.written, [1, 2], 'nothing after the goodbye');
});
