import type { ConnectionId, DepartureReason, Seq } from './hub-vocabulary.ts';

/** A connection joins the hub; it receives every broadcast made after this point. */
export type Register = Readonly<{ type: 'Register'; connectionId: ConnectionId; at: number }>;

/** A connection leaves (or is dropped by its transport). Unknown ids are ignored. */
export type Unregister = Readonly<{
  type: 'Unregister';
  connectionId: ConnectionId;
  reason: DepartureReason;
  detail?: string;
  at: number;
}>;

/**
 * A message to fan out. `seq` is assigned by whoever orders the message log (the local
 * in-memory log, or a shared one in a cluster), never by the core; it must follow `head`.
 */
export type Publish = Readonly<{
  type: 'Publish';
  seq: Seq;
  text: string;
  from?: ConnectionId;
  at: number;
}>;

/** The transport has written every broadcast up to and including `upTo` to this connection. */
export type Acknowledge = Readonly<{
  type: 'Acknowledge';
  connectionId: ConnectionId;
  upTo: Seq;
  at: number;
}>;

export type HubCommand = Register | Unregister | Publish | Acknowledge;
