/**
 * The last `capacity` messages of one room, by seq: contiguous, so a message is found by its
 * distance from the oldest. Pushing past the capacity drops the oldest.
 */
export class MessageRing<M extends Readonly<{ seq: number }>> {
  /** Grows as messages come, up to `capacity`: a quiet room costs next to nothing. */
  private readonly slots: (M | undefined)[] = [];
  private first = 0;
  private count = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.count;
  }

  /** The seq of the oldest message held, or undefined when none is. */
  get oldestSeq(): number | undefined {
    return this.count === 0 ? undefined : this.at(0).seq;
  }

  push(message: M): void {
    if (this.capacity === 0) return;
    const newest = this.count === 0 ? undefined : this.at(this.count - 1).seq;
    if (newest !== undefined && message.seq !== newest + 1) {
      throw new RangeError(`message ${message.seq} does not follow ${newest}`);
    }
    if (this.count < this.capacity) {
      // Until it is full the ring starts at slot 0, so the next slot is the end of the array.
      this.slots[this.first + this.count] = message;
      this.count += 1;
    } else {
      this.slots[this.first] = message;
      this.first = (this.first + 1) % this.capacity;
    }
  }

  clear(): void {
    this.slots.length = 0;
    this.first = 0;
    this.count = 0;
  }

  /** The messages held with `from` ≤ seq < `until`, ascending. */
  range(from: number, until: number): M[] {
    const oldest = this.oldestSeq;
    if (oldest === undefined) return [];
    const start = Math.max(0, from - oldest);
    const end = Math.min(this.count, until - oldest);
    const messages: M[] = [];
    for (let i = start; i < end; i++) messages.push(this.at(i));
    return messages;
  }

  private at(index: number): M {
    return this.slots[(this.first + index) % this.capacity] as M;
  }
}
