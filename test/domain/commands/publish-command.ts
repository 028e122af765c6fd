import assert from 'node:assert/strict';
import type fc from 'fast-check';
import type { HubEvent } from '../../../src/domain/index.ts';
import { assertMatches, type HubModel, type HubSystem } from './hub-model.ts';

/**
 * The log hands the hub its next message (seq = head + 1), or redelivers one already applied
 * when `redeliver` is set. Every connection whose model buffer is full is evicted first.
 */
export class PublishCommand implements fc.Command<HubModel, HubSystem> {
  constructor(
    readonly text: string,
    readonly redeliver: boolean,
  ) {}

  check(model: Readonly<HubModel>): boolean {
    return !this.redeliver || model.head > 0;
  }

  run(model: HubModel, real: HubSystem): void {
    const at = real.now();
    const seq = this.redeliver ? model.head : model.head + 1;
    const events = real.execute({ type: 'Publish', seq, text: this.text, at });
    if (this.redeliver) {
      assert.deepEqual(events, [], `redelivered ${seq}`);
      assertMatches(model, real);
      return;
    }
    const expected: HubEvent[] = [];
    for (const [connectionId, seqs] of model.pending) {
      if (seqs.length < model.capacity) continue;
      const { capacity } = model;
      expected.push(
        { type: 'Overflowed', connectionId, pending: seqs.length, capacity, at },
        { type: 'Unregistered', connectionId, reason: 'send_buffer_full', at },
      );
      model.pending.delete(connectionId);
    }
    expected.push({ type: 'Broadcast', seq, text: this.text, at });
    for (const seqs of model.pending.values()) seqs.push(seq);
    model.head = seq;
    assert.deepEqual(byConnection(events), byConnection(expected), 'evictions and broadcast');
    assertMatches(model, real);
  }

  toString(): string {
    return this.redeliver ? 'Redeliver(head)' : `Publish(${JSON.stringify(this.text)})`;
  }
}

/** The order among evictions is not part of the contract; each Overflowed+Unregistered pair is. */
const byConnection = (events: readonly HubEvent[]): HubEvent[][] => {
  const pairs: HubEvent[][] = [];
  for (let i = 0; i + 1 < events.length; i += 2) pairs.push(events.slice(i, i + 2));
  const sortKey = (pair: HubEvent[]) => JSON.stringify(pair);
  return [...pairs.toSorted((a, b) => sortKey(a).localeCompare(sortKey(b))), events.slice(-1)];
};
