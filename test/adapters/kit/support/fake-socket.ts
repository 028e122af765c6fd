import type { WriteDone } from '../../../../src/adapters/kit/delivery.ts';

type Write = { readonly bytes: number; readonly done: WriteDone | undefined; accepted: boolean };

/**
 * A socket that holds every write's callback until the test completes it. Like a Node socket,
 * a write the kernel takes at once leaves `bufferedBytes` straight away and calls back later
 * (when the test says so); while the socket is stalled (the peer stopped reading, the kernel
 * buffer is full) writes stay in `bufferedBytes`, until `unstall()` lets the kernel take them.
 */
export class FakeSocket {
  /** Every chunk written, in order: what the peer receives. */
  readonly chunks: Buffer[] = [];
  destroyed = false;
  readonly remoteAddress = '127.0.0.1';
  readonly remotePort = 40_000;
  /** Writes attempted after `destroy()`: a connection must never make one. */
  writesAfterDestroy = 0;
  /** `cork()`/`uncork()` and writes, in order, for tests of how a connection writes. */
  readonly calls: string[] = [];
  #writes: Write[] = [];
  #stalled = false;

  cork(): void {
    this.calls.push('cork');
  }

  uncork(): void {
    this.calls.push('uncork');
  }

  write(
    chunk: Buffer | string,
    encodingOrDone?: BufferEncoding | WriteDone,
    maybeDone?: WriteDone,
  ): boolean {
    const done = typeof encodingOrDone === 'function' ? encodingOrDone : maybeDone;
    if (this.destroyed) {
      this.writesAfterDestroy++;
      return false;
    }
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.calls.push(done === undefined ? `write(${bytes.length})` : `write(${bytes.length}, done)`);
    this.chunks.push(bytes);
    this.#writes.push({ bytes: bytes.length, done, accepted: !this.#stalled });
    return !this.#stalled;
  }

  /** Bytes the kernel has not taken yet (Node's `writableLength`). */
  get bufferedBytes(): number {
    let bytes = 0;
    for (const write of this.#writes) if (!write.accepted) bytes += write.bytes;
    return bytes;
  }

  /** Writes whose completion has not been reported yet. */
  get pendingWrites(): number {
    return this.#writes.length;
  }

  get stalled(): boolean {
    return this.#stalled;
  }

  get received(): Buffer {
    return Buffer.concat(this.chunks);
  }

  /** The peer stops reading: the kernel takes no more writes. */
  stall(): void {
    this.#stalled = true;
  }

  /** The peer reads again: the kernel takes everything buffered (callbacks still wait). */
  unstall(): void {
    this.#stalled = false;
    for (const write of this.#writes) write.accepted = true;
  }

  /**
   * Reports the first `count` writes the kernel has taken as complete, in order, calling their
   * callbacks (with an error once the socket is destroyed, as Node does); returns how many.
   */
  complete(count = Number.POSITIVE_INFINITY): number {
    let completed = 0;
    while (completed < count) {
      const write = this.#writes[0];
      if (write === undefined || !write.accepted) break;
      this.#writes.shift();
      completed++;
      write.done?.(this.destroyed ? new Error('write after destroy') : null);
    }
    return completed;
  }

  destroy(): void {
    this.destroyed = true;
    // A destroyed socket's queued writes fail: the kernel will take none of them.
    for (const write of this.#writes) write.accepted = true;
  }
}
