import type { RoomMessage } from '../../app/ports/engine.port.ts';

/**
 * One message with its encodings: each built the first time a connection needs it, then
 * shared by every connection of the transport.
 */
export type Outbound = {
  readonly seq: number;
  readonly text: string;
  readonly message: RoomMessage;
  /** By `Encoding.slot`. */
  readonly encoded: (Buffer | undefined)[];
};

/** One way a transport puts a message on the wire (a WebSocket frame, a line, an event). */
export type Encoding = Readonly<{
  /** Where the cache keeps this encoding: distinct for each encoding of one transport. */
  slot: number;
  encode(message: RoomMessage): Buffer;
}>;

export const encodedAs = (outbound: Outbound, encoding: Encoding): Buffer => {
  let bytes = outbound.encoded[encoding.slot];
  if (bytes === undefined) {
    bytes = encoding.encode(outbound.message);
    outbound.encoded[encoding.slot] = bytes;
  }
  return bytes;
};

const RECENT = 1024;

/**
 * The encodings of recent messages, shared by the connections of one transport whatever their
 * room: kept as long as the hub's feed of the room keeps the message itself.
 */
export class OutboundCache {
  readonly #outbound = new WeakMap<RoomMessage, Outbound>();
  /** The recent ones by seq, checked by identity: most takes hit here, not the WeakMap. */
  readonly #recent: (Outbound | undefined)[] = new Array(RECENT);

  of(message: RoomMessage): Outbound {
    const slot = message.seq % RECENT;
    const recent = this.#recent[slot];
    if (recent?.message === message) return recent;
    let outbound = this.#outbound.get(message);
    if (outbound === undefined) {
      outbound = { seq: message.seq, text: message.text, message, encoded: [] };
      this.#outbound.set(message, outbound);
    }
    this.#recent[slot] = outbound;
    return outbound;
  }
}
