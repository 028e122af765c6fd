import test from 'ava';
import {
  decide,
  evolve,
  type HubCommand,
  HubRuleViolation,
  hubDecider,
  initialState,
} from '../../src/domain/index.ts';
import { PersistentMap } from '../../src/lib/persistent-map.ts';
import {
  acknowledge,
  acknowledged,
  at,
  broadcast,
  broadcasts,
  emptyHub,
  overflowed,
  publish,
  register,
  registered,
  unregister,
  unregistered,
} from './fixtures.ts';
import { spec } from './given-when-then.ts';

// Register
test(
  'Register: a new connection is registered at the current head',
  spec(3)
    .given(broadcasts(1, 2))
    .when(register('c1'))
    .then([registered('c1', 2)]),
);
test(
  'Register: an already registered connection produces no events',
  spec(3)
    .given([registered('c1', 0)])
    .when(register('c1'))
    .then([]),
);
test(
  'Register: a connection that left may register again',
  spec(3)
    .given([registered('c1', 0), broadcast(1), unregistered('c1', 'left')])
    .when(register('c1'))
    .then([registered('c1', 1)]),
);

// Unregister
test(
  'Unregister: a registered connection is unregistered with its reason',
  spec(3)
    .given([registered('c1', 0)])
    .when(unregister('c1'))
    .then([unregistered('c1', 'dropped')]),
);
test(
  'Unregister: an unknown connection produces no events',
  spec(3)
    .given([registered('c1', 0)])
    .when(unregister('c2'))
    .then([]),
);
test(
  'Unregister: the detail is passed through',
  spec(3)
    .given([registered('c1', 0)])
    .when(unregister('c1', 'ping timeout'))
    .then([{ ...unregistered('c1', 'dropped'), detail: 'ping timeout' }]),
);

// Publish
test(
  'Publish: the next seq is broadcast',
  spec(3)
    .given([registered('c1', 0)])
    .when(publish(1))
    .then([broadcast(1)]),
);
test(
  'Publish: the sender is passed through',
  spec(3)
    .given([registered('c1', 0)])
    .when({ ...publish(1), from: 'c1' })
    .then([{ ...broadcast(1), from: 'c1' }]),
);
test(
  'Publish: a seq already applied produces no events',
  spec(3)
    .given([registered('c1', 0), ...broadcasts(1, 2)])
    .when(publish(2))
    .then([]),
);
test(
  'Publish: a gap after the head is a rule violation',
  spec(3)
    .given([registered('c1', 0), broadcast(1)])
    .when(publish(3))
    .thenThrows(HubRuleViolation, /gap/),
);
test(
  'Publish: a connection with a full buffer is evicted before the broadcast',
  spec(2)
    .given([
      registered('slow', 0),
      registered('fast', 0),
      ...broadcasts(1, 2),
      acknowledged('fast', 2),
    ])
    .when(publish(3))
    .then([overflowed('slow', 2, 2), unregistered('slow', 'send_buffer_full'), broadcast(3)]),
);
test(
  'Publish: a connection one below capacity is not evicted',
  spec(3)
    .given([registered('c1', 0), ...broadcasts(1, 2)])
    .when(publish(3))
    .then([broadcast(3)]),
);
test(
  'Publish: every full connection is evicted and no other',
  spec(2)
    .given([
      registered('a', 0),
      registered('b', 0),
      registered('c', 0),
      ...broadcasts(1, 2),
      acknowledged('b', 1),
    ])
    .when(publish(3))
    .then([
      overflowed('a', 2, 2),
      unregistered('a', 'send_buffer_full'),
      overflowed('c', 2, 2),
      unregistered('c', 'send_buffer_full'),
      broadcast(3),
    ]),
);
test(
  'Publish: capacity 1 evicts a connection that has not acknowledged the last broadcast',
  spec(1)
    .given([registered('c1', 0), broadcast(1)])
    .when(publish(2))
    .then([overflowed('c1', 1, 1), unregistered('c1', 'send_buffer_full'), broadcast(2)]),
);

// Acknowledge
test(
  'Acknowledge: advances the cursor',
  spec(3)
    .given([registered('c1', 0), ...broadcasts(1, 3)])
    .when(acknowledge('c1', 2))
    .then([acknowledged('c1', 2)]),
);
test(
  'Acknowledge: a stale acknowledgement produces no events',
  spec(3)
    .given([registered('c1', 0), ...broadcasts(1, 3), acknowledged('c1', 2)])
    .when(acknowledge('c1', 2))
    .then([]),
);
test(
  'Acknowledge: an acknowledgement at the registration cursor produces no events',
  spec(3)
    .given([...broadcasts(1, 2), registered('c1', 2)])
    .when(acknowledge('c1', 1))
    .then([]),
);
test(
  'Acknowledge: beyond the head is a rule violation',
  spec(3)
    .given([registered('c1', 0), broadcast(1)])
    .when(acknowledge('c1', 2))
    .thenThrows(HubRuleViolation, /beyond head/),
);
test(
  'Acknowledge: an unknown connection produces no events',
  spec(3)
    .given([registered('c1', 0), broadcast(1)])
    .when(acknowledge('c2', 1))
    .then([]),
);

// A command of no known type (from an untyped caller, or a newer version of it)
test(
  'a command of an unknown type is a rule violation that names it',
  spec(3)
    .given([registered('c1', 0)])
    .when({ type: 'Reset', at } as unknown as HubCommand)
    .thenThrows(HubRuleViolation, /unknown command .*"Reset"/),
);

test('a rule violation is named HubRuleViolation, so logs tell it from other errors', (t) => {
  const error = t.throws(() => decide(emptyHub(3), publish(2)), { instanceOf: HubRuleViolation });
  t.is(error?.name, 'HubRuleViolation');
});

// initialState
test('initialState: starts empty at head 0', (t) => {
  t.like(emptyHub(4), { capacity: 4, head: 0 });
  t.is(emptyHub(4).connections.size, 0);
});
for (const capacity of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
  test(`initialState: rejects capacity ${capacity}`, (t) => {
    t.throws(() => emptyHub(capacity), {
      instanceOf: RangeError,
      message: `capacity must be a positive integer, got ${capacity}`,
    });
  });
}

test('initialState: refuses a table that already holds connections', (t) => {
  const occupied = PersistentMap.from([['c1', { cursor: 0, registeredAt: 0 }]]);
  t.throws(() => initialState(2, occupied), {
    instanceOf: RangeError,
    message: /starts with no connections/,
  });
});

test('hubDecider: decide, evolve and the initial state of one hub', (t) => {
  const decider = hubDecider(3, PersistentMap.empty());
  t.deepEqual(decider.initialState(), emptyHub(3));
  t.is(decider.decide, decide);
  t.is(decider.evolve, evolve);
});

test('two states with the same connections are equal, however they were reached', (t) => {
  const registered = evolve(emptyHub(2), {
    type: 'Registered',
    connectionId: 'c1',
    cursor: 0,
    at: 1,
  });
  t.notDeepEqual(registered, emptyHub(2));
  t.deepEqual(
    evolve(registered, { type: 'Unregistered', connectionId: 'c1', reason: 'left', at: 2 }),
    emptyHub(2),
  );
});
