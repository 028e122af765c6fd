import type { WriteDone } from '../../../../src/adapters/kit/delivery.ts';
import { deliverySettingsOf } from '../../../../src/adapters/kit/delivery-settings.ts';
import {
  type ConnectionSettings,
  KitConnection,
} from '../../../../src/adapters/kit/kit-connection.ts';
import {
  type Encoding,
  encodedAs,
  type Outbound,
} from '../../../../src/adapters/kit/outbound-cache.ts';
import { writeEach } from '../../../../src/adapters/kit/write-each.ts';
import type { Logger } from '../../../../src/app/ports/logger.port.ts';
import type { DepartureReason } from '../../../../src/domain/index.ts';
import { RecordingLogger } from '../../../support/recording-logger.ts';
import { FakeSocket } from './fake-socket.ts';
import { ManualBatchWindow } from './manual-batch-window.ts';

/** Each broadcast as one line of its text (the texts the tests publish hold no line break). */
export const LINE: Encoding = {
  slot: 0,
  encode: (message) => Buffer.from(`${message.text}\n`),
};

/** The lines a fake socket received, in order. */
export const linesOf = (socket: FakeSocket): string[] => {
  const text = socket.received.toString('utf8');
  return text === '' ? [] : text.slice(0, -1).split('\n');
};

export type FakeSettings = ConnectionSettings & { readonly batch: ManualBatchWindow };

/** Settings as a transport derives them from the core's, with a small high-water mark. */
export const fakeSettings = (
  options: Readonly<{
    sendBuffer: number;
    highWaterBytes: number;
    writeTimeoutMs?: number;
    logger?: Logger;
  }>,
): FakeSettings => ({
  ...deliverySettingsOf(
    {
      sendBuffer: options.sendBuffer,
      writeTimeoutMs: options.writeTimeoutMs ?? 10_000,
      batchWindowMs: 0,
    },
    { received: () => {}, delivered: () => {} },
  ),
  highWaterBytes: options.highWaterBytes,
  batch: new ManualBatchWindow(),
  transport: 'fake',
  logger: options.logger ?? new RecordingLogger(),
  rateLimit: { perSecond: 0, burst: 0 },
  withinAddressBudget: () => true,
  releaseSocket: () => {},
  closed: () => {},
});

/** A kit connection whose wire is a `FakeSocket`; what it does at its ends is recorded. */
export class FakeConnection extends KitConnection<FakeSettings> {
  readonly socket = new FakeSocket();
  /** Why the hub closed it, if it did. */
  closedBy: DepartureReason | undefined;

  constructor(
    settings: FakeSettings,
    readonly name: string,
  ) {
    super(settings, undefined);
  }

  override get remote(): string {
    return this.name;
  }

  /** The hub's id for it, once it has joined. */
  get id(): string | undefined {
    return this.session?.id;
  }

  /** As TCP and SSE do: a last delivery (everything, at shutdown), then the socket goes. */
  close(reason: DepartureReason): void {
    this.closedBy = reason;
    this.finalDelivery(reason === 'shutdown');
    this.socket.destroy();
  }

  /** As SSE does: what was taken, a line `reset <epoch>`, then the new numbering from its start. */
  renumbered(epoch: string): void {
    this.restartDelivery(() => this.socket.write(`reset ${epoch}\n`, this.trackedWrite()));
  }

  destroy(): void {
    this.socket.destroy();
  }

  checkTimers(): void {}

  closeAndWait(): Promise<void> {
    return Promise.resolve();
  }

  /** The peer went away (its socket closed): no last delivery. */
  hangUp(): void {
    this.leave('left', 'the peer hung up');
    this.socket.destroy();
  }

  /** The server throws the client out, as TCP does over the rate limit: everything, then bye. */
  refuse(): void {
    this.finalDelivery(true);
    this.leave('rate_limited', 'refused');
    this.socket.destroy();
  }

  /** A write of the transport's own (a keepalive) with the write deadline tracking it. */
  keepalive(): void {
    this.socket.write('\n', this.trackedWrite());
  }

  protected get bufferedBytes(): number {
    return this.socket.bufferedBytes;
  }

  protected get writable(): boolean {
    return !this.socket.destroyed;
  }

  protected sizeOf(outbound: Outbound): number {
    return encodedAs(outbound, LINE).length;
  }

  protected writeOutbox(
    outbox: readonly Outbound[],
    bytes: number,
    _head: number,
    done: WriteDone,
  ): number {
    writeEach(this.socket, outbox, LINE, done);
    return bytes;
  }
}
