import test from 'ava';
import { isRegistered, pendingOf, replay } from '../../src/domain/index.ts';
import { acknowledged, broadcasts, emptyHub, registered, unregistered } from './fixtures.ts';

test('pendingOf: the broadcasts after the cursor for a registered connection, 0 for any other', (t) => {
  const state = replay(emptyHub(4), [
    registered('c1', 0),
    ...broadcasts(1, 3),
    acknowledged('c1', 1),
    registered('c2', 3),
  ]);
  t.is(pendingOf(state, 'c1'), 2);
  t.is(pendingOf(state, 'c2'), 0);
  t.is(pendingOf(state, 'stranger'), 0);
});

test('isRegistered: from Registered until Unregistered, and never for a stranger', (t) => {
  const joined = replay(emptyHub(2), [registered('c1', 0)]);
  t.true(isRegistered(joined, 'c1'));
  t.false(isRegistered(joined, 'stranger'));
  t.false(isRegistered(replay(joined, [unregistered('c1', 'left')]), 'c1'));
});
