import assert from 'node:assert/strict';
import type fc from 'fast-check';
import type { ConnectionId } from '../../../src/domain/index.ts';
import { assertMatches, type HubModel, type HubSystem } from './hub-model.ts';

/**
 * A registered connection's transport has written `take` more of its pending broadcasts
 * (capped at what is pending; 0 is a stale acknowledgement at the cursor).
 */
export class AcknowledgeCommand implements fc.Command<HubModel, HubSystem> {
  constructor(
    readonly connectionId: ConnectionId,
    readonly take: number,
  ) {}

  check(model: Readonly<HubModel>): boolean {
    return model.pending.has(this.connectionId);
  }

  run(model: HubModel, real: HubSystem): void {
    const { connectionId } = this;
    const seqs = model.pending.get(connectionId) ?? [];
    const taken = Math.min(this.take, seqs.length);
    const upTo = model.head - seqs.length + taken;
    const at = real.now();
    const events = real.execute({ type: 'Acknowledge', connectionId, upTo, at });
    if (taken === 0) {
      assert.deepEqual(events, [], `stale ack ${upTo} from ${connectionId}`);
    } else {
      assert.deepEqual(events, [{ type: 'Acknowledged', connectionId, upTo, at }]);
      seqs.splice(0, taken);
    }
    assertMatches(model, real);
  }

  toString(): string {
    return `Acknowledge(${this.connectionId}, +${this.take})`;
  }
}
