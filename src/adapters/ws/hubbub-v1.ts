import type { RoomMessage } from '../../app/ports/engine.port.ts';
import type { Encoding } from '../kit/outbound-cache.ts';
import { CloseCode } from './close-codes.ts';

/** The subprotocol name a client offers in `Sec-WebSocket-Protocol` (see docs/protocol.md). */
export const HUBBUB_V1 = 'hubbub.v1';

/** A message as one item of a server frame's JSON array, encoded once per message. */
export const messageItem = (message: Pick<RoomMessage, 'seq' | 'text'>): Buffer =>
  Buffer.from(`{"type":"message","seq":${message.seq},"text":${JSON.stringify(message.text)}}`);

/** A broadcast as a hubbub.v1 item, without the array around it. */
export const V1_ITEM: Encoding = { slot: 1, encode: messageItem };

/** The payload of one server frame: the items, in order, as a JSON array. */
export const itemsArray = (items: readonly Buffer[], bytes: number): Buffer => {
  const payload = Buffer.allocUnsafe(bytes + items.length + 1);
  let offset = 0;
  payload[offset++] = 0x5b; // [
  for (const [index, item] of items.entries()) {
    if (index > 0) payload[offset++] = 0x2c; // ,
    offset += item.copy(payload, offset);
  }
  payload[offset++] = 0x5d; // ]
  return payload.subarray(0, offset);
};

export type ClientFrame =
  | Readonly<{ kind: 'send'; text: string }>
  | Readonly<{ kind: 'invalid'; code: number; reason: string }>;

/** The longest prefix of `text` within `limit` UTF-8 bytes: close reasons are capped at 123. */
const upToBytes = (text: string, limit: number): string => {
  let prefix = '';
  for (const character of text) {
    if (Buffer.byteLength(prefix + character) > limit) break;
    prefix += character;
  }
  return prefix;
};

const invalid = (code: number, reason: string): ClientFrame => ({ kind: 'invalid', code, reason });

/** Reads one client frame of hubbub.v1; anything but a well-formed `send` is a close reason. */
export const parseClientFrame = (data: string): ClientFrame => {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return invalid(CloseCode.InvalidPayload, 'invalid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return invalid(CloseCode.PolicyViolation, 'expected a JSON object');
  }
  const { type, text } = value as { type?: unknown; text?: unknown };
  if (type !== 'send') {
    const shown = typeof type === 'string' ? ` "${upToBytes(type, 40)}"` : '';
    return invalid(CloseCode.PolicyViolation, `unknown message type${shown}`);
  }
  if (typeof text !== 'string')
    return invalid(CloseCode.PolicyViolation, 'send needs a string text');
  return { kind: 'send', text };
};

/** The largest frame a well-formed `send` of `maxMessageBytes` can take: JSON may escape every byte as \u00XX. */
export const maxV1FrameBytes = (maxMessageBytes: number): number => 6 * maxMessageBytes + 64;
