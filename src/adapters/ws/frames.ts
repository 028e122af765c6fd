import type { Encoding } from '../kit/outbound-cache.ts';

/**
 * Server-to-client WebSocket frames (RFC 6455 section 5.2), built once per message so the same
 * bytes can be written to every connection: FIN set, opcode text, no mask (servers never mask).
 */
export const textFrame = (payload: Buffer): Buffer => {
  const length = payload.length;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x81; // FIN + opcode 1 (text)
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  payload.copy(frame, headerLength);
  return frame;
};

/** A broadcast as a whole plain-protocol frame: header and text. */
export const PLAIN_FRAME: Encoding = {
  slot: 0,
  encode: (message) => textFrame(Buffer.from(message.text, 'utf8')),
};
