import type { HubEvent } from './hub-event.ts';
import type { ConnectionState, HubState } from './hub-state.ts';
import type { ConnectionId } from './hub-vocabulary.ts';

const withConnection = (
  state: HubState,
  connectionId: ConnectionId,
  connection: ConnectionState | undefined,
): HubState => {
  const connections = new Map(state.connections);
  if (connection === undefined) connections.delete(connectionId);
  else connections.set(connectionId, connection);
  return { ...state, connections };
};

/** Applies one event to the state, returning a new state; never mutates `state`. */
export const evolve = (state: HubState, event: HubEvent): HubState => {
  switch (event.type) {
    case 'Registered':
      return withConnection(state, event.connectionId, {
        cursor: event.cursor,
        registeredAt: event.at,
      });
    case 'Unregistered':
      return state.connections.has(event.connectionId)
        ? withConnection(state, event.connectionId, undefined)
        : state;
    case 'Broadcast':
      return { ...state, head: event.seq };
    case 'Overflowed':
      return state; // the Unregistered that follows removes the connection
    case 'Acknowledged': {
      const connection = state.connections.get(event.connectionId);
      return connection === undefined
        ? state
        : withConnection(state, event.connectionId, { ...connection, cursor: event.upTo });
    }
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
};

/** Folds events from `state`; replaying a hub's whole event list from its initial state rebuilds it. */
export const replay = (state: HubState, events: Iterable<HubEvent>): HubState => {
  let current = state;
  for (const event of events) current = evolve(current, event);
  return current;
};
