// WebSocket framing for the generator's raw sockets (RFC 6455): the upgrade request, and the
// masked frames a client sends. Server frames are parsed in client.ts, where the bytes arrive.
import { randomBytes } from 'node:crypto';

export const Opcode = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const;

export const upgradeRequest = (port: number, subprotocol: string | undefined): string =>
  'GET /ws HTTP/1.1\r\n' +
  `Host: 127.0.0.1:${port}\r\n` +
  'Upgrade: websocket\r\n' +
  'Connection: Upgrade\r\n' +
  `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n` +
  'Sec-WebSocket-Version: 13\r\n' +
  (subprotocol === undefined ? '' : `Sec-WebSocket-Protocol: ${subprotocol}\r\n`) +
  '\r\n';

export type UpgradeAnswer = { status: number; subprotocol: string };

/** Reads the status and the selected subprotocol ('' when none) from the 101 answer's head. */
export const parseUpgradeAnswer = (head: string): UpgradeAnswer => {
  const lines = head.split('\r\n');
  const status = Number((lines[0] ?? '').split(' ')[1]);
  let subprotocol = '';
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === 'sec-websocket-protocol') {
      subprotocol = line.slice(colon + 1).trim();
    }
  }
  return { status, subprotocol };
};

// Masks come from a pool refilled now and then: clients must mask, the keys need not be secret.
const MASK_POOL = 4096;
let masks = randomBytes(MASK_POOL);
let maskAt = 0;

/** One masked client frame (FIN set) holding `payload`. */
export const maskedFrame = (opcode: number, payload: Buffer): Buffer => {
  const length = payload.length;
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + 4 + length);
  frame[0] = 0x80 | opcode;
  if (header === 2) frame[1] = 0x80 | length;
  else if (header === 4) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 0x80 | 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  if (maskAt + 4 > MASK_POOL) {
    masks = randomBytes(MASK_POOL);
    maskAt = 0;
  }
  masks.copy(frame, header, maskAt, maskAt + 4);
  maskAt += 4;
  const body = header + 4;
  for (let i = 0; i < length; i++) {
    frame[body + i] = (payload[i] as number) ^ (frame[header + (i & 3)] as number);
  }
  return frame;
};

export const maskedText = (text: string): Buffer => maskedFrame(Opcode.text, Buffer.from(text));
