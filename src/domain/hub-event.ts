import type { ConnectionId, DepartureReason, Seq } from './hub-vocabulary.ts';

/** `cursor` is the last broadcast the connection is considered to have: the head when it joined. */
export type Registered = Readonly<{
  type: 'Registered';
  connectionId: ConnectionId;
  cursor: Seq;
  at: number;
}>;

export type Unregistered = Readonly<{
  type: 'Unregistered';
  connectionId: ConnectionId;
  reason: DepartureReason;
  detail?: string;
  at: number;
}>;

export type Broadcast = Readonly<{
  type: 'Broadcast';
  seq: Seq;
  text: string;
  from?: ConnectionId;
  at: number;
}>;

/** A broadcast found this connection's send buffer full; an `Unregistered` follows at once. */
export type Overflowed = Readonly<{
  type: 'Overflowed';
  connectionId: ConnectionId;
  pending: number;
  capacity: number;
  at: number;
}>;

/** The transport wrote every broadcast up to `upTo` to the connection; its pending count shrinks. */
export type Acknowledged = Readonly<{
  type: 'Acknowledged';
  connectionId: ConnectionId;
  upTo: Seq;
  at: number;
}>;

export type HubEvent = Registered | Unregistered | Broadcast | Overflowed | Acknowledged;
