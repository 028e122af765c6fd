import type { Unregister } from '../hub-command.ts';
import type { ConnectionId, Seq } from '../hub-vocabulary.ts';
import type { Epoch, RoomName } from './room-vocabulary.ts';

/** A connection arrives, under a user name (self-declared, not unique). */
export type RegisterConnection = Readonly<{
  type: 'Register';
  connectionId: ConnectionId;
  name: string;
  at: number;
}>;

/** A connection leaves: the one-room hub's command, the same data. */
export type UnregisterConnection = Unregister;

/**
 * A connection enters a room where the engine says the room is (`epoch`, `seq`): everything
 * after `seq` is for it (what came before, it was sent with its `joined`).
 */
export type JoinRoom = Readonly<{
  type: 'Join';
  connectionId: ConnectionId;
  room: RoomName;
  epoch: Epoch;
  seq: Seq;
  at: number;
}>;

export type LeaveRoom = Readonly<{
  type: 'Leave';
  connectionId: ConnectionId;
  room: RoomName;
  at: number;
}>;

/** A message the engine stored, to deliver to the room's members here. */
export type PublishToRoom = Readonly<{
  type: 'Publish';
  room: RoomName;
  epoch: Epoch;
  seq: Seq;
  at: number;
}>;

/** The transport has written the room's messages up to `upTo` to this connection. */
export type AcknowledgeRoom = Readonly<{
  type: 'Acknowledge';
  connectionId: ConnectionId;
  room: RoomName;
  upTo: Seq;
  at: number;
}>;

export type RoomsCommand =
  | RegisterConnection
  | UnregisterConnection
  | JoinRoom
  | LeaveRoom
  | PublishToRoom
  | AcknowledgeRoom;
