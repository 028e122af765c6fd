import type { Duplex } from 'node:stream';
import { endWithStatus } from '../kit/raw-http-answer.ts';

/**
 * ws hands a malformed handshake to the server (`wsClientError`) with only its message; the
 * answer ws itself would give (RFC 6455 4.2.2): 405 for another method, 400 with the versions
 * it speaks for a bad version, 400 otherwise.
 */
export const answerBadHandshake = (socket: Duplex, message: string): void => {
  if (message === 'Invalid HTTP method') {
    endWithStatus(socket, 405, message, { Allow: 'GET' });
  } else if (message.includes('Sec-WebSocket-Version')) {
    endWithStatus(socket, 400, message, { 'Sec-WebSocket-Version': '13, 8' });
  } else {
    endWithStatus(socket, 400, message);
  }
};
