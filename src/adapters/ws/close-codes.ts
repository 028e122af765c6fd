/** Close codes this server sends (RFC 6455 section 7.4.1); docs/protocol.md explains each. */
export const CloseCode = {
  /** The server is shutting down. */
  GoingAway: 1001,
  /** The client sent a binary message; the chat carries text only. */
  UnsupportedData: 1003,
  /** A text message was not valid UTF-8 (sent by the ws library itself). */
  InvalidPayload: 1007,
  /**
   * The client fell behind (its send buffer was full when a broadcast arrived), sent faster
   * than --rate-limit, or broke a hubbub.v1 rule.
   */
  PolicyViolation: 1008,
  /** A message was larger than --max-message-bytes (a frame over ws's maxPayload: by ws itself). */
  MessageTooBig: 1009,
  /**
   * The client's room lost its messages and restarted its numbering (a shared store lost it):
   * plain and hubbub.v1 clients carry no epoch, so they reconnect to start again.
   */
  ServiceRestart: 1012,
  /** The client's room cannot take it now (the server keeps as many rooms as it may). */
  TryAgainLater: 1013,
} as const;

export const CloseReason = {
  shuttingDown: 'server shutting down',
  binary: 'binary messages are not accepted',
  sendBufferFull: 'send buffer full: client too slow',
  tooLarge: 'message too large',
  rateLimited: 'rate limit exceeded: too many messages',
  roomRestarted: 'room restarted: reconnect',
} as const;
