import assert from 'node:assert/strict';
import { assertDelivery } from '../check-model.ts';
import { type DeliveryCommand, type DeliveryModel, type DeliverySystem, end } from '../model.ts';

/** The hub shuts down: every connection gets everything broadcast before its goodbye. */
export class ShutdownCommand implements DeliveryCommand {
  check(model: Readonly<DeliveryModel>): boolean {
    return !model.shutDown;
  }

  async run(model: DeliveryModel, real: DeliverySystem): Promise<void> {
    real.hub.shutdown();
    model.shutDown = true;
    model.clients.forEach((client, i) => {
      if (client.ending !== undefined) return;
      assert.equal(real.connections[i]?.closedBy, 'shutdown');
      end(model, client, 'shutdown', model.broadcasts.length);
    });
    assertDelivery(model, real);
  }

  toString(): string {
    return 'shutdown';
  }
}
