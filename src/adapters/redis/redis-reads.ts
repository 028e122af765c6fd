import type { NodePresence } from '../../app/ports/engine.port.ts';
import type { RoomName } from '../../domain/rooms/index.ts';
import { messagesOf, presenceOf } from './message-codec.ts';
import type { RoomKeys } from './redis-keys.ts';
import type { RoomCommands } from './redis-link.ts';
import type { RoomWhere } from './room-channel.ts';

/** The room's epoch and latest seq, with its messages after `after` up to `upto`. */
export const readAfter = async (
  commands: RoomCommands,
  keys: RoomKeys,
  room: RoomName,
  after: number,
  upto?: number,
): Promise<RoomWhere | undefined> => {
  const reply = await commands.hubbubReadAfter(
    [keys.meta, keys.log],
    [String(after), String(upto ?? -1)],
  );
  if (reply.length === 0) return undefined;
  const epoch = String(reply[0]);
  return { epoch, latest: Number(reply[1]), messages: messagesOf(room, epoch, reply, 2) };
};

/** The live presence entries of every process but `node` in the room. */
export const presenceSnapshot = async (
  commands: RoomCommands,
  keys: RoomKeys,
  room: RoomName,
  node: string,
  now: number,
): Promise<readonly NodePresence[]> => {
  const entries = await commands.hGetAll(keys.presence);
  const live: NodePresence[] = [];
  for (const [field, value] of Object.entries(entries)) {
    const [connections, expires] = String(value).split(':').map(Number);
    const presence = presenceOf(room, field, connections ?? 0);
    if (presence.node !== node && (expires ?? 0) > now && presence.connections > 0)
      live.push(presence);
  }
  return live;
};

/** Writes this process's counts of names in the room until `window.expires`; sweeps first if asked. */
export const writePresence = async (
  commands: RoomCommands,
  keys: RoomKeys,
  node: string,
  window: Readonly<{ now: number; expires: number }>,
  counts: readonly (readonly [string, number])[],
  sweep: boolean,
): Promise<void> => {
  const args = [keys.channel, node, String(window.now), String(window.expires), sweep ? '1' : '0'];
  for (const [name, connections] of counts) args.push(name, String(connections));
  await commands.hubbubPresence([keys.presence], args);
};
