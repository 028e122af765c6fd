/**
 * Strict UTF-8: invalid bytes are an error, not U+FFFD, so a message is broadcast byte for byte
 * as sent or not at all, and its length in bytes is the length the client sent. A byte-order
 * mark is kept, as WebSocket keeps it.
 */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The text of `bytes`, or `undefined` when they are not valid UTF-8. */
export const decodeUtf8 = (bytes: Uint8Array): string | undefined => {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    return undefined;
  }
};
