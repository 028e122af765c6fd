import type { Server, Socket } from 'node:net';

/**
 * Puts `admit` in front of everything `server` does with a socket it accepts: a socket that
 * `admit` refuses (and answers) never reaches the server's own 'connection' handlers, so an
 * HTTP server does not parse a request from it. Call it once the server has its handlers.
 */
export const gateConnections = (server: Server, admit: (socket: Socket) => boolean): void => {
  const handlers = server.listeners('connection') as Array<(this: Server, socket: Socket) => void>;
  server.removeAllListeners('connection');
  server.on('connection', (socket: Socket) => {
    if (!admit(socket)) return;
    for (const handler of handlers) handler.call(server, socket);
  });
};
