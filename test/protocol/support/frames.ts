/**
 * Client frames (RFC 6455 section 5.2) described as data, so that tests, the oracle and the
 * generators share one description: builders with RFC-conforming defaults, and options for any
 * opcode, any RSV bits, masked or not, and a length field of any width, even one that announces
 * more than is sent. The encoder and the decoder are the shared ones in test/support/ws-frames.ts.
 */

import {
  announcedLength,
  type DecodedFrame,
  encodeFrame,
  type FrameSpec,
  minimalEncoding,
  Opcode as Op,
} from '../../support/ws-frames.ts';

export {
  announcedLength,
  decodeFrame,
  encodeFrame,
  type FrameSpec,
  type LengthEncoding,
  minimalEncoding,
  Opcode as Op,
} from '../../support/ws-frames.ts';

/** A frame as the server sent it, header bits included, so tests can check them too. */
export type ServerFrame = DecodedFrame;

/** RSV bits as the 3-bit value in bits 6..4 of the first byte: 4 = RSV1, 2 = RSV2, 1 = RSV3. */
export const Rsv = { rsv1: 4, rsv2: 2, rsv3: 1 } as const;

export const DEFAULT_MASK = Buffer.from([0x37, 0xfa, 0x21, 0x3d]);

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

export const encodeFrames = (frames: readonly FrameSpec[]): Buffer =>
  Buffer.concat(frames.map(encodeFrame));

/** The messages the frames carry, read plainly: data payloads joined up to each FIN. */
export const messagesIn = (frames: readonly FrameSpec[]): Buffer[] => {
  const messages: Buffer[] = [];
  let parts: Buffer[] = [];
  for (const frame of frames) {
    if (frame.opcode >= Op.close) continue;
    parts.push(frame.payload);
    if (frame.fin) {
      messages.push(Buffer.concat(parts));
      parts = [];
    }
  }
  return messages;
};

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
