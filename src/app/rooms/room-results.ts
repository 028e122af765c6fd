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

export type JoinResult =
  | (JoinAnswer & Readonly<{ kind: 'joined'; members: readonly Member[] }>)
  | Refused;

/** A send was stored as `seq` (or was the repeat of the send stored as `seq`). */
export type SendResult = Readonly<{ kind: 'stored'; seq: Seq; repeat: boolean }> | Refused;

export const refused = (reason: RoomRefusal): Refused => ({ kind: 'refused', reason });
