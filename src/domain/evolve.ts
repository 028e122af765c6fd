import type { HubEvent } from './hub-event.ts';
import type { HubState } from './hub-state.ts';

const withConnections = (state: HubState, connections: HubState['connections']): HubState =>
  connections === state.connections ? state : { ...state, connections };

/** Applies one event to the state, returning a new state; never mutates `state`. */
export const evolve = (state: HubState, event: HubEvent): HubState => {
  switch (event.type) {
    case 'Registered':
      return withConnections(
        state,
        state.connections.set(event.connectionId, { cursor: event.cursor, registeredAt: event.at }),
      );
    case 'Unregistered':
      return withConnections(state, state.connections.delete(event.connectionId));
    case 'Broadcast':
      return { ...state, head: event.seq };
    case 'Overflowed':
      return state; // the Unregistered that follows removes the connection
    case 'Acknowledged': {
      const connection = state.connections.get(event.connectionId);
      return connection === undefined
        ? state
        : withConnections(
            state,
            state.connections.set(event.connectionId, { ...connection, cursor: event.upTo }),
          );
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
