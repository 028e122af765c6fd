import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../../app/ports/logger.port.ts';
import type { UpgradeRoute } from '../kit/http-route.ts';
import { endWithStatus } from '../kit/raw-http-answer.ts';

/**
 * Hands each upgrade request to the route for its path, or answers 404 and releases the
 * socket. A malformed request target is a 404 too: nothing here may throw into the server.
 * An upgrade needs HTTP/1.1 and a `Host` (RFC 6455 4.1, RFC 9112 3.2): without them, 400.
 */
export const dispatchUpgrades =
  (routes: readonly UpgradeRoute[], logger: Logger, refused: (request: IncomingMessage) => void) =>
  (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (request.httpVersion !== '1.1' || !request.headers.host) {
      refused(request);
      endWithStatus(socket, 400, 'an upgrade needs HTTP/1.1 and a Host header');
      return;
    }
    const path = (request.url ?? '/').split('?', 1)[0];
    const route = routes.find((candidate) => candidate.path === path);
    if (route === undefined) {
      endWithStatus(socket, 404);
      return;
    }
    try {
      route.handle(request, socket, head);
    } catch (error) {
      logger.error('upgrade failed', { path, error: String(error) });
      socket.destroy();
    }
  };
