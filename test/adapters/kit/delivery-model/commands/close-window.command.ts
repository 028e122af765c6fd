import assert from 'node:assert/strict';
import { linesOf } from '../../support/fake-connection.ts';
import { assertDelivery, expectedOf, noteDrained } from '../check-model.ts';
import type { DeliveryCommand, DeliveryModel, DeliverySystem } from '../model.ts';

/**
 * The batch window closes: every connection woken since it opened writes what it has. One that
 * keeps up has then written everything broadcast so far.
 */
export class CloseWindowCommand implements DeliveryCommand {
  check(): boolean {
    return true;
  }

  async run(model: DeliveryModel, real: DeliverySystem): Promise<void> {
    real.settings.batch.close();
    noteDrained(model, real);
    model.clients.forEach((client, i) => {
      const connection = real.connections[i];
      if (client.ending !== undefined || client.behind || connection === undefined) return;
      assert.deepEqual(
        linesOf(connection.socket),
        expectedOf(model, client),
        `${connection.name} keeps up but has not written everything when the window closes`,
      );
    });
    assertDelivery(model, real);
  }

  toString(): string {
    return 'closeWindow';
  }
}
