import type { Refused } from '../../app/rooms/room-results.ts';
import type { RoomsHub } from '../../app/rooms/rooms-hub.ts';
import { parseV2Frame, type V2Command } from './hubbub-v2.ts';
import { V2Item } from './hubbub-v2-items.ts';
import type { V2RoomCursors } from './v2-room-cursors.ts';

/** What carrying out a command needs of a connection. */
export interface V2Client {
  readonly settings: Readonly<{ rooms: RoomsHub; maxMessageBytes: number }>;
  /** Rooms joined, by what the connection has been written of each. */
  readonly cursors: Pick<V2RoomCursors, 'has' | 'delete'>;
  /** Queues one item for the client. */
  send(item: string): void;
  /** Closes the connection for a client fault. */
  fail(code: number, reason: string, eviction: 'invalid_message'): void;
}

const MESSAGES: Record<Exclude<Refused['reason'], 'closed'>, string> = {
  bad_room: 'not a room name',
  not_joined: 'join the room first',
  too_many_rooms: 'in too many rooms already: leave one first',
  message_too_large: 'text too large',
  unavailable: 'the store cannot be reached; nothing was stored',
};

/** Tells the client a command was refused; a connection that is closing is told nothing. */
const refuse = (connection: V2Client, command: V2Command, refusal: Refused, id?: string): void => {
  if (refusal.reason === 'closed') return;
  connection.send(
    V2Item.error({
      for: command.type,
      reason: refusal.reason,
      message: MESSAGES[refusal.reason],
      room: command.room,
      ...(id === undefined ? {} : { id }),
    }),
  );
};

const notJoined = (connection: V2Client, command: V2Command): boolean => {
  if (connection.cursors.has(command.room)) return false;
  const id = command.type === 'send' ? command.id : undefined;
  refuse(connection, command, { kind: 'refused', reason: 'not_joined' }, id);
  return true;
};

/**
 * Carries out one client frame of hubbub.v2 (PROTOCOL-v2 "Commands"): what is not a JSON
 * object closes the connection, a refused command gets an `error` item, the rest go to the
 * rooms hub. Resolves once the command is answered: the connection runs its commands one after
 * another, so a `send` right after a `join` finds the room joined.
 */
export const handleV2Frame = async (
  connection: V2Client,
  id: string,
  text: string,
): Promise<void> => {
  const { rooms, maxMessageBytes } = connection.settings;
  const frame = parseV2Frame(text, maxMessageBytes);
  if (frame.kind === 'invalid') {
    connection.fail(frame.code, frame.reason, 'invalid_message');
    return;
  }
  if (frame.kind === 'refused') {
    connection.send(V2Item.error(frame.refusal));
    return;
  }
  const { command } = frame;
  switch (command.type) {
    case 'join': {
      const request = {
        ...(command.history === undefined ? {} : { history: command.history }),
        ...(command.since === undefined ? {} : { since: command.since }),
      };
      // The `joined` item itself goes out as the join takes effect (RoomPeer.joined).
      const result = await rooms.join(id, command.room, request);
      if (result.kind === 'refused') refuse(connection, command, result);
      return;
    }
    case 'leave':
      if (notJoined(connection, command)) return;
      connection.cursors.delete(command.room);
      rooms.leave(id, command.room);
      connection.send(V2Item.left(command.room));
      return;
    case 'send': {
      if (notJoined(connection, command)) return;
      const result = await rooms.send(id, command.room, command.text, command.id);
      if (result.kind === 'refused') refuse(connection, command, result, command.id);
      else if (command.id !== undefined) {
        connection.send(V2Item.ack(command.id, command.room, result.seq));
      }
      return;
    }
    case 'history':
      if (notJoined(connection, command)) return;
      try {
        const messages = await rooms.history(command.room, command.limit, command.before);
        connection.send(V2Item.history(command.room, messages));
      } catch {
        refuse(connection, command, { kind: 'refused', reason: 'unavailable' });
      }
      return;
    case 'members':
      if (notJoined(connection, command)) return;
      connection.send(V2Item.members(command.room, rooms.members(command.room)));
      return;
    default: {
      const unknown: never = command;
      throw new Error(`unknown v2 command ${JSON.stringify(unknown)}`);
    }
  }
};
