import assert from 'node:assert/strict';
import type fc from 'fast-check';
import type { ConnectionId, DepartureReason } from '../../../src/domain/index.ts';
import { assertMatches, type HubModel, type HubSystem } from './hub-model.ts';

/** A connection leaves; an unknown id is ignored. */
export class UnregisterCommand implements fc.Command<HubModel, HubSystem> {
  constructor(
    readonly connectionId: ConnectionId,
    readonly reason: DepartureReason,
    readonly detail: string | undefined,
  ) {}

  check(): boolean {
    return true;
  }

  run(model: HubModel, real: HubSystem): void {
    const { connectionId, reason, detail } = this;
    const at = real.now();
    const events = real.execute({ type: 'Unregister', connectionId, reason, detail, at });
    if (model.pending.delete(connectionId)) {
      const kept = detail === undefined ? {} : { detail };
      assert.deepEqual(events, [{ type: 'Unregistered', connectionId, reason, at, ...kept }]);
    } else {
      assert.deepEqual(events, [], `unregistering unknown ${connectionId}`);
    }
    assertMatches(model, real);
  }

  toString(): string {
    return `Unregister(${this.connectionId}, ${this.reason}, ${JSON.stringify(this.detail)})`;
  }
}
