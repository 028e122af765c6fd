import assert from 'node:assert/strict';
import test, { type ExecutionContext } from 'ava';
import fc from 'fast-check';
import {
  type ConnectionId,
  decide,
  evolve,
  type HubEvent,
  type HubState,
  isRegistered,
  pendingOf,
  replay,
} from '../../src/domain/index.ts';
import {
  drive,
  report,
  type Scenario,
  scenario,
  stateBefore,
  type Trace,
  toCommand,
} from './arbitraries.ts';
import { assertInOrderDelivery } from './delivering-client.ts';
import { emptyHub } from './fixtures.ts';

// Properties assert with node:assert (which throws) rather than `t`: an ava assertion fails the
// test on the first, unshrunk counterexample and hides fast-check's report (seed, path, shrunk
// counterexample). fc.assert throws that report, and ava prints it (see `report`).
const forAllScenarios = (
  t: ExecutionContext,
  numRuns: number,
  check: (trace: Trace, scenario: Scenario) => void,
): void => {
  fc.assert(
    fc.property(scenario, (s) => check(drive(s), s)),
    { numRuns, ...report },
  );
  t.pass();
};

test('a full buffer implies eviction, before the broadcast and of no one else', (t) => {
  forAllScenarios(t, 2000, ({ steps }) => {
    for (const { command, before, events, after } of steps) {
      if (command.type !== 'Publish' || command.seq !== before.head + 1) continue;
      const full = [...before.connections.keys()].filter(
        (id) => pendingOf(before, id) >= before.capacity,
      );
      assert.equal(events.length, 2 * full.length + 1, `evictions for ${full}: ${events.length}`);
      assert.equal(events.at(-1)?.type, 'Broadcast');
      const evicted = full.map((_, i) => {
        const [overflowed, unregistered] = [events[2 * i], events[2 * i + 1]];
        assert.ok(overflowed?.type === 'Overflowed', `event ${2 * i} is ${overflowed?.type}`);
        assert.deepEqual(unregistered, {
          type: 'Unregistered',
          connectionId: overflowed.connectionId,
          reason: 'send_buffer_full',
          at: command.at,
        });
        assert.equal(overflowed.pending, pendingOf(before, overflowed.connectionId));
        assert.equal(overflowed.capacity, before.capacity);
        return overflowed.connectionId;
      });
      assert.deepEqual(evicted.toSorted(), full.toSorted());
      for (const id of full) assert.ok(!isRegistered(after, id), `${id} still registered`);
    }
  });
});

test('no registered connection ever has more than capacity pending', (t) => {
  forAllScenarios(t, 2000, ({ states }) => {
    for (const state of states) {
      for (const [id, { cursor }] of state.connections) {
        assert.ok(cursor >= 0 && cursor <= state.head, `${id} cursor ${cursor} vs ${state.head}`);
        assert.ok(pendingOf(state, id) <= state.capacity, `${id} over capacity`);
      }
    }
  });
});

test('each registration receives cursor+1 .. its last head, in order, no gap, no duplicate', (t) => {
  forAllScenarios(t, 2000, assertInOrderDelivery);
});

test('nothing is delivered to or attributed to a connection after it unregisters', (t) => {
  forAllScenarios(t, 2000, (trace) => {
    for (const { command, before, events } of trace.steps) {
      if (command.type === 'Acknowledge' && !isRegistered(before, command.connectionId)) {
        assert.deepEqual(events, [], `ack from unregistered ${command.connectionId}`);
      }
    }
    const gone = new Set<ConnectionId>();
    trace.events.forEach((event, i) => {
      const [before, after] = [stateBefore(trace, i), trace.states[i] as HubState];
      if (event.type === 'Registered') {
        assert.ok(!isRegistered(before, event.connectionId), 'registered twice');
        gone.delete(event.connectionId);
      } else if (event.type !== 'Broadcast') {
        assert.ok(isRegistered(before, event.connectionId), `${event.type} for a stranger`);
      }
      if (event.type === 'Unregistered') gone.add(event.connectionId);
      for (const id of gone) {
        assert.ok(!isRegistered(after, id), `${id} is back without registering`);
        assert.equal(pendingOf(after, id), 0);
      }
    });
  });
});

test('replaying the events rebuilds the live state, from the start or from any snapshot', (t) => {
  fc.assert(
    fc.property(scenario, fc.nat(), (s, cut) => {
      const { initial, events, states, final } = drive(s);
      assert.deepStrictEqual(replay(initial, events), final);
      const k = events.length === 0 ? 0 : cut % events.length;
      const snapshot = replay(initial, events.slice(0, k));
      assert.deepStrictEqual(snapshot, k === 0 ? initial : states[k - 1]);
      assert.deepStrictEqual(replay(snapshot, events.slice(k)), final);
    }),
    { numRuns: 2000, ...report },
  );
  t.pass();
});

const snapshotOf = (state: HubState): string =>
  JSON.stringify([state.capacity, state.head, [...state.connections]]);
const frozen = (state: HubState): HubState => {
  for (const connection of state.connections.values()) Object.freeze(connection);
  return Object.freeze(state); // the map's nodes stay writable: snapshotOf catches changes to them
};

test('decide and evolve never mutate the state, command or event they are given', (t) => {
  forAllScenarios(t, 2000, (_, { capacity, intents }) => {
    let state = frozen(emptyHub(capacity));
    intents.forEach((wanted, at) => {
      const command = Object.freeze(toCommand(state, wanted, at));
      const [seen, commandSeen] = [snapshotOf(state), JSON.stringify(command)];
      const events = decide(state, command);
      assert.equal(snapshotOf(state), seen, `decide mutated the state on ${commandSeen}`);
      assert.equal(JSON.stringify(command), commandSeen, 'decide mutated the command');
      for (const event of events.map((e) => Object.freeze(e))) {
        const [now, eventSeen] = [snapshotOf(state), JSON.stringify(event)];
        const next = evolve(state, event);
        assert.equal(snapshotOf(state), now, `evolve mutated the state on ${eventSeen}`);
        assert.equal(JSON.stringify(event), eventSeen, 'evolve mutated the event');
        state = frozen(next);
      }
    });
  });
});

test('events are plain JSON data', (t) => {
  forAllScenarios(t, 1000, ({ events }) => {
    for (const event of events) {
      assert.deepStrictEqual(JSON.parse(JSON.stringify(event)) as HubEvent, event);
    }
  });
});
