import type { LoggedMessage } from '../../app/ports/message-log.port.ts';
import type { Seq } from '../../domain/index.ts';
import { textFrame } from './frames.ts';
import { itemsArray, messageItem } from './hubbub-v1.ts';

/** One broadcast with its encodings, each built the first time a connection needs it. */
export type Outbound = {
  readonly seq: Seq;
  readonly text: string;
  /** The whole plain-protocol frame: header and text. */
  frame: Buffer | undefined;
  /** The hubbub.v1 item, without the array around it. */
  item: Buffer | undefined;
};

export const plainFrameOf = (outbound: Outbound): Buffer => {
  outbound.frame ??= textFrame(Buffer.from(outbound.text, 'utf8'));
  return outbound.frame;
};

export const v1ItemOf = (outbound: Outbound): Buffer => {
  outbound.item ??= messageItem(outbound);
  return outbound.item;
};

const BATCH_KEY_SPAN = 2 ** 20;

/**
 * The encoded broadcasts shared by every connection of one transport: each message is encoded
 * once, and each hubbub.v1 batch once per distinct range, so the connections that are caught up
 * (the usual case: all at the same position) write the very same bytes.
 */
export class OutboundCache {
  readonly #ring: (Outbound | undefined)[];
  readonly #batches = new Map<number, Buffer>();
  #batchesHead: Seq = -1;

  /** `retention`: how many recent broadcasts to keep, at least the hub's send buffer. */
  constructor(retention: number) {
    this.#ring = new Array(retention + 1);
  }

  /**
   * The broadcast `seq`; on a miss, `log.read(after, count)` fetches it and those after it up to
   * `head` from the hub's log, once for every connection.
   */
  get(
    seq: Seq,
    head: Seq,
    log: Readonly<{ read(after: Seq, max: number): readonly LoggedMessage[] }>,
  ): Outbound {
    const slot = seq % this.#ring.length;
    const cached = this.#ring[slot];
    if (cached !== undefined && cached.seq === seq) return cached;
    for (const message of log.read(seq - 1, Math.min(head - seq + 1, this.#ring.length))) {
      this.#ring[message.seq % this.#ring.length] = {
        seq: message.seq,
        text: message.text,
        frame: undefined,
        item: undefined,
      };
    }
    const filled = this.#ring[slot];
    if (filled === undefined || filled.seq !== seq) {
      throw new RangeError(`broadcast ${seq} is no longer in the log`);
    }
    return filled;
  }

  /** The hubbub.v1 frame carrying broadcasts `outbox[0].seq` .. last, built once per range. */
  v1Frame(outbox: readonly Outbound[], itemBytes: number, head: Seq): Buffer {
    if (head !== this.#batchesHead) {
      this.#batches.clear();
      this.#batchesHead = head;
    }
    // Relative to the head, so the key stays a small exact integer however long the hub runs.
    const first = (outbox[0] as Outbound).seq;
    const key = (head - first) * BATCH_KEY_SPAN + (outbox.length % BATCH_KEY_SPAN);
    let frame = this.#batches.get(key);
    if (frame === undefined) {
      frame = textFrame(itemsArray(outbox.map(v1ItemOf), itemBytes));
      this.#batches.set(key, frame);
    }
    return frame;
  }
}
