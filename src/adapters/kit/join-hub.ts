import type { Logger } from '../../app/ports/logger.port.ts';
import type { Hub, Placement } from '../../app/ports/transport.port.ts';
import type { RoomRefusal } from '../../app/rooms/room-results.ts';
import { HubClosedError, JoinRefusedError } from '../../app/session.ts';
import type { ConnectionSweep } from './connection-sweep.ts';
import type { KitConnection } from './kit-connection.ts';

/** Why a connection could not join: the hub is shutting down, or the room refused it. */
export type JoinRefusal = 'shutdown' | RoomRefusal;

/** A refusal in words (a close reason, an error line). */
export const joinRefusalText = (why: JoinRefusal): string =>
  why === 'shutdown' ? 'server shutting down' : `room unavailable: ${why}`;

/**
 * Registers a new connection with the hub in its room and starts sweeping it. Once shutdown
 * has begun, or when the room refuses it, `refuse()` tells the client why; any other failure
 * cuts it off. A connection whose socket closed while it was joining leaves at once.
 */
export const joinHub = async (
  hub: Hub,
  connection: KitConnection,
  placement: Placement,
  sweep: ConnectionSweep,
  logger: Logger,
  refuse: (why: JoinRefusal) => void,
): Promise<void> => {
  try {
    const session = await hub.connect(connection, placement);
    if (connection.ended) {
      session.leave('left', 'closed while joining');
      return;
    }
    try {
      connection.attach(session);
    } catch (error) {
      session.leave('dropped', 'internal error');
      throw error;
    }
    sweep.add(connection);
  } catch (error) {
    if (connection.ended) return;
    if (error instanceof HubClosedError) refuse('shutdown');
    else if (error instanceof JoinRefusedError) refuse(error.reason);
    else {
      logger.error('connection could not join the hub', { error: String(error) });
      connection.destroy();
    }
  }
};
