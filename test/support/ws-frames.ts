/**
 * WebSocket frames (RFC 6455 section 5.2) on the wire, for every test client that speaks raw
 * frames: one encoder (any header, even a malformed one), one decoder and a stream reader.
 */
import { randomBytes } from 'node:crypto';

export const Opcode = {
  continuation: 0,
  text: 1,
  binary: 2,
  close: 8,
  ping: 9,
  pong: 10,
} as const;

/** Width of the length field: 7 bits, 7+16 bits (126) or 7+64 bits (127). */
export type LengthEncoding = 7 | 16 | 64;

/** A frame described as data, encoded exactly as described by `encodeFrame`. */
export type FrameSpec = Readonly<{
  fin: boolean;
  /** 0..7: the RSV bits as the 3-bit value in bits 6..4 of the first byte (4 = RSV1). */
  rsv: number;
  /** 0..15. */
  opcode: number;
  /** The 4-byte masking key; `undefined` sends the frame unmasked (a client must not). */
  mask: Buffer | undefined;
  /** The payload bytes actually sent after the header (unmasked here; masked on the wire). */
  payload: Buffer;
  encoding: LengthEncoding;
  /**
   * The length field's value when it differs from `payload.length`: a header-only frame that
   * announces more than is ever sent (the server must refuse it from the header alone).
   */
  announced?: bigint;
}>;

/** A frame as decoded from the wire, header bits included, so tests can check them too. */
export type DecodedFrame = Readonly<{
  fin: boolean;
  rsv: number;
  opcode: number;
  masked: boolean;
  /** Unmasked. */
  payload: Buffer;
}>;

export const minimalEncoding = (length: number | bigint): LengthEncoding =>
  length < 126 ? 7 : length < 65_536 ? 16 : 64;

export const announcedLength = (frame: FrameSpec): bigint =>
  frame.announced ?? BigInt(frame.payload.length);

/** A copy of `data` XORed with the 4-byte `mask` (masking and unmasking are the same). */
const applyMask = (data: Buffer, mask: Buffer): Buffer => {
  const out = Buffer.from(data);
  for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) ^ (mask[i % 4] ?? 0);
  return out;
};

const lengthField = (encoding: LengthEncoding, length: bigint): Buffer => {
  if (encoding === 7) {
    if (length > 125n) throw new Error(`a 7-bit length cannot hold ${length}`);
    return Buffer.from([Number(length)]);
  }
  if (encoding === 16) {
    if (length > 0xffffn) throw new Error(`a 16-bit length cannot hold ${length}`);
    const field = Buffer.alloc(3);
    field[0] = 126;
    field.writeUInt16BE(Number(length), 1);
    return field;
  }
  if (length > 0xffff_ffff_ffff_ffffn) throw new Error(`a 64-bit length cannot hold ${length}`);
  const field = Buffer.alloc(9);
  field[0] = 127;
  field.writeBigUInt64BE(length, 1);
  return field;
};

/** The bytes of one frame on the wire. */
export const encodeFrame = (spec: FrameSpec): Buffer => {
  if (spec.opcode < 0 || spec.opcode > 15 || spec.rsv < 0 || spec.rsv > 7) {
    throw new Error(`no such header: opcode ${spec.opcode}, rsv ${spec.rsv}`);
  }
  if (spec.mask !== undefined && spec.mask.length !== 4) throw new Error('a mask is 4 bytes');
  const length = announcedLength(spec);
  if (length < BigInt(spec.payload.length)) throw new Error('announced less than the payload');
  const field = lengthField(spec.encoding, length);
  const first = (spec.fin ? 0x80 : 0) | (spec.rsv << 4) | spec.opcode;
  field[0] = (field[0] ?? 0) | (spec.mask === undefined ? 0 : 0x80);
  const { mask } = spec;
  const payload = mask === undefined ? spec.payload : applyMask(spec.payload, mask);
  return Buffer.concat([Buffer.from([first]), field, mask ?? Buffer.alloc(0), payload]);
};

/** One well-formed client frame: no RSV bits, minimal length, masked with a random key. */
export const maskedFrame = (opcode: number, data: Buffer | string, fin = true): Buffer => {
  const payload = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return encodeFrame({
    fin,
    rsv: 0,
    opcode,
    mask: randomBytes(4),
    payload,
    encoding: minimalEncoding(payload.length),
  });
};

/** The first whole frame at the start of `buffer` and its size in bytes, if one is there. */
export const decodeFrame = (buffer: Buffer): { frame: DecodedFrame; size: number } | undefined => {
  if (buffer.length < 2) return undefined;
  const b0 = buffer[0] ?? 0;
  const b1 = buffer[1] ?? 0;
  let length = b1 & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buffer.length < 4) return undefined;
    length = buffer.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buffer.length < 10) return undefined;
    length = Number(buffer.readBigUInt64BE(2));
    offset = 10;
  }
  const masked = (b1 & 0x80) !== 0;
  const mask = masked ? buffer.subarray(offset, offset + 4) : undefined;
  if (masked) offset += 4;
  if (buffer.length < offset + length) return undefined;
  const data = buffer.subarray(offset, offset + length);
  const payload = mask === undefined ? Buffer.from(data) : applyMask(data, mask);
  const frame = { fin: (b0 & 0x80) !== 0, rsv: (b0 >> 4) & 7, opcode: b0 & 0x0f, masked, payload };
  return { frame, size: offset + length };
};

/** Frames out of a byte stream that arrives in chunks cut anywhere. */
export class FrameReader {
  #buffer: Buffer = Buffer.alloc(0);

  /** Bytes received and not yet taken as part of a frame. */
  get buffered(): number {
    return this.#buffer.length;
  }

  push(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
  }

  /** The next whole frame, taken off the stream, or `undefined` until more bytes arrive. */
  next(): DecodedFrame | undefined {
    const decoded = decodeFrame(this.#buffer);
    if (decoded === undefined) return undefined;
    this.#buffer = this.#buffer.subarray(decoded.size);
    return decoded.frame;
  }
}
