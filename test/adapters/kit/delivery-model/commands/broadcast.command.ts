import assert from 'node:assert/strict';
import { linesOf } from '../../support/fake-connection.ts';
import { assertDelivery } from '../check-model.ts';
import {
  type DeliveryCommand,
  type DeliveryModel,
  type DeliverySystem,
  end,
  ROOM,
  textOf,
} from '../model.ts';

/**
 * The hub broadcasts the next numbered texts, one after another in one turn (one for each
 * padding), posted to the room as from no connection: the memory engine stores and broadcasts
 * each within the call. Each first evicts every connection whose send buffer is full: only one
 * that stalled since it last caught up may be among them, and only once it has left a whole
 * send buffer of broadcasts unwritten (it acknowledges exactly once blocked).
 */
export class BroadcastCommand implements DeliveryCommand {
  constructor(readonly paddings: readonly number[]) {}

  check(model: Readonly<DeliveryModel>): boolean {
    return !model.shutDown;
  }

  async run(model: DeliveryModel, real: DeliverySystem): Promise<void> {
    const posts: Promise<unknown>[] = [];
    for (const padding of this.paddings) {
      const seq = model.broadcasts.length + 1;
      const text = textOf(seq, padding);
      const written = real.connections.map((connection) => linesOf(connection.socket).length);
      posts.push(real.hub.post(ROOM, 'test', text));
      model.broadcasts.push(text);
      model.clients.forEach((client, i) => {
        const connection = real.connections[i];
        if (client.ending !== undefined || connection?.closedBy === undefined) return;
        assert.equal(connection.closedBy, 'send_buffer_full', `${connection.name} closed`);
        assert.ok(client.behind, `${connection.name} evicted, though it kept up`);
        const unwritten = seq - 1 - client.joinedAfter - (written[i] ?? 0);
        assert.ok(
          unwritten >= model.sendBuffer,
          `${connection.name} evicted with only ${unwritten} broadcasts unwritten`,
        );
        end(model, client, 'evicted', seq - 1);
      });
    }
    assertDelivery(model, real);
    // Only now, the burst done: each was stored as the next seq of the room.
    const first = model.broadcasts.length - this.paddings.length + 1;
    assert.deepEqual(
      await Promise.all(posts),
      this.paddings.map((_, i) => ({ kind: 'stored', seq: first + i, repeat: false })),
    );
  }

  toString(): string {
    return `broadcast(${this.paddings.join(', ')})`;
  }
}
