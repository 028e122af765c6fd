import type { LoggedMessage } from '../../app/ports/message-log.port.ts';
import type { Seq } from '../../domain/index.ts';

/**
 * One broadcast with its encodings: each built the first time a connection needs it, then
 * shared by every connection of the transport.
 */
export type Outbound = {
  readonly seq: Seq;
  readonly text: string;
  /** By `Encoding.slot`. */
  readonly encoded: (Buffer | undefined)[];
};

/** One way a transport puts a broadcast on the wire (a WebSocket frame, a line, an event). */
export type Encoding = Readonly<{
  /** Where the cache keeps this encoding: distinct for each encoding of one transport. */
  slot: number;
  encode(message: Readonly<{ seq: Seq; text: string }>): Buffer;
}>;

export const encodedAs = (outbound: Outbound, encoding: Encoding): Buffer => {
  let bytes = outbound.encoded[encoding.slot];
  if (bytes === undefined) {
    bytes = encoding.encode(outbound);
    outbound.encoded[encoding.slot] = bytes;
  }
  return bytes;
};

type MessageSource = Readonly<{ read(after: Seq, max: number): readonly LoggedMessage[] }>;

/**
 * The recent broadcasts of one transport, shared by its connections: each message is read from
 * the hub's log once and encoded once per encoding, however many connections write it.
 */
export class OutboundCache {
  readonly #ring: (Outbound | undefined)[];

  /** `retention`: how many recent broadcasts to keep, at least the hub's send buffer. */
  constructor(retention: number) {
    this.#ring = new Array(retention + 1);
  }

  /**
   * The broadcast `seq`; on a miss, `log.read(after, count)` fetches it and those after it up to
   * `head` from the hub's log, once for every connection.
   */
  get(seq: Seq, head: Seq, log: MessageSource): Outbound {
    const slot = seq % this.#ring.length;
    const cached = this.#ring[slot];
    if (cached !== undefined && cached.seq === seq) return cached;
    for (const message of log.read(seq - 1, Math.min(head - seq + 1, this.#ring.length))) {
      this.#ring[message.seq % this.#ring.length] = {
        seq: message.seq,
        text: message.text,
        encoded: [],
      };
    }
    const filled = this.#ring[slot];
    if (filled === undefined || filled.seq !== seq) {
      throw new RangeError(`broadcast ${seq} is no longer in the log`);
    }
    return filled;
  }
}
