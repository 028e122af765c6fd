import assert from 'node:assert/strict';
import type { MemoryClient } from '../../../src/adapters/memory/memory-client.ts';
import { pendingOf } from '../../../src/domain/index.ts';
import type { HubModel, Name, RealHub } from './model.ts';

export const clientOf = (real: RealHub, name: Name): MemoryClient => {
  const client = real.clients.get(name);
  if (client === undefined) throw new Error(`no client ${name}`);
  return client;
};

/** The hub and every client agree with the model after each command. */
export const assertMatches = (model: HubModel, real: RealHub): void => {
  const state = real.hub.state;
  const registered = [...model.clients]
    .filter(([, client]) => client.closed === undefined)
    .map(([name]) => clientOf(real, name).id)
    .sort();
  assert.deepEqual([...state.connections.keys()].sort(), registered, 'registered connections');
  for (const [name, expected] of model.clients) {
    const client = clientOf(real, name);
    assert.deepEqual(
      client.received.map((message) => message.text),
      expected.received,
      `${name} received`,
    );
    assert.equal(client.closeReason, expected.closed, `${name} close reason`);
    if (expected.closed === undefined) {
      assert.equal(pendingOf(state, client.id), expected.pending.length, `${name} pending`);
      assert.ok(pendingOf(state, client.id) <= model.capacity, `${name} within capacity`);
    }
  }
};
