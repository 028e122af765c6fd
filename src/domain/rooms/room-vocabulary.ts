import type { Seq } from '../hub-vocabulary.ts';

/** A room's name: `^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$` (PROTOCOL-v2 "Names"). */
export type RoomName = string;

/**
 * An opaque string that changes whenever a room's numbering restarts (a memory-only server
 * restarting, a shared store losing the room). Minted by the engine, never by the core.
 */
export type Epoch = string;

/** Where a client is in a room: the last message it has, in the numbering of `epoch`. */
export type RoomPosition = Readonly<{ epoch: Epoch; seq: Seq }>;

/** Where clients that choose no room are: plain, `hubbub.v1`, SSE and TCP clients by default. */
export const DEFAULT_ROOM: RoomName = 'lobby';

const ROOM_NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export const isRoomName = (value: unknown): value is RoomName =>
  typeof value === 'string' && ROOM_NAME.test(value);

/** A control character (Unicode category Cc: C0, DEL and C1). */
const CONTROL = /\p{Cc}/u;

/**
 * A self-declared user name: 1 to 32 characters (code points), none of them a control
 * character. Names are not authenticated and need not be unique.
 */
export const isUserName = (value: unknown): value is string => {
  if (typeof value !== 'string' || CONTROL.test(value)) return false;
  const length = [...value].length;
  return length >= 1 && length <= 32;
};
