import assert from 'node:assert/strict';
import type fc from 'fast-check';
import type { ConnectionId } from '../../../src/domain/index.ts';
import { assertMatches, type HubModel, type HubSystem } from './hub-model.ts';

/** A connection registers; registering again while registered changes nothing. */
export class RegisterCommand implements fc.Command<HubModel, HubSystem> {
  constructor(readonly connectionId: ConnectionId) {}

  check(): boolean {
    return true;
  }

  run(model: HubModel, real: HubSystem): void {
    const at = real.now();
    const events = real.execute({ type: 'Register', connectionId: this.connectionId, at });
    if (model.pending.has(this.connectionId)) {
      assert.deepEqual(events, [], 'registering twice');
    } else {
      const cursor = model.head;
      assert.deepEqual(events, [
        { type: 'Registered', connectionId: this.connectionId, cursor, at },
      ]);
      model.pending.set(this.connectionId, []);
    }
    assertMatches(model, real);
  }

  toString(): string {
    return `Register(${this.connectionId})`;
  }
}
