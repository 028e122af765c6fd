import type { Socket } from 'node:net';
import type { RejectionReason } from '../../app/ports/metrics.port.ts';
import { endWithStatus } from '../kit/raw-http-answer.ts';

/**
 * Whether an answer has begun on `socket` (an event stream, a page): a raw answer now would
 * land inside it. Node keeps the response on the socket as `_httpMessage`.
 */
const answering = (socket: Socket): boolean =>
  (socket as Socket & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage
    ?.headersSent === true;

/**
 * Node's 'clientError': a request that never completed in time (`--handshake-timeout-ms`) gets
 * 408, a malformed or oversized one 400; either is reported as a rejection. A client that
 * vanished mid-request (reset) gets nothing: there is no one to answer.
 */
export const answerClientError =
  (rejected: (reason: RejectionReason, error: string, socket: Socket) => void) =>
  (error: NodeJS.ErrnoException, socket: Socket): void => {
    // A response already under way (an event stream, then a broken pipelined request): an
    // HTTP answer now would land inside it, so the connection just ends, as Node's default does.
    if (error.code === 'ECONNRESET' || !socket.writable || answering(socket)) {
      socket.destroy();
      return;
    }
    const timedOut = error.code === 'ERR_HTTP_REQUEST_TIMEOUT';
    rejected(timedOut ? 'handshake_timeout' : 'bad_request', error.code ?? error.message, socket);
    if (timedOut) endWithStatus(socket, 408, 'request not completed in time');
    else if (error.code === 'HPE_HEADER_OVERFLOW')
      endWithStatus(socket, 400, 'request headers too large');
    else endWithStatus(socket, 400, 'bad request');
  };

/**
 * The web server's idle timeout (nothing read or written for `--write-timeout-ms`): a socket
 * that has not had its first request answered gets the 408 a late request gets, counted and
 * logged as one; a socket whose answer is under way has stopped reading it, and one idle
 * between keep-alive requests has nothing to be told: both are cut.
 */
export const answerIdleSocket = (socket: Socket, rejected: (error: string) => void): void => {
  if (answering(socket) || socket.bytesWritten > 0 || !socket.writable) {
    socket.destroy();
    return;
  }
  rejected('idle timeout');
  endWithStatus(socket, 408, 'request not completed in time');
};
