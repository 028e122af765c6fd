import type { Overflowed, Unregistered } from '../hub-event.ts';
import type { ConnectionId, Seq } from '../hub-vocabulary.ts';
import type { Epoch, RoomName } from './room-vocabulary.ts';

export type ConnectionRegistered = Readonly<{
  type: 'Registered';
  connectionId: ConnectionId;
  name: string;
  at: number;
}>;

/** The connection is gone, from every room it was in: the one-room hub's event, the same data. */
export type ConnectionUnregistered = Unregistered;

export type RoomJoined = Readonly<{
  type: 'Joined';
  connectionId: ConnectionId;
  room: RoomName;
  epoch: Epoch;
  /** Messages after this one are pending for the connection. */
  cursor: Seq;
  at: number;
}>;

export type RoomLeft = Readonly<{
  type: 'Left';
  connectionId: ConnectionId;
  room: RoomName;
  at: number;
}>;

/**
 * The room's numbering restarted (the engine lost it): its members here carry on from the new
 * epoch's start, and what was pending of the old numbering is not delivered.
 */
export type RoomRenumbered = Readonly<{
  type: 'Renumbered';
  room: RoomName;
  epoch: Epoch;
  at: number;
}>;

/** A message goes to every member of its room here. */
export type RoomBroadcast = Readonly<{
  type: 'Broadcast';
  room: RoomName;
  epoch: Epoch;
  seq: Seq;
  at: number;
}>;

/** A connection's send buffer, all its rooms together, was full when a message came for it. */
export type ConnectionOverflowed = Overflowed;

export type RoomAcknowledged = Readonly<{
  type: 'Acknowledged';
  connectionId: ConnectionId;
  room: RoomName;
  upTo: Seq;
  at: number;
}>;

export type RoomsEvent =
  | ConnectionRegistered
  | ConnectionUnregistered
  | RoomJoined
  | RoomLeft
  | RoomRenumbered
  | RoomBroadcast
  | ConnectionOverflowed
  | RoomAcknowledged;
