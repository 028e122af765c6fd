import { decide } from './decide.ts';
import { evolve } from './evolve.ts';
import type { HubCommand } from './hub-command.ts';
import type { HubEvent } from './hub-event.ts';
import {
  type ConnectionState,
  type ConnectionTable,
  type HubState,
  initialState,
} from './hub-state.ts';

/** The hub as a decider: what a command decides, how an event evolves the state, where it starts. */
export type HubDecider = Readonly<{
  decide: (state: HubState, command: HubCommand) => readonly HubEvent[];
  evolve: (state: HubState, event: HubEvent) => HubState;
  initialState: () => HubState;
}>;

/** The decider of a hub whose connections have send buffers of `capacity` broadcasts. */
export const hubDecider = (
  capacity: number,
  empty: ConnectionTable<ConnectionState>,
): HubDecider => {
  const initial = initialState(capacity, empty);
  return { decide, evolve, initialState: () => initial };
};
