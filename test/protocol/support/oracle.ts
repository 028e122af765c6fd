import { announcedLength, type FrameSpec, isTruncated, Op } from './frames.ts';
import { isValidUtf8 } from './utf8.ts';

/**
 * The reference model: what a correct Hubbub server does with a sequence of client frames, by
 * RFC 6455 and docs/protocol.md. It reads frames in order until the connection would end and
 * says which chat messages are broadcast, which pings are answered, and how the server closes.
 *
 * Where the RFC leaves a choice, the model takes the server's documented one:
 * - a frame is judged from its header first (RSV bits, opcode, FIN of control frames, control
 *   payload length, mask, then length limits), before any of its payload is needed;
 * - UTF-8 is checked once the whole message has arrived (RFC 6455 section 8.1 allows that; it
 *   does not require failing fast), before the message size limit of Hubbub;
 * - a length field with its most significant bit set may be answered 1002 (the RFC forbids it)
 *   or 1009 (it is far over any limit): both are accepted;
 * - a data frame's length in a wider field than it needs is read (senders must use the minimal
 *   encoding; a receiver may be lenient), a control frame's is not: its length must sit in the
 *   7-bit field, so 126 or 127 there is a protocol error whatever follows.
 */

export type Limits = Readonly<{ maxMessageBytes: number; maxPayload: number }>;

/** Hubbub's ws limit: the JSON of the largest hubbub.v1 message (docs/protocol.md). */
export const limitsFor = (maxMessageBytes: number): Limits => ({
  maxMessageBytes,
  maxPayload: 6 * maxMessageBytes + 64,
});

export type End =
  /** The connection is still open, ready for more. */
  | Readonly<{ kind: 'open' }>
  /** The server fails the connection: a close frame with one of `codes` and `reason`. */
  | Readonly<{ kind: 'fail'; codes: readonly number[]; reason: string }>
  /** The client closed: the server answers with a close frame carrying `code` (or none). */
  | Readonly<{ kind: 'echo'; code: number | undefined }>;

export type Prediction = Readonly<{
  /** Chat messages broadcast to everyone, in order (UTF-8 bytes). */
  broadcasts: Buffer[];
  /** Payloads of the pongs that answer pings, in order. */
  pongs: Buffer[];
  end: End;
}>;

export const Reason = {
  none: '',
  binary: 'binary messages are not accepted',
  tooLarge: 'message too large',
} as const;

/** Close codes an endpoint may send: RFC 6455 section 7.4 and the IANA registry (1012-1014). */
export const isSendableCloseCode = (code: number): boolean =>
  (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) ||
  (code >= 3000 && code <= 4999);

const TOP_BIT = 1n << 63n;

export const predict = (frames: readonly FrameSpec[], limits: Limits): Prediction => {
  const broadcasts: Buffer[] = [];
  const pongs: Buffer[] = [];
  const ending = (end: End): Prediction => ({ broadcasts, pongs, end });
  const fail = (code: number, reason: string = Reason.none) =>
    ending({ kind: 'fail', codes: [code], reason });
  /** Opcode of the fragmented message in progress (text or binary), 0 when none. */
  let inProgress = 0;
  let parts: Buffer[] = [];
  let total = 0n;

  for (const frame of frames) {
    const length = announcedLength(frame);
    const isControl = frame.opcode >= 8;
    // Section 5.2: RSV bits must be 0 unless an extension was negotiated; none is.
    if (frame.rsv !== 0) return fail(1002);
    if (frame.opcode === Op.continuation) {
      if (inProgress === 0) return fail(1002); // nothing to continue (5.4)
    } else if (frame.opcode === Op.text || frame.opcode === Op.binary) {
      if (inProgress !== 0) return fail(1002); // a new message before the last one ended (5.4)
    } else if (frame.opcode >= Op.close && frame.opcode <= Op.pong) {
      // Section 5.5: control frames are never fragmented and carry at most 125 bytes, which
      // the 7-bit length field must hold; a close payload of 1 byte has half a code (5.5.1).
      if (!frame.fin || frame.encoding !== 7 || length > 125n) return fail(1002);
      if (frame.opcode === Op.close && length === 1n) return fail(1002);
    } else return fail(1002); // reserved opcodes 3-7 and 11-15 (5.2)
    if (frame.mask === undefined) return fail(1002); // clients must mask (5.1)
    if (!isControl) {
      total += length;
      if (length >= TOP_BIT) return ending({ kind: 'fail', codes: [1002, 1009], reason: '' });
      if (total > BigInt(limits.maxPayload)) return fail(1009);
    }
    if (isTruncated(frame)) {
      throw new Error('the sequence leaves the server waiting for a payload that never comes');
    }
    const payload = frame.payload;
    if (isControl) {
      if (frame.opcode === Op.ping) pongs.push(payload);
      if (frame.opcode !== Op.close) continue; // a pong is taken and ignored
      if (payload.length === 0) return ending({ kind: 'echo', code: undefined });
      const code = payload.readUInt16BE(0);
      if (!isSendableCloseCode(code)) return fail(1002);
      if (!isValidUtf8(payload.subarray(2))) return fail(1007);
      return ending({ kind: 'echo', code });
    }
    if (inProgress === 0) inProgress = frame.opcode;
    parts.push(payload);
    if (!frame.fin) continue;
    const message = Buffer.concat(parts);
    const opcode = inProgress;
    inProgress = 0;
    parts = [];
    total = 0n;
    if (opcode === Op.binary) return fail(1003, Reason.binary);
    if (!isValidUtf8(message)) return fail(1007);
    if (message.length > limits.maxMessageBytes) return fail(1009, Reason.tooLarge);
    broadcasts.push(message);
  }
  return ending({ kind: 'open' });
};

export const describeEnd = (end: End): string => {
  switch (end.kind) {
    case 'open':
      return 'still open';
    case 'fail':
      return `closed by the server with ${end.codes.join(' or ')} "${end.reason}"`;
    case 'echo':
      return `client close answered with ${end.code ?? 'an empty close'}`;
  }
};
