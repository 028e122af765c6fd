import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { SECURITY_HEADERS } from './security-headers.ts';

/**
 * Answers on the raw socket a request that never reached Koa (an upgrade refused before the
 * handshake, a request Node could not parse), then releases the socket. Socket errors on the
 * way out only end it sooner: the client is going anyway. It carries the security headers,
 * as every answer does.
 */
export const endWithStatus = (
  socket: Duplex,
  status: number,
  text = STATUS_CODES[status] ?? 'Error',
  headers: Readonly<Record<string, string>> = {},
): void => {
  const extra = Object.entries({ ...SECURITY_HEADERS, ...headers })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.on('error', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nConnection: close\r\n` +
      `Content-Type: text/plain\r\n${extra}Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
    () => socket.destroy(),
  );
};
