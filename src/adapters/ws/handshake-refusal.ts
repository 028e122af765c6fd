import type { Duplex } from 'node:stream';

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  403: 'Forbidden',
  405: 'Method Not Allowed',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

/** Answers an upgrade request with an HTTP error and releases the socket. */
export const refuseUpgrade = (
  socket: Duplex,
  status: number,
  text = STATUS_TEXT[status] ?? 'Error',
  headers: Readonly<Record<string, string>> = {},
): void => {
  const extra = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nConnection: close\r\n` +
      `Content-Type: text/plain\r\n${extra}Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
    () => socket.destroy(),
  );
};

/**
 * ws hands a malformed handshake to the server (`wsClientError`) with only its message; the
 * answer ws itself would give (RFC 6455 4.2.2): 405 for another method, 400 with the versions
 * it speaks for a bad version, 400 otherwise.
 */
export const answerBadHandshake = (socket: Duplex, message: string): void => {
  if (message === 'Invalid HTTP method') {
    refuseUpgrade(socket, 405, message, { Allow: 'GET' });
  } else if (message.includes('Sec-WebSocket-Version')) {
    refuseUpgrade(socket, 400, message, { 'Sec-WebSocket-Version': '13, 8' });
  } else {
    refuseUpgrade(socket, 400, message);
  }
};
