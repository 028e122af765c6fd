// What the receivers of one step saw: deliveries, their latency, and gaps in each sender's
// sequence. One instance per step, shared by every client; all counters are plain numbers.

import { Histogram } from './histogram.ts';
import type { Fields } from './message.ts';

export class Recorder {
  /** Deliveries received while the measure window is open (by receive time): the rate. */
  receivedInWindow = 0;
  /** Deliveries of messages sent inside the window (by send time): completeness and latency. */
  counted = 0;
  frames = 0;
  framesInWindow = 0;
  /** Socket reads that carried data, in the window: the generator's unit of work. */
  readsInWindow = 0;
  /** Messages missing in a receiver's copy of a sender's sequence, and repeats or reorders. */
  gaps = 0;
  disorder = 0;
  /** Frames that held no message of ours (text that is not ours, or the wrong framing). */
  foreign = 0;
  /** Deliveries to a receiver that is not in the sender's room (with `senderOf` only). */
  misrouted = 0;
  readonly latency = new Histogram();
  #measuring = false;
  #windowStartUs = Number.POSITIVE_INFINITY;
  readonly #lastSeq: Int32Array;
  /** Per receiver and sender: messages received each right after the one before. */
  readonly #inOrder: Int32Array;
  readonly #senders: number;
  readonly #senderOf: Int32Array | undefined;

  /**
   * `senderOf`, when receivers are in rooms: for each receiver, the one sender whose messages
   * it is owed (-1 for none); a delivery from any other sender is misrouted.
   */
  constructor(receivers: number, senders: number, senderOf?: Int32Array) {
    this.#senders = senders;
    this.#lastSeq = new Int32Array(receivers * senders).fill(-1);
    this.#inOrder = new Int32Array(receivers * senders);
    this.#senderOf = senderOf;
  }

  /**
   * How many of `sender`'s messages `receiver` got, each right after the one before: equal to
   * what the sender sent only when every one of them arrived, in order, none skipped.
   */
  inOrder(receiver: number, sender: number): number {
    return this.#inOrder[receiver * this.#senders + sender] ?? 0;
  }

  /** Opens the window: later messages count for completeness and latency. */
  open(nowUs: number): void {
    this.#windowStartUs = nowUs;
    this.#measuring = true;
  }

  /** Closes the receive-rate window; messages sent inside it still count while they drain. */
  close(): void {
    this.#measuring = false;
  }

  read(): void {
    if (this.#measuring) this.readsInWindow++;
  }

  frame(): void {
    this.frames++;
    if (this.#measuring) this.framesInWindow++;
  }

  deliver(receiver: number, message: Fields, nowUs: number): void {
    if (this.#measuring) this.receivedInWindow++;
    if (message.sentUs >= this.#windowStartUs) {
      this.counted++;
      this.latency.record(nowUs - message.sentUs);
    }
    if (message.sender >= this.#senders) {
      this.foreign++;
      return;
    }
    if (this.#senderOf !== undefined && this.#senderOf[receiver] !== message.sender) {
      this.misrouted++;
    }
    const key = receiver * this.#senders + message.sender;
    const last = this.#lastSeq[key] as number;
    if (message.seq === last + 1) {
      this.#lastSeq[key] = message.seq;
      this.#inOrder[key] = (this.#inOrder[key] as number) + 1;
    } else if (message.seq > last + 1) {
      this.gaps += message.seq - last - 1;
      this.#lastSeq[key] = message.seq;
    } else this.disorder++;
  }
}
