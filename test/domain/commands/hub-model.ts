import assert from 'node:assert/strict';
import {
  type ConnectionId,
  decide,
  evolve,
  type HubCommand,
  type HubEvent,
  type HubState,
  pendingOf,
  type Seq,
} from '../../../src/domain/index.ts';
import { emptyHub } from '../fixtures.ts';

/** The model: who is registered, which seqs each has not acknowledged yet, and the head. */
export type HubModel = {
  capacity: number;
  head: Seq;
  /** Registered ids, each with the seqs broadcast to it that it has not acknowledged, in order. */
  pending: Map<ConnectionId, Seq[]>;
};

export const newModel = (capacity: number): HubModel => ({ capacity, head: 0, pending: new Map() });

/** The real system: the pure core behind a mutable holder, as an adapter would keep it. */
export class HubSystem {
  state: HubState;
  private clock = 0;

  constructor(capacity: number) {
    this.state = emptyHub(capacity);
  }

  now(): number {
    this.clock += 1;
    return this.clock;
  }

  execute(command: HubCommand): readonly HubEvent[] {
    const events = decide(this.state, command);
    for (const event of events) this.state = evolve(this.state, event);
    return events;
  }
}

export const assertMatches = (model: HubModel, real: HubSystem): void => {
  const { state } = real;
  assert.equal(state.head, model.head, 'head');
  assert.deepEqual(
    [...state.connections.keys()].toSorted(),
    [...model.pending.keys()].toSorted(),
    'registered connections',
  );
  for (const [id, seqs] of model.pending) {
    assert.equal(pendingOf(state, id), seqs.length, `pending of ${id}`);
    assert.equal(state.connections.get(id)?.cursor, model.head - seqs.length, `cursor of ${id}`);
  }
};
