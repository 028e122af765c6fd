export { decide } from './decide.ts';
export { evolve, replay } from './evolve.ts';
export type { Acknowledge, HubCommand, Publish, Register, Unregister } from './hub-command.ts';
export { type HubDecider, hubDecider } from './hub-decider.ts';
export type {
  Acknowledged,
  Broadcast,
  HubEvent,
  Overflowed,
  Registered,
  Unregistered,
} from './hub-event.ts';
export { HubRuleViolation } from './hub-rule-violation.ts';
export type { ConnectionState, ConnectionTable, HubState } from './hub-state.ts';
export { initialState, isRegistered, pendingOf } from './hub-state.ts';
export {
  type ConnectionId,
  type DepartureReason,
  type EvictionReason,
  isEviction,
  type Seq,
} from './hub-vocabulary.ts';
