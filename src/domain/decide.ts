import type { Acknowledge, HubCommand, Publish, Register, Unregister } from './hub-command.ts';
import type { HubEvent, Overflowed, Unregistered } from './hub-event.ts';
import { HubRuleViolation } from './hub-rule-violation.ts';
import { type HubState, pendingOf } from './hub-state.ts';
import type { ConnectionId } from './hub-vocabulary.ts';

const register = (state: HubState, command: Register): readonly HubEvent[] =>
  state.connections.has(command.connectionId)
    ? []
    : [
        {
          type: 'Registered',
          connectionId: command.connectionId,
          cursor: state.head,
          at: command.at,
        },
      ];

/** The departure an `Unregister` of a registered connection decides (the rooms core's too). */
export const unregisteredBy = (command: Unregister): Unregistered => ({
  type: 'Unregistered',
  connectionId: command.connectionId,
  reason: command.reason,
  at: command.at,
  ...(command.detail === undefined ? {} : { detail: command.detail }),
});

const unregister = (state: HubState, command: Unregister): readonly HubEvent[] =>
  state.connections.has(command.connectionId) ? [unregisteredBy(command)] : [];

// Every connection whose buffer is already full is evicted before the broadcast is made,
// so the broadcast that finds it full is never counted against it. Evictions come in
// connection-id order, which does not depend on how the connections map orders its entries.
const publish = (state: HubState, command: Publish): readonly HubEvent[] => {
  if (command.seq <= state.head) return []; // already applied: logs may redeliver
  if (command.seq !== state.head + 1) {
    throw new HubRuleViolation(`publish seq ${command.seq} leaves a gap after head ${state.head}`);
  }
  const full: ConnectionId[] = [];
  state.connections.forEach((connection, connectionId) => {
    if (state.head - connection.cursor >= state.capacity) full.push(connectionId);
  });
  const events: HubEvent[] = [];
  for (const connectionId of full.sort()) {
    const pending = pendingOf(state, connectionId);
    const overflowed: Overflowed = {
      type: 'Overflowed',
      connectionId,
      pending,
      capacity: state.capacity,
      at: command.at,
    };
    events.push(overflowed, {
      type: 'Unregistered',
      connectionId,
      reason: 'send_buffer_full',
      at: command.at,
    });
  }
  events.push({
    type: 'Broadcast',
    seq: command.seq,
    text: command.text,
    at: command.at,
    ...(command.from === undefined ? {} : { from: command.from }),
  });
  return events;
};

const acknowledge = (state: HubState, command: Acknowledge): readonly HubEvent[] => {
  const connection = state.connections.get(command.connectionId);
  if (connection === undefined || command.upTo <= connection.cursor) return [];
  if (command.upTo > state.head) {
    throw new HubRuleViolation(
      `${command.connectionId} acknowledged seq ${command.upTo} beyond head ${state.head}`,
    );
  }
  return [
    {
      type: 'Acknowledged',
      connectionId: command.connectionId,
      upTo: command.upTo,
      at: command.at,
    },
  ];
};

/** Decides what happens when `command` meets `state`; pure, never mutates `state`. */
export const decide = (state: HubState, command: HubCommand): readonly HubEvent[] => {
  switch (command.type) {
    case 'Register':
      return register(state, command);
    case 'Unregister':
      return unregister(state, command);
    case 'Publish':
      return publish(state, command);
    case 'Acknowledge':
      return acknowledge(state, command);
    default: {
      const unknown: never = command;
      throw new HubRuleViolation(`unknown command ${JSON.stringify(unknown)}`);
    }
  }
};
