import test from 'ava';
import { evolve, replay } from '../../src/domain/index.ts';
import {
  acknowledged,
  broadcasts,
  emptyHub,
  overflowed,
  registered,
  unregistered,
} from './fixtures.ts';

const hubWithC1 = () => replay(emptyHub(2), [registered('c1', 0), ...broadcasts(1, 2)]);

test('Overflowed leaves the state as it was: the Unregistered that follows removes the connection', (t) => {
  const full = hubWithC1();
  t.is(evolve(full, overflowed('c1', 2, 2)), full);
});

test('Acknowledged for a connection that is not registered changes nothing and registers no one', (t) => {
  const state = hubWithC1();
  const after = evolve(state, acknowledged('c2', 2));
  t.is(after, state);
  t.false(after.connections.has('c2'));
});

test('an event that leaves the connections as they were returns the same state, not a copy', (t) => {
  const state = hubWithC1();
  t.is(evolve(state, unregistered('stranger', 'left')), state);
});

test('an event that changes the connections returns a new state and leaves the old one as it was', (t) => {
  const state = hubWithC1();
  const after = evolve(state, acknowledged('c1', 1));
  t.not(after, state);
  t.is(after.connections.get('c1')?.cursor, 1);
  t.is(state.connections.get('c1')?.cursor, 0);
});
