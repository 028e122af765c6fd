import type { Seq } from '../../domain/index.ts';
import type { Member } from '../../domain/rooms/index.ts';
import type { JoinAnswer } from '../ports/engine.port.ts';

/** Why a command of a connection was refused (PROTOCOL-v2 error reasons, as far as the hub decides). */
export type RoomRefusal =
  | 'bad_room'
  | 'not_joined'
  | 'too_many_rooms'
  | 'message_too_large'
  | 'unavailable'
  | 'closed';

export type Refused = Readonly<{ kind: 'refused'; reason: RoomRefusal }>;

/** A connection is in a room: where the room was, what the join asked for, and who is there. */
export type Joined = JoinAnswer & Readonly<{ kind: 'joined'; members: readonly Member[] }>;

export type JoinResult = Joined | Refused;

/** A send was stored as `seq` (or was the repeat of the send stored as `seq`). */
export type SendResult = Readonly<{ kind: 'stored'; seq: Seq; repeat: boolean }> | Refused;

/** A message from no connection: stored, or refused. */
export type PostResult = SendResult;

export const refused = (reason: RoomRefusal): Refused => ({ kind: 'refused', reason });
