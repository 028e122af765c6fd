import { assertDelivery } from '../check-model.ts';
import {
  currentOf,
  type DeliveryCommand,
  type DeliveryModel,
  type DeliverySystem,
  type Name,
} from '../model.ts';

/** The client stops reading: its socket takes no more writes into the kernel. */
export class StallCommand implements DeliveryCommand {
  constructor(readonly name: Name) {}

  check(model: Readonly<DeliveryModel>): boolean {
    return model.clients[currentOf(model, this.name)]?.stalled === false;
  }

  async run(model: DeliveryModel, real: DeliverySystem): Promise<void> {
    const i = currentOf(model, this.name);
    real.connections[i]?.socket.stall();
    const client = model.clients[i];
    if (client) Object.assign(client, { stalled: true, behind: true });
    assertDelivery(model, real);
  }

  toString(): string {
    return `stall(${this.name})`;
  }
}
