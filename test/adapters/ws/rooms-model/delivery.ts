import type { V2ItemSeen } from '../../support/v2-client.ts';
import { waitUntil } from '../../support/ws-client.ts';
import {
  connectionOf,
  type Name,
  namesIn,
  type RoomId,
  type RoomsModel,
  type RoomsReal,
} from './model.ts';

/** Whether the messages a client got are exactly the room's, from `after` + 1 on, in order. */
export const isRun = (model: RoomsModel, room: RoomId, after: number, got: V2ItemSeen[]) =>
  got.every(
    (item, i) => item.seq === after + 1 + i && item.text === model.messages[room][after + i],
  );

/**
 * Joined: the room's messages the client got before `joined` are behind it; every one after
 * it (even in the same frame) is live, and must be the room's next.
 */
export const joinedAt = (real: RoomsReal, name: Name, joined: V2ItemSeen): void => {
  const connection = connectionOf(real, name);
  const before = connection.items.slice(0, connection.items.indexOf(joined));
  const had = before.filter((item) => item.type === 'message' && item.room === joined.room);
  real.clients[name].checked.set(joined.room as RoomId, had.length);
};

/** A short account of messages got, for a failure (flood texts are a megabyte long). */
export const described = (got: readonly V2ItemSeen[]): string =>
  JSON.stringify(got.map((item) => `#${String(item.seq)} ${String(item.text).slice(0, 16)}`));

/**
 * The room's latest message (the model has it already) reaches every connected member but
 * `except` next, once, and nothing else of the room comes with it; the member now has it.
 */
export const deliveredToMembers = async (
  model: RoomsModel,
  real: RoomsReal,
  room: RoomId,
  except?: Name,
): Promise<void> => {
  const seq = model.messages[room].length;
  for (const member of namesIn(model, room)) {
    if (member === except) continue;
    const connection = connectionOf(real, member);
    const from = real.clients[member].checked.get(room) ?? 0;
    await waitUntil(
      () => connection.of('message', room).length > from,
      `${member} to get ${room}#${seq}`,
    );
    const fresh = connection.of('message', room).slice(from);
    if (fresh.length !== 1 || !isRun(model, room, seq - 1, fresh)) {
      throw new Error(`${member} got ${described(fresh)} in ${room}, expected #${seq}`);
    }
    real.clients[member].checked.set(room, from + 1);
    model.clients[member].rooms.set(room, seq);
  }
};
