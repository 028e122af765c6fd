// Senders on a schedule: message k of the step is due at start + k / rate, round robin over the
// senders. A 1 ms timer sends whatever is due; how late each send went out is recorded, so a
// generator that cannot keep its schedule shows it.
import { performance } from 'node:perf_hooks';
import type { BenchClient } from './client.ts';
import { Histogram } from './histogram.ts';
import { encodeMessage } from './message.ts';

/** At most this many sends per tick: a long stall must not turn into an unbounded burst. */
const MAX_BURST = 5_000;

export class Pacer {
  /** Messages written while counting is on (the measure window). */
  sentCounted = 0;
  sendLag = new Histogram();
  #counting = false;
  #sent = 0;
  readonly #seq: number[];
  #timer: NodeJS.Timeout | undefined;
  readonly #startedMs = performance.now();

  constructor(
    private readonly senders: readonly BenchClient[],
    private readonly messagesPerSecond: number,
  ) {
    this.#seq = senders.map(() => 0);
    this.#timer = setInterval(() => this.#tick(), 1);
  }

  /** Starts counting sends and resets the lag record: the measure window opens. */
  count(): void {
    this.#counting = true;
    this.sentCounted = 0;
    this.sendLag = new Histogram();
  }

  /** Messages sender `index` has sent so far (its next sequence number). */
  sentBy(index: number): number {
    return this.#seq[index] ?? 0;
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #tick(): void {
    const now = performance.now();
    // Message k is due at start + k / rate: by now, floor(elapsed × rate) + 1 are due.
    const due = Math.floor(((now - this.#startedMs) * this.messagesPerSecond) / 1000) + 1;
    const last = Math.min(due, this.#sent + MAX_BURST);
    for (; this.#sent < last; this.#sent++) {
      const dueAt = this.#startedMs + (this.#sent * 1000) / this.messagesPerSecond;
      const senderIndex = this.#sent % this.senders.length;
      const sender = this.senders[senderIndex] as BenchClient;
      const seq = this.#seq[senderIndex] as number;
      const sentUs = performance.now() * 1000;
      if (!sender.send(encodeMessage(senderIndex, seq, sentUs))) continue;
      this.#seq[senderIndex] = seq + 1;
      if (this.#counting) {
        this.sentCounted++;
        this.sendLag.record(sentUs - dueAt * 1000);
      }
    }
    // What a capped burst left over is dropped from the schedule, and shows as lag next time.
    if (this.#sent < due - MAX_BURST) this.#sent = due - MAX_BURST;
  }
}
