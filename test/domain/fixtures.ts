import {
  type Acknowledge,
  type Acknowledged,
  type Broadcast,
  type ConnectionState,
  type HubState,
  initialState,
  type Overflowed,
  type Publish,
  type Register,
  type Registered,
  type Unregister,
  type Unregistered,
} from '../../src/domain/index.ts';
import { PersistentMap } from '../../src/lib/persistent-map.ts';

/** Builders for the given/when/then examples; every command and event happens `at` the same time. */
export const at = 1_000;
export const register = (connectionId: string): Register => ({
  type: 'Register',
  connectionId,
  at,
});
export const registered = (connectionId: string, cursor: number): Registered => ({
  type: 'Registered',
  connectionId,
  cursor,
  at,
});
export const unregister = (connectionId: string, detail?: string): Unregister => ({
  type: 'Unregister',
  connectionId,
  reason: 'dropped',
  at,
  ...(detail === undefined ? {} : { detail }),
});
export const unregistered = (
  connectionId: string,
  reason: Unregistered['reason'],
): Unregistered => ({
  type: 'Unregistered',
  connectionId,
  reason,
  at,
});
export const publish = (seq: number): Publish => ({ type: 'Publish', seq, text: `m${seq}`, at });
export const broadcast = (seq: number): Broadcast => ({
  type: 'Broadcast',
  seq,
  text: `m${seq}`,
  at,
});
export const broadcasts = (from: number, to: number): Broadcast[] =>
  Array.from({ length: to - from + 1 }, (_, i) => broadcast(from + i));
export const overflowed = (
  connectionId: string,
  pending: number,
  capacity: number,
): Overflowed => ({
  type: 'Overflowed',
  connectionId,
  pending,
  capacity,
  at,
});
export const acknowledge = (connectionId: string, upTo: number): Acknowledge => ({
  type: 'Acknowledge',
  connectionId,
  upTo,
  at,
});
export const acknowledged = (connectionId: string, upTo: number): Acknowledged => ({
  type: 'Acknowledged',
  connectionId,
  upTo,
  at,
});

/** A hub with no connections, in the persistent map the service uses. */
export const emptyHub = (capacity: number): HubState =>
  initialState(capacity, PersistentMap.empty<ConnectionState>());
