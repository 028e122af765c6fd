import type { Socket } from 'node:net';
import type { Logger } from '../../app/ports/logger.port.ts';

/**
 * A socket's peer, for log lines only: transports ask when they log, since the address
 * lookup costs memory on every socket.
 */
export const peerAddress = (socket: Pick<Socket, 'remoteAddress' | 'remotePort'>): string =>
  socket.remoteAddress === undefined ? 'unknown' : `${socket.remoteAddress}:${socket.remotePort}`;

/** One 'error' listener for every socket of a transport (`this` is the socket). */
export const socketErrorLogger = (logger: Logger) =>
  function logSocketError(this: Socket, error: NodeJS.ErrnoException): void {
    logger.debug('connection socket error', { remote: peerAddress(this), code: error.code });
  };
