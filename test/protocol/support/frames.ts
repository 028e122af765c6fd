/**
 * Client frames (RFC 6455 section 5.2) described as data, so that tests, the oracle and the
 * generators share one description, and encoded exactly as described: any opcode, any RSV bits,
 * masked or not, and a length field of any width, even one that announces more than is sent.
 */

export const Op = {
  continuation: 0,
  text: 1,
  binary: 2,
  close: 8,
  ping: 9,
  pong: 10,
} as const;

/** RSV bits as the 3-bit value in bits 6..4 of the first byte: 4 = RSV1, 2 = RSV2, 1 = RSV3. */
export const Rsv = { rsv1: 4, rsv2: 2, rsv3: 1 } as const;

/** Width of the length field: 7 bits, 7+16 bits (126) or 7+64 bits (127). */
export type LengthEncoding = 7 | 16 | 64;

export type FrameSpec = Readonly<{
  fin: boolean;
  /** 0..7: see `Rsv`. */
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

export const DEFAULT_MASK = Buffer.from([0x37, 0xfa, 0x21, 0x3d]);

export const minimalEncoding = (length: number | bigint): LengthEncoding =>
  length < 126 ? 7 : length < 65_536 ? 16 : 64;

export const announcedLength = (frame: FrameSpec): bigint =>
  frame.announced ?? BigInt(frame.payload.length);

/** True when the frame announces more payload than it carries (only its header is sent). */
export const isTruncated = (frame: FrameSpec): boolean =>
  announcedLength(frame) !== BigInt(frame.payload.length);

export type FrameOptions = Partial<Omit<FrameSpec, 'opcode' | 'payload'>>;

const bytes = (data: Buffer | string): Buffer =>
  typeof data === 'string' ? Buffer.from(data, 'utf8') : data;

/** A frame with RFC-conforming defaults (FIN, no RSV, masked, minimal length), then `options`. */
export const frame = (
  opcode: number,
  data: Buffer | string = Buffer.alloc(0),
  options: FrameOptions = {},
): FrameSpec => {
  const payload = bytes(data);
  return {
    fin: true,
    rsv: 0,
    opcode,
    mask: DEFAULT_MASK,
    encoding: minimalEncoding(options.announced ?? payload.length),
    payload,
    ...options,
  };
};

export const text = (data: Buffer | string, options?: FrameOptions) =>
  frame(Op.text, data, options);
export const binary = (data: Buffer | string, options?: FrameOptions) =>
  frame(Op.binary, data, options);
export const continuation = (data: Buffer | string, options?: FrameOptions) =>
  frame(Op.continuation, data, options);
export const ping = (data: Buffer | string = '', options?: FrameOptions) =>
  frame(Op.ping, data, options);
export const pong = (data: Buffer | string = '', options?: FrameOptions) =>
  frame(Op.pong, data, options);

/** A close frame's payload: nothing, or the 2-byte code followed by the reason. */
export const closePayload = (code?: number, reason: Buffer | string = ''): Buffer => {
  if (code === undefined) return Buffer.alloc(0);
  const head = Buffer.alloc(2);
  head.writeUInt16BE(code);
  return Buffer.concat([head, bytes(reason)]);
};

export const close = (code?: number, reason: Buffer | string = '', options?: FrameOptions) =>
  frame(Op.close, closePayload(code, reason), options);

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
  const payload = Buffer.from(spec.payload);
  const mask = spec.mask;
  if (mask !== undefined) {
    for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
  }
  return Buffer.concat([Buffer.from([first]), field, mask ?? Buffer.alloc(0), payload]);
};

export const encodeFrames = (frames: readonly FrameSpec[]): Buffer =>
  Buffer.concat(frames.map(encodeFrame));

/** Splits `data` at `cuts` (positions, any order, duplicates and out-of-range ones ignored). */
export const splitAt = (data: Buffer, cuts: readonly number[]): Buffer[] => {
  const points = [...new Set(cuts.filter((cut) => cut > 0 && cut < data.length))].sort(
    (a, b) => a - b,
  );
  const parts: Buffer[] = [];
  let start = 0;
  for (const point of [...points, data.length]) {
    parts.push(data.subarray(start, point));
    start = point;
  }
  return parts;
};

/** `data` in pieces of `size` bytes (the last one shorter). */
export const chunksOf = (data: Buffer, size: number): Buffer[] =>
  splitAt(
    data,
    Array.from({ length: Math.ceil(data.length / size) }, (_, i) => i * size),
  );

const OPCODE_NAMES: Record<number, string> = {
  0: 'cont',
  1: 'text',
  2: 'binary',
  8: 'close',
  9: 'ping',
  10: 'pong',
};

/** One frame in a line, for failure reports: `text~ rsv=4 unmasked len64 "hi"` (~: no FIN). */
export const describeFrame = (spec: FrameSpec): string => {
  const name = OPCODE_NAMES[spec.opcode] ?? `op${spec.opcode}`;
  const bits = [
    `${name}${spec.fin ? '' : '~'}`,
    spec.rsv === 0 ? '' : `rsv=${spec.rsv}`,
    spec.mask === undefined ? 'unmasked' : '',
    spec.encoding === minimalEncoding(announcedLength(spec)) ? '' : `len${spec.encoding}`,
    spec.announced === undefined ? '' : `announces ${spec.announced} bytes`,
  ];
  const { payload } = spec;
  const printable = /^[\x20-\x7e]*$/.test(payload.toString('latin1'));
  const shown =
    payload.length > 32
      ? `<${payload.length} bytes: ${payload.subarray(0, 8).toString('hex')}..${payload.subarray(-8).toString('hex')}>`
      : printable
        ? JSON.stringify(payload.toString('latin1'))
        : `<${payload.toString('hex')}>`;
  return [...bits.filter((bit) => bit !== ''), shown].join(' ');
};

/** A frame as the server sent it, header bits included, so tests can check them too. */
export type ServerFrame = Readonly<{
  fin: boolean;
  rsv: number;
  opcode: number;
  masked: boolean;
  payload: Buffer;
}>;

/** The first whole frame at the start of `buffer` and its size in bytes, if one is there. */
export const decodeFrame = (buffer: Buffer): { frame: ServerFrame; size: number } | undefined => {
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
  const payload = Buffer.from(buffer.subarray(offset, offset + length));
  if (mask !== undefined) {
    for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
  }
  const frame = { fin: (b0 & 0x80) !== 0, rsv: (b0 >> 4) & 7, opcode: b0 & 0x0f, masked, payload };
  return { frame, size: offset + length };
};
