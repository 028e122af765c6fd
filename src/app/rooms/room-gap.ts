import type { RoomName } from '../../domain/rooms/index.ts';
import type { Logger } from '../ports/logger.port.ts';
import type { RoomsMachine } from './rooms-machine.ts';

/**
 * The engine handed this process a message after a gap it could not fill (the messages between
 * are no longer stored: the process was cut off from the store for longer than the history
 * lasts). The room's members here cannot be given what they missed, and must not be given what
 * follows as if nothing were missing: each is closed, to resume, which tells it `recovered:
 * false`.
 */
export const closeMembersAfterGap = (
  machine: RoomsMachine,
  logger: Logger,
  room: RoomName,
  at: number,
): void => {
  const members = [...(machine.state.rooms.get(room)?.members.keys() ?? [])];
  logger.warn('room missed messages the store no longer holds: its members here resume', {
    room,
    members: members.length,
  });
  const detail = `missed messages of ${room} the store no longer holds`;
  for (const connectionId of members) {
    machine.execute({ type: 'Unregister', connectionId, reason: 'dropped', at, detail });
  }
};
