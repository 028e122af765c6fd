import type { TransportEviction } from '../../app/session.ts';
import { CloseCode, CloseReason } from './close-codes.ts';
import { parseClientFrame } from './hubbub-v1.ts';

export type WireProtocol = 'plain' | 'hubbub.v1';

/** What one client message is: chat text to publish, or the reason to close the client. */
export type Inbound =
  | Readonly<{ kind: 'message'; text: string }>
  | Readonly<{ kind: 'refused'; code: number; reason: string; eviction: TransportEviction }>;

const refused = (code: number, reason: string, eviction: TransportEviction): Inbound => ({
  kind: 'refused',
  code,
  reason,
  eviction,
});

/**
 * Reads one complete WebSocket message (ws has already checked framing and UTF-8): binary is
 * refused with 1003, a hubbub.v1 frame must be a well-formed `send`, and a plain message over
 * `maxMessageBytes` is refused with 1009 (the hub checks a v1 message's text itself).
 */
export const readInbound = (
  data: Buffer,
  isBinary: boolean,
  protocol: WireProtocol,
  maxMessageBytes: number,
): Inbound => {
  if (isBinary) return refused(CloseCode.UnsupportedData, CloseReason.binary, 'invalid_message');
  const text = data.toString('utf8');
  if (protocol === 'hubbub.v1') {
    const frame = parseClientFrame(text);
    return frame.kind === 'invalid'
      ? refused(frame.code, frame.reason, 'invalid_message')
      : { kind: 'message', text: frame.text };
  }
  if (data.length > maxMessageBytes) {
    return refused(CloseCode.MessageTooBig, CloseReason.tooLarge, 'message_too_large');
  }
  return { kind: 'message', text };
};

/** ws's own protocol errors (it closes with 1002, 1007 or 1009 itself), as evictions. */
export const evictionOfWsError = (code: string): TransportEviction => {
  switch (code) {
    case 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH':
      return 'message_too_large';
    case 'WS_ERR_INVALID_UTF8':
      return 'invalid_message';
    default:
      return 'protocol_error';
  }
};
