import type { Logger } from '../../app/ports/logger.port.ts';
import type { Hub } from '../../app/ports/transport.port.ts';
import { HubClosedError } from '../../app/session.ts';
import type { ConnectionSweep } from './connection-sweep.ts';
import type { KitConnection } from './kit-connection.ts';

/**
 * Registers a new connection with the hub and starts sweeping it. Once shutdown has begun the
 * hub refuses it, and `refuse()` tells the client so; any other failure cuts it off.
 */
export const joinHub = (
  hub: Hub,
  connection: KitConnection,
  sweep: ConnectionSweep,
  logger: Logger,
  refuse: () => void,
): void => {
  try {
    const session = hub.connect(connection);
    try {
      connection.attach(session);
    } catch (error) {
      session.leave('dropped', 'internal error');
      throw error;
    }
    sweep.add(connection);
  } catch (error) {
    if (error instanceof HubClosedError) {
      refuse();
      return;
    }
    logger.error('connection could not join the hub', { error: String(error) });
    connection.destroy();
  }
};
