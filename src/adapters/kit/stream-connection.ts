import type { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import type { DepartureReason } from '../../domain/index.ts';
import { closeWithin, cutOffAfter } from './closing.ts';
import type { WriteDone } from './delivery.ts';
import { type ConnectionSettings, KitConnection } from './kit-connection.ts';
import { type Encoding, encodedAs, type Outbound } from './outbound-cache.ts';
import { writeEach } from './write-each.ts';

export type StreamConnectionSettings = ConnectionSettings &
  Readonly<{
    /** How one broadcast is written. */
    encoding: Encoding;
    /** What a connection is told last when it is evicted, and when the server stops. */
    lastWords: Readonly<{ evicted: string; shutdown: string }>;
  }>;

/**
 * A connection that writes each broadcast's encoding to a Node stream (a TCP socket, an HTTP
 * response), all of an outbox in one corked write: one system call on a socket.
 */
export abstract class StreamConnection<
  S extends StreamConnectionSettings = StreamConnectionSettings,
> extends KitConnection<S> {
  abstract override readonly socket: Socket;
  /** Where broadcasts are written. */
  protected abstract get stream(): Writable;

  /** Ends the stream after `last`, however this transport ends one. */
  protected abstract finish(last: string): void;

  destroy(): void {
    this.stream.destroy();
  }

  close(reason: DepartureReason): void {
    this.finalDelivery(reason === 'shutdown');
    if (reason === 'shutdown') {
      this.endWith(this.settings.lastWords.shutdown);
      return;
    }
    // An evicted reader that stopped reading will rarely see this: it is written if possible.
    if (reason === 'send_buffer_full' && this.stream.writable) {
      this.stream.write(this.settings.lastWords.evicted);
    }
    this.socket.destroy();
  }

  /**
   * Sends `last` and ends the connection; input that still arrives is read and discarded, so
   * `last` is not lost to a reset. A peer that does not close in time is cut off.
   */
  protected endWith(last: string): void {
    this.stopDelivery();
    if (this.socket.destroyed) return;
    this.finish(last);
    cutOffAfter(this.socket);
  }

  closeAndWait(): Promise<void> {
    const { socket } = this;
    return closeWithin(
      socket,
      socket.destroyed,
      () => socket.destroy(),
      () => this.endWith(this.settings.lastWords.shutdown),
    );
  }

  protected get bufferedBytes(): number {
    return this.stream.writableLength;
  }

  protected get writable(): boolean {
    return this.stream.writable;
  }

  protected sizeOf(outbound: Outbound): number {
    return encodedAs(outbound, this.settings.encoding).length;
  }

  protected writeOutbox(
    outbox: readonly Outbound[],
    bytes: number,
    _head: number,
    done: WriteDone,
  ) {
    writeEach(this.stream, outbox, this.settings.encoding, done);
    return bytes;
  }
}
