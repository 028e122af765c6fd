import type { RoomName } from '../../domain/rooms/index.ts';

/**
 * Where a room lives in Redis. Every key of a room carries the room in a hash tag (`{room}`),
 * so they share one Redis Cluster slot and one Lua script may touch them all.
 */
export type RoomKeys = Readonly<{
  /** Hash: `epoch`, `seq` (the latest), `last` (when the latest was stored). */
  meta: string;
  /** Stream of the room's history: entry id `<seq>-0`, one field `b` (the message's body). */
  log: string;
  /** Hash per process and name: `<node>\n<name>` → `<connections>:<expires at>`. */
  presence: string;
  /** PUB/SUB channel: live messages and presence changes. */
  channel: string;
}>;

/** What every key and channel of ours begins with, unless told otherwise. */
export const KEY_PREFIX = 'hubbub:';

export const roomKeys = (room: RoomName, prefix = KEY_PREFIX): RoomKeys => {
  const tag = `${prefix}{${room}}`;
  return {
    meta: `${tag}:meta`,
    log: `${tag}:log`,
    presence: `${tag}:presence`,
    channel: tag,
  };
};

/**
 * Hash: `epoch`, `seq`, `at` of the first send of client id `id` by the name `from` to a room
 * (the name's length first, so no name and id pair reads as another).
 */
export const sendIdKey = (keys: RoomKeys, from: string, id: string): string =>
  `${keys.channel}:id:${from.length}:${from}:${id}`;
